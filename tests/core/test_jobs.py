"""Registered background jobs run in the worker: on their period, and a failure never stops it."""

from __future__ import annotations

import pytest

from palier.core import jobs
from palier.sla.worker import Options, Worker


@pytest.fixture
def registry():
    """Only the test's own jobs are registered while it runs; the apps' jobs come back after."""
    apps_jobs = jobs.registered()
    for job in apps_jobs:
        jobs.unregister(job.name)
    yield jobs
    for job in jobs.registered():
        jobs.unregister(job.name)
    for job in apps_jobs:
        jobs.register(job.name, job.run, every=job.every)


@pytest.mark.django_db
def test_every_apps_job_is_idle_on_an_empty_desk():
    """A job that reports work when there is none keeps the worker from ever sleeping."""
    busy = {job.name: job.run() for job in jobs.registered()}
    assert {name: work for name, work in busy.items() if work} == {}


@pytest.mark.django_db
def test_a_registered_job_runs_until_it_has_no_more_work(registry):
    backlog = [3, 2, 0]
    registry.register("test.drain", lambda: backlog.pop(0))
    Worker(Options(once=True), report=lambda _: None).run()
    assert backlog == []


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(registry, caplog):
    ran = []

    def broken() -> int:
        raise RuntimeError("boom")

    registry.register("test.broken", broken)
    registry.register("test.fine", lambda: ran.append(1) or 0)
    Worker(Options(once=True), report=lambda _: None).run()
    assert ran == [1]
    assert "test.broken failed" in caplog.text


@pytest.mark.django_db
def test_a_periodic_job_waits_for_its_period(registry):
    calls = []
    registry.register("test.hourly", lambda: calls.append(1) or 0, every=3600)
    worker = Worker(Options(once=True), report=lambda _: None)
    worker.run()
    worker.run()
    assert calls == [1]


def test_a_negative_period_is_refused(registry):
    with pytest.raises(ValueError):
        registry.register("test.bad", lambda: 0, every=-1)


@pytest.mark.django_db
def test_a_worker_runs_only_the_jobs_it_is_given(registry, monkeypatch):
    calls = []
    registry.register("channels.test", lambda: calls.append("channels") or 0)
    registry.register("knowledge.test", lambda: calls.append("knowledge") or 0)
    worker = Worker(Options(once=True, jobs=("channels.*",)), report=lambda _: None)
    monkeypatch.setattr(worker, "sla_sweep", lambda: calls.append("sla") or 0)
    worker.run()
    assert calls == ["channels"]
    assert worker.jobs == (worker.registered_jobs,)  # the SLA sweep was not selected


@pytest.mark.django_db
def test_the_worker_command_refuses_a_job_that_does_not_exist():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"mail\.nothing matches no job; the jobs are sla"):
        call_command("worker", "--once", "--jobs", "sla.alarms,mail.nothing")
