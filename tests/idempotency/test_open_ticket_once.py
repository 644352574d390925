"""One ticket per idempotency key: replays, expiry, the purge job, atomicity, concurrency."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from palier.core import clock, jobs
from palier.core.errors import ValidationFailed
from palier.idempotency import services
from palier.idempotency.models import IdempotencyKey
from palier.tickets.models import Ticket, TicketEvent
from tests.idempotency.concurrency import hold_until_the_other_waits, twice_at_once

FIELDS = {"title": "VPN drops", "description": "Every ten minutes."}


def test_the_first_call_opens_and_stores_the_key_with_its_ticket(desk):
    opened = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    assert not opened.replayed
    stored = IdempotencyKey.objects.get()
    assert (stored.user_id, stored.key, stored.ticket_id) == (desk.a.requester.pk, "key-1",
                                                              opened.ticket.pk)
    assert stored.fingerprint == services.fingerprint(FIELDS)
    assert (stored.operation, stored.status, stored.response) == ("open_ticket", 201, None)


def test_a_repeat_replays_without_writing(desk):
    first = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    with CaptureQueriesContext(connection) as queries:
        again = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries), queries
    assert again.replayed and again.ticket.pk == first.ticket.pk
    assert Ticket.objects.count() == 1 and TicketEvent.objects.count() == 1


def test_the_same_key_for_other_fields_is_refused(desk):
    services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    with pytest.raises(ValidationFailed) as refused:
        services.open_ticket_once(desk.a.requester, "key-1", **{**FIELDS, "title": "Other"})
    assert refused.value.code == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_a_refused_create_stores_no_key_and_may_be_corrected(desk):
    with pytest.raises(ValidationFailed):
        services.open_ticket_once(desk.a.requester, "key-1", title="  ")
    assert not IdempotencyKey.objects.exists()
    opened = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    assert not opened.replayed


def test_a_key_lost_with_its_write_leaves_no_ticket(desk, monkeypatch):
    """The key is written in the ticket's transaction: if it cannot be written (the
    connection went away), the ticket is rolled back with it."""
    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(IdempotencyKey.objects, "create", lost)
    with pytest.raises(OperationalError):
        services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()


def test_an_expired_key_opens_a_new_ticket(desk):
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False):
        first = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    with time_machine.travel("2026-03-03 09:00:01+00:00", tick=False):
        again = services.open_ticket_once(desk.a.requester, "key-1", **FIELDS)
    assert not again.replayed and again.ticket.pk != first.ticket.pk
    assert IdempotencyKey.objects.get().ticket_id == again.ticket.pk


def test_the_purge_forgets_keys_older_than_a_day(desk):
    old = services.open_ticket_once(desk.a.requester, "old", **FIELDS).ticket
    fresh = services.open_ticket_once(desk.a.requester, "fresh", **FIELDS).ticket
    IdempotencyKey.objects.filter(key="old").update(
        created_at=clock.now() - services.TTL - timedelta(seconds=1))
    assert services.purge_expired() == 1
    assert list(IdempotencyKey.objects.values_list("ticket_id", flat=True)) == [fresh.pk]
    assert Ticket.objects.filter(pk=old.pk).exists()  # the ticket stays, only the key goes
    assert services.purge_expired() == 0


def test_the_purge_runs_in_the_worker():
    registered = {job.name: job for job in jobs.registered()}
    assert registered["idempotency.purge"].run is services.purge_expired
    assert registered["idempotency.purge"].every == services.PURGE_EVERY_SECONDS


def test_without_a_key_nothing_is_stored(desk):
    services.open_ticket_once(desk.a.requester, None, **FIELDS)
    services.open_ticket_once(desk.a.requester, None, **FIELDS)
    assert Ticket.objects.count() == 2 and not IdempotencyKey.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_open_one_ticket(desk, monkeypatch):
    """Both pass the look-up before either commits: the loser waits for the winner's
    transaction, fails its insert, rolls back its own ticket and replays the winner's."""
    hold_until_the_other_waits(monkeypatch, services, "open_ticket")
    results = twice_at_once(
        lambda: services.open_ticket_once(desk.a.requester, "double", **FIELDS))
    assert sorted(r.replayed for r in results) == [False, True]
    assert results[0].ticket.pk == results[1].ticket.pk
    assert Ticket.objects.count() == 1 and TicketEvent.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
