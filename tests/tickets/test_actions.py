"""Conversation and everyday actions: messages, pending, resolve, reopen, close, worklog."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.core.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from palier.tickets import services
from palier.tickets.models import Worklog
from tests.factories import (
    accepted,
    closed,
    full_handoff,
    kinds,
    pending,
    resolved,
    state,
    taken,
)

MONDAY_9 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


# Messages

def test_the_first_public_agent_reply_sets_first_response(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = desk.open(desk.a)
    services.add_message(desk.a.requester, ticket.pk, body="Any news?")
    services.add_message(desk.a.l1, ticket.pk, body="Checking the logs", internal=True)
    assert state(ticket.pk)["ticket"]["first_response_at"] is None
    time_machine.move_to(MONDAY_9 + dt.timedelta(minutes=20), tick=False)
    services.add_message(desk.a.l1, ticket.pk, body="We are on it")
    time_machine.move_to(MONDAY_9 + dt.timedelta(minutes=50), tick=False)
    ticket = services.add_message(desk.a.l2, ticket.pk, body="Second reply")
    assert ticket.first_response_at == MONDAY_9 + dt.timedelta(minutes=20)


def test_messages_and_notes_are_journalled_with_their_visibility(desk):
    ticket = desk.open(desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Public answer")
    services.add_message(desk.a.l1, ticket.pk, body="Internal note", internal=True)
    message, note = ticket.events.order_by("id")[1:]
    assert (message.kind, message.public, message.body) == ("message", True, "Public answer")
    assert (note.kind, note.public, note.body) == ("note", False, "Internal note")


def test_a_message_needs_a_body(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(ValidationFailed) as caught:
        services.add_message(desk.a.requester, ticket.pk, body=" \n ")
    assert caught.value.fields == {"body": "required"}


def test_a_requesters_reply_resumes_a_pending_ticket(desk):
    ticket = pending(desk, desk.a)
    ticket = services.add_message(desk.a.requester, ticket.pk, body="Here is the log")
    assert ticket.status == "open"
    assert ticket.events.latest("id").data == {"resumed": True}


def test_an_agents_message_leaves_a_ticket_pending(desk):
    ticket = services.add_message(desk.a.l1, pending(desk, desk.a).pk, body="Reminder")
    assert ticket.status == "pending"


def test_a_requesters_reply_does_not_resume_a_vendor_wait(desk):
    ticket = services.engage_vendor(desk.a.l1, taken(desk, desk.a).pk, vendor="Fortinet")
    ticket = services.add_message(desk.a.requester, ticket.pk, body="Any news?")
    assert ticket.status == "pending_vendor"


def test_closed_tickets_refuse_messages(desk):
    ticket = closed(desk, desk.a)
    before = state(ticket.pk)
    for actor in (desk.a.requester, desk.a.l1):
        with pytest.raises(IllegalTransition):
            services.add_message(actor, ticket.pk, body="Still broken")
    assert state(ticket.pk) == before


def test_requesters_cannot_write_internal_notes(desk):
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    for actor in (desk.a.requester, desk.a.client_manager):
        with pytest.raises(PermissionDenied):
            services.add_message(actor, ticket.pk, body="psst", internal=True)
    assert state(ticket.pk) == before


# Pending and resume

def test_pending_says_what_is_awaited_and_resume_reopens(desk):
    ticket = pending(desk, desk.a)
    event = ticket.events.latest("id")
    assert (ticket.status, event.kind, event.body, event.public) == (
        "pending", "pending", "The VPN client log", True)
    ticket = services.resume(desk.a.l1, ticket.pk)
    assert ticket.status == "open"


def test_pending_needs_to_say_what_is_awaited(desk):
    with pytest.raises(ValidationFailed):
        services.set_pending(desk.a.l1, taken(desk, desk.a).pk, waiting_on="")


def test_an_open_ticket_cannot_be_resumed(desk):
    with pytest.raises(IllegalTransition):
        services.resume(desk.a.l1, taken(desk, desk.a).pk)


# Resolve, reopen, close

def test_resolving_records_the_resolution(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = taken(desk, desk.a)
    ticket = services.resolve(desk.a.l1, ticket.pk, resolution="  Raised the MTU  ")
    assert (ticket.status, ticket.resolution, ticket.resolved_at) == (
        "resolved", "Raised the MTU", MONDAY_9)
    assert ticket.first_response_at == MONDAY_9  # the resolution answers the requester
    event = ticket.events.latest("id")
    assert (event.kind, event.public, event.data) == ("resolved", True, {"level": "L1"})


def test_a_resolution_is_required(desk):
    ticket = taken(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed):
        services.resolve(desk.a.l1, ticket.pk, resolution="")
    assert state(ticket.pk) == before


def test_the_level_that_resolved_is_recorded(desk):
    ticket = services.resolve(desk.a.l2, accepted(desk, desk.a).pk, resolution="Fixed")
    assert ticket.events.latest("id").data == {"level": "L2"}


def test_pending_tickets_can_be_resolved(desk):
    for ticket in (pending(desk, desk.a),
                   services.engage_vendor(desk.a.l1, taken(desk, desk.a).pk, vendor="Acme")):
        assert services.resolve(desk.a.l1, ticket.pk, resolution="Done").status == "resolved"


def test_requesters_cannot_resolve(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(PermissionDenied):
        services.resolve(desk.a.requester, ticket.pk, resolution="It works now")


def test_the_requester_reopens_a_resolved_ticket(desk):
    ticket = services.reopen(desk.a.requester, resolved(desk, desk.a).pk,
                             reason="It broke again")
    assert (ticket.status, ticket.resolved_at) == ("open", None)
    event = ticket.events.latest("id")
    assert (event.kind, event.body, event.public) == ("reopened", "It broke again", True)


def test_a_reopen_needs_a_reason_and_a_resolved_ticket(desk):
    ticket = resolved(desk, desk.a)
    with pytest.raises(ValidationFailed):
        services.reopen(desk.a.requester, ticket.pk, reason="")
    with pytest.raises(IllegalTransition):
        services.reopen(desk.a.requester, taken(desk, desk.a).pk, reason="Why not")


def test_the_colleague_cannot_reopen_someone_elses_ticket(desk):
    ticket = resolved(desk, desk.a)
    with pytest.raises(NotFound):
        services.reopen(desk.a.colleague, ticket.pk, reason="Mine too")


def test_the_requester_closes_a_resolved_ticket(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = services.close(desk.a.requester, resolved(desk, desk.a).pk)
    assert (ticket.status, ticket.closed_at) == ("closed", MONDAY_9)
    assert kinds(ticket.pk)[-1] == "closed"


def test_only_a_resolved_ticket_can_be_closed(desk):
    with pytest.raises(IllegalTransition):
        services.close(desk.a.l1, taken(desk, desk.a).pk)


def test_a_closed_ticket_is_final(desk):
    ticket = closed(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(IllegalTransition):
        services.reopen(desk.a.requester, ticket.pk, reason="Broken again")
    with pytest.raises(IllegalTransition):
        services.close(desk.a.requester, ticket.pk)
    assert state(ticket.pk) == before


def test_an_agent_outside_the_group_cannot_close(desk):
    with pytest.raises(PermissionDenied):
        services.close(desk.a.l3, resolved(desk, desk.a).pk)


# Worklog

def test_work_is_logged_at_the_tickets_level(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = taken(desk, desk.a)
    first = services.log_work(desk.a.l1, ticket.pk, minutes=15, note="Remote session")
    services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                      handoff=full_handoff())
    services.accept(desk.a.l2, ticket.pk)
    second = services.log_work(desk.a.l2, ticket.pk, minutes=45)
    assert (first.level.code, first.agent.user, first.minutes, first.note) == (
        "L1", desk.a.l1, 15, "Remote session")
    assert (second.level.code, second.agent.user, second.created_at) == ("L2", desk.a.l2,
                                                                         MONDAY_9)
    event = ticket.events.latest("id")
    assert (event.kind, event.public, event.data) == (
        "worklog", False, {"minutes": 45, "level": "L2"})


@pytest.mark.parametrize("minutes", [0, -5, 1441, 1.5, "30", None, True])
def test_worklog_minutes_are_whole_and_within_a_day(desk, minutes):
    ticket = taken(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.log_work(desk.a.l1, ticket.pk, minutes=minutes)
    assert caught.value.fields == {"minutes": "out_of_range"}
    assert state(ticket.pk) == before


def test_a_whole_day_is_the_longest_entry(desk):
    entry = services.log_work(desk.a.l1, taken(desk, desk.a).pk, minutes=1440)
    assert entry.minutes == 1440


def test_requesters_cannot_log_work(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(PermissionDenied):
        services.log_work(desk.a.requester, ticket.pk, minutes=5)
    assert Worklog.objects.count() == 0
