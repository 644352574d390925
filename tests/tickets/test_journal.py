"""The journal: exactly one event per action, none for a refused action, append-only."""

from __future__ import annotations

import pytest

from palier.core.errors import DomainError
from palier.tickets import services
from palier.tickets.models import Ticket, TicketEvent, Worklog
from tests.factories import (
    accepted,
    closed,
    escalated,
    full_handoff,
    kinds,
    new_ticket,
    pending,
    resolved,
    state,
    taken,
    upload,
)

#: action → (ticket builder, call, the event kind it writes)
ACTIONS = {
    "classify": (new_ticket, lambda d, t: services.classify(d.a.l1, t.pk, impact="high"),
                 "classified"),
    "take": (new_ticket, lambda d, t: services.take(d.a.l1, t.pk), "assigned"),
    "assign": (new_ticket, lambda d, t: services.assign(d.a.manager, t.pk, d.a.l1.agent.pk),
               "assigned"),
    "auto_assign": (new_ticket, lambda d, t: services.auto_assign(d.a.manager, t.pk),
                    "assigned"),
    "escalate": (taken, lambda d, t: services.escalate(
        d.a.l1, t.pk, to_level_id=d.levels["L2"].pk, handoff=full_handoff()), "escalated"),
    "accept": (escalated, lambda d, t: services.accept(d.a.l2, t.pk), "accepted"),
    "return": (escalated, lambda d, t: services.return_escalation(d.a.l2, t.pk, reason="No log"),
               "returned"),
    "de_escalate": (accepted, lambda d, t: services.de_escalate(
        d.a.l2, t.pk, to_level_id=d.levels["L1"].pk, instructions="Confirm"), "de_escalated"),
    "alert_managers": (taken, lambda d, t: services.alert_managers(d.a.l1, t.pk, reason="VIP"),
                       "managers_alerted"),
    "engage_vendor": (taken, lambda d, t: services.engage_vendor(d.a.l1, t.pk, vendor="Cisco"),
                      "vendor"),
    "message": (new_ticket, lambda d, t: services.add_message(d.a.l1, t.pk, body="Hello"),
                "message"),
    "note": (new_ticket, lambda d, t: services.add_message(d.a.l1, t.pk, body="Hm",
                                                           internal=True), "note"),
    "requester_reply": (pending, lambda d, t: services.add_message(d.a.requester, t.pk,
                                                                   body="Log attached"),
                        "message"),
    "set_pending": (taken, lambda d, t: services.set_pending(d.a.l1, t.pk, waiting_on="Log"),
                    "pending"),
    "resume": (pending, lambda d, t: services.resume(d.a.l1, t.pk), "resumed"),
    "resolve": (taken, lambda d, t: services.resolve(d.a.l1, t.pk, resolution="Fixed"),
                "resolved"),
    "reopen": (resolved, lambda d, t: services.reopen(d.a.requester, t.pk, reason="Broken"),
               "reopened"),
    "close": (resolved, lambda d, t: services.close(d.a.requester, t.pk), "closed"),
    "merge": (new_ticket, lambda d, t: services.merge(d.a.l1, t.pk, into_id=d.open(d.a).pk),
              "merged"),
    "log_work": (taken, lambda d, t: services.log_work(d.a.l1, t.pk, minutes=10), "worklog"),
    "rate_resolution": (resolved, lambda d, t: services.rate_resolution(
        d.a.requester, t.pk, score=5), "satisfaction"),
    "add_attachment": (new_ticket, lambda d, t: services.add_attachment(d.a.l1, t.pk, upload()),
                       "attachment"),
}

