"""The journal reader: a durable, gap-aware cursor over ``TicketEvent`` ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from palier.channels.models import JournalCursor, OutboundMessage
from palier.channels.services import journal
from palier.core import jobs
from palier.tickets.models import EventKind, TicketEvent

pytestmark = pytest.mark.django_db


def _event(ticket, pk=None, kind=EventKind.MESSAGE, body="Hello from the desk"):
    return TicketEvent.objects.create(pk=pk, ticket=ticket, kind=kind, created_at=ticket
                                      .created_at, public=True, body=body)


def _cursor() -> JournalCursor:
    return JournalCursor.objects.get(name=journal.CURSOR)


def test_an_id_committed_late_is_picked_up(desk):
    ticket = desk.open(desk.a)
    journal.scan()
    top = _cursor().position
    _event(ticket, pk=top + 2)  # id top+1 is still in flight in another transaction
    journal.scan()
    assert _cursor().position == top + 2 and str(top + 1) in _cursor().pending
    late = _event(ticket, pk=top + 1, body="committed late")
    assert journal.scan() == 1
    assert _cursor().pending == {}
    assert OutboundMessage.objects.filter(event=late).exists()


def test_a_gap_that_never_fills_is_given_up_after_a_while(desk):
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        ticket = desk.open(desk.a)
        journal.scan()
        top = _cursor().position
        _event(ticket, pk=top + 3)
        journal.scan()
        assert set(_cursor().pending) == {str(top + 1), str(top + 2)}
        clock.shift(journal.GAP_PATIENCE - timedelta(seconds=1))
        journal.scan()
        assert len(_cursor().pending) == 2
        clock.shift(timedelta(seconds=2))
        journal.scan()
        assert _cursor().pending == {}


def test_the_cursor_survives_and_resumes_where_it_stopped(desk):
    first = desk.open(desk.a)
    assert journal.scan() >= 1
    desk.open(desk.a, title="Second")
    handled = journal.scan()
    assert handled == 1
    assert OutboundMessage.objects.filter(ticket=first).count() == 1
    assert journal.scan() == 0


def test_a_poison_event_does_not_block_the_journal(desk, monkeypatch):
    ticket = desk.open(desk.a)
    from palier.channels.services import journal as module

    real = module.recipients_for
    monkeypatch.setattr(module, "recipients_for", lambda e: 1 / 0 if e.kind == "created"
                        else real(e))
    _event(ticket)
    journal.scan()
    assert OutboundMessage.objects.filter(kind="reply").count() == 1
    assert journal.scan() == 0


def test_the_jobs_are_registered_for_the_worker():
    names = {job.name for job in jobs.registered()}
    assert {"channels.journal", "channels.outbound", "channels.webhooks",
            "channels.imap"} <= names


def test_history_older_than_the_max_age_is_not_announced(desk, settings):
    settings.PALIER_NOTIFY_MAX_AGE_HOURS = 12
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        old = desk.open(desk.a, title="Loaded history")
        clock.shift(timedelta(hours=13))
        fresh = desk.open(desk.a, title="Today")
        journal.scan()
    assert not OutboundMessage.objects.filter(ticket=old).exists()
    assert OutboundMessage.objects.filter(ticket=fresh).count() == 1


def test_skip_history_starts_after_the_latest_event(desk):
    desk.open(desk.a)
    journal.skip_history()
    assert journal.scan() == 0 and not OutboundMessage.objects.exists()
