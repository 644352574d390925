"""``/healthz`` says the process is up; ``/readyz`` says it can serve real traffic."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError

from palier.core import clock
from palier.ops import health, heartbeat
from palier.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_checks():
    health.reset()
    yield
    health.reset()


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "process": os.getpid()}


def test_readyz_is_not_ready_until_a_worker_has_beaten(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
    assert response.json()["checks"]["migrations"]["ok"] is True


def test_readyz_is_ready_after_a_heartbeat(client):
    heartbeat.beat()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_fails_when_the_last_heartbeat_is_stale(client, settings):
    settings.PALIER_HEARTBEAT_MAX_AGE_SECONDS = 60
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False):
        heartbeat.beat()
    with time_machine.travel("2026-03-02 09:00:59+00:00", tick=False):
        assert client.get("/readyz").status_code == 200
    with time_machine.travel("2026-03-02 09:01:01+00:00", tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "61 s ago" in response.json()["checks"]["worker"]["detail"]


def test_readyz_fails_when_migrations_are_missing(client, monkeypatch):
    heartbeat.beat()

    class Behind:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("tickets.0099_future", False)]

    monkeypatch.setattr(health, "MigrationExecutor", Behind)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["detail"] == "1 not applied (run palier migrate)"


def test_readyz_fails_when_the_database_is_unreachable(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": False, "detail": "unreachable: OperationalError"}}


def test_a_worker_beats_into_its_own_row_and_forgets_long_gone_workers():
    now = clock.now()
    WorkerHeartbeat.objects.create(worker="gone:1", beat_at=now - timedelta(days=2),
                                   started_at=now - timedelta(days=3))
    heartbeat.beat()
    heartbeat.beat()
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == [
        heartbeat.worker_name()]


def test_the_heartbeat_is_a_registered_worker_job():
    from palier.core import jobs

    assert "ops.heartbeat" in {job.name for job in jobs.registered()}


def test_reports_read_from_the_replica_only_when_one_is_configured(monkeypatch):
    from types import SimpleNamespace

    from palier.ops import replica

    assert replica.reporting_alias() == "default"
    monkeypatch.setattr(replica, "settings", SimpleNamespace(DATABASES={"default": {},
                                                                        "replica": {}}))
    assert replica.reporting_alias() == "replica"