#: action → (ticket builder, a call the services refuse)
REFUSED = {
    "classify": (new_ticket, lambda d, t: services.classify(d.a.l1, t.pk, impact="medium")),
    "take": (taken, lambda d, t: services.take(d.a.l1, t.pk)),
    "assign": (new_ticket, lambda d, t: services.assign(d.a.l1, t.pk, d.a.l2.agent.pk)),
    "auto_assign": (resolved, lambda d, t: services.auto_assign(d.a.manager, t.pk)),
    "escalate": (taken, lambda d, t: services.escalate(
        d.a.l1, t.pk, to_level_id=d.levels["L2"].pk, handoff=full_handoff(fields={}))),
    "accept": (escalated, lambda d, t: services.accept(d.a.l1, t.pk)),
    "return": (escalated, lambda d, t: services.return_escalation(d.a.l2, t.pk, reason="")),
    "de_escalate": (accepted, lambda d, t: services.de_escalate(
        d.a.l2, t.pk, to_level_id=d.levels["L3"].pk, instructions="Confirm")),
    "alert_managers": (taken, lambda d, t: services.alert_managers(d.a.requester, t.pk,
                                                                   reason="Hurry")),
    "engage_vendor": (escalated, lambda d, t: services.engage_vendor(d.a.l2, t.pk,
                                                                     vendor="Cisco")),
    "message": (closed, lambda d, t: services.add_message(d.a.l1, t.pk, body="Hello")),
    "note": (new_ticket, lambda d, t: services.add_message(d.a.requester, t.pk, body="Hm",
                                                           internal=True)),
    "set_pending": (pending, lambda d, t: services.set_pending(d.a.l1, t.pk, waiting_on="Log")),
    "resume": (taken, lambda d, t: services.resume(d.a.l1, t.pk)),
    "resolve": (taken, lambda d, t: services.resolve(d.a.requester, t.pk, resolution="Fixed")),
    "reopen": (taken, lambda d, t: services.reopen(d.a.requester, t.pk, reason="Broken")),
    "close": (taken, lambda d, t: services.close(d.a.requester, t.pk)),
    "merge": (resolved, lambda d, t: services.merge(d.a.l1, t.pk, into_id=d.open(d.a).pk)),
    "log_work": (taken, lambda d, t: services.log_work(d.a.l1, t.pk, minutes=0)),
    "rate_resolution": (new_ticket, lambda d, t: services.rate_resolution(
        d.a.requester, t.pk, score=5)),
    "add_attachment": (new_ticket, lambda d, t: services.add_attachment(
        d.a.l1, t.pk, upload("tool.exe", b"MZ", "application/octet-stream"))),
}


def test_open_ticket_writes_exactly_one_event(desk):
    ticket = desk.open(desk.a)
    assert kinds(ticket.pk) == ["created"]


def test_a_refused_open_ticket_writes_nothing(desk):
    with pytest.raises(DomainError):
        desk.open(desk.a, impact="extreme")
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == (0, 0)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_writes_exactly_one_event(desk, action):
    build, call, kind = ACTIONS[action]
    ticket = build(desk, desk.a)
    before = kinds(ticket.pk)
    call(desk, ticket)
    assert kinds(ticket.pk) == [*before, kind]
    event = TicketEvent.objects.filter(ticket=ticket).latest("id")
    assert event.actor is not None


@pytest.mark.parametrize("action", list(REFUSED))
def test_a_refused_action_writes_nothing(desk, action):
    build, call = REFUSED[action]
    ticket = build(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(DomainError):
        call(desk, ticket)
    assert state(ticket.pk) == before


def test_every_write_service_is_covered():
    service_of = {"message": "add_message", "note": "add_message",
                  "requester_reply": "add_message", "return": "return_escalation"}
    covered = {"open_ticket"} | {service_of.get(action, action) for action in ACTIONS}
    assert covered == set(services.__all__) - {"HandoffInput"}
    assert set(REFUSED) == set(ACTIONS) - {"requester_reply"}


def test_a_journal_event_cannot_be_changed(desk):
    event = desk.open(desk.a).events.get()
    event.body = "rewritten history"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert TicketEvent.objects.get(pk=event.pk).body != "rewritten history"


def test_a_journal_event_cannot_be_deleted(desk):
    event = desk.open(desk.a).events.get()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert TicketEvent.objects.filter(pk=event.pk).exists()


def test_a_worklog_entry_is_append_only_too(desk):
    entry = services.log_work(desk.a.l1, taken(desk, desk.a).pk, minutes=10)
    entry.minutes = 600
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert Worklog.objects.get(pk=entry.pk).minutes == 10


def test_the_journal_is_in_time_order(desk):
    ticket = escalated(desk, desk.a)
    services.accept(desk.a.l2, ticket.pk)
    assert kinds(ticket.pk) == ["created", "assigned", "escalated", "accepted"]
    assert list(ticket.events.values_list("kind", flat=True)) == kinds(ticket.pk)
