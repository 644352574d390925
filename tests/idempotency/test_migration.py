"""Migration 0002 keeps the keys stored before it: they replay as ticket creations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from palier.core import clock
from palier.idempotency import services

BEFORE = [("idempotency", "0001_idempotency_keys")]
AFTER = [("idempotency", "0002_operation_status_response")]
FIELDS = {"title": "VPN drops", "description": "Every ten minutes."}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_key_stored_before_0002_still_replays_its_ticket(desk):
    ticket = desk.open(desk.a, **FIELDS)
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        old.get_model("idempotency", "IdempotencyKey").objects.create(
            user_id=desk.a.requester.pk, key="before", ticket_id=ticket.pk,
            fingerprint=services.fingerprint(FIELDS), created_at=clock.now())
    finally:
        _migrate(AFTER)
    opened = services.open_ticket_once(desk.a.requester, "before", **FIELDS)
    assert opened.replayed and opened.ticket.pk == ticket.pk
