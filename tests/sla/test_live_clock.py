"""The live clock: scenarios through the real services with frozen time, and the worker
firing each warning and breach at its instant (see conftest for the calendar and targets)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palier.sla.services import apply_policy_change, refresh_clock
from palier.tickets import services
from palier.tickets.models import EventKind, TicketEvent
from tests.factories import full_handoff
from tests.sla.conftest import fired_names, paris, reread, sla_events, sweep

pytestmark = pytest.mark.usefixtures("policy")


def test_a_new_ticket_gets_its_due_times_in_business_time(desk, at):
    at(paris(16, 10))
    ticket = reread(desk.open(desk.a))
    assert ticket.priority == "P3" and ticket.sla_version_id is not None
    assert ticket.response_due_at == paris(16, 15)   # 4 h: 10–12, 13–15
    assert ticket.due_at == paris(18, 10)            # 16 h: Mon 7 h, Tue 8 h, Wed 1 h
    assert ticket.ola_due_at == paris(16, 15)        # L1: 4 h
    assert ticket.next_sla_check_at == paris(16, 14)  # 75 % of the response: 3 h
    assert not ticket.sla_paused


def test_pause_and_resume(desk, at):
    at(paris(16, 10))
    ticket = desk.open(desk.a)
    at(paris(16, 10, 30))
    services.take(desk.a.l1, ticket.pk)
    services.add_message(desk.a.l1, ticket.pk, body="Which VPN client version?")
    at(paris(16, 11))
    services.set_pending(desk.a.l1, ticket.pk, waiting_on="The client version")
    paused = reread(ticket)
    assert paused.sla_paused and paused.next_sla_check_at is None
    assert sweep(paris(16, 17)) == []  # the L1 OLA would be at 75 % by now if it ran

    at(paris(17, 10))
    services.add_message(desk.a.requester, ticket.pk, body="Version 7.2")
    resumed = reread(ticket)
    assert resumed.status == "open" and not resumed.sla_paused
    assert resumed.due_at == paris(18, 18)  # 7 h of business time paused: Wed 10:00 → 18:00
    assert resumed.ola_due_at == paris(17, 14)  # L1 had 1 h of 4 h: 3 h more
    assert resumed.next_sla_check_at == paris(17, 12)
    assert sweep(paris(17, 11, 59)) == []
    assert fired_names(sweep(paris(17, 12))) == ["ola:L1 warning_75"]
    assert fired_names(sweep(paris(17, 13, 36))) == ["ola:L1 warning_90"]
    assert fired_names(sweep(paris(17, 14))) == ["ola:L1 breach"]
    assert fired_names(sweep(paris(18, 14))) == ["resolution warning_75"]
    assert reread(ticket).ola_breached_at == paris(17, 14)


def test_a_priority_change_midway_retargets_and_skips_passed_warnings(desk, at):
    at(paris(16, 9))
    ticket = desk.open(desk.a)
    services.take(desk.a.l1, ticket.pk)
    services.add_message(desk.a.l1, ticket.pk, body="Looking into it")
    at(paris(16, 11))
    ticket = services.classify(desk.a.l1, ticket.pk, impact="high", urgency="medium")
    assert ticket.priority == "P2" and ticket.due_at == paris(16, 18)  # 8 h, 2 h consumed
    at(paris(16, 13, 30))
    ticket = services.classify(desk.a.l1, ticket.pk, urgency="high")
    assert ticket.priority == "P1" and ticket.due_at == paris(16, 14)  # 4 h, 3.5 h consumed
    # 75 % of the P1 target was passed before P1 applied: not fired; 90 % and the breach are.
    assert [f for f in fired_names(sweep(paris(16, 13, 30))) if "resolution" in f] == []
    assert [f for f in fired_names(sweep(paris(16, 13, 36))) if "resolution" in f] == [
        "resolution warning_90"]
    assert [f for f in fired_names(sweep(paris(16, 14))) if "resolution" in f] == [
        "resolution breach"]
    at(paris(16, 15))
    ticket = services.classify(desk.a.l1, ticket.pk, impact="low", urgency="low")
    lowered = reread(ticket)
    assert lowered.priority == "P4" and lowered.resolution_breached_at == paris(16, 14)
    assert not [a for a in lowered.sla_state["alarms"] if a[1] == "resolution"]
    assert sla_events(ticket).count(("resolution", "breach")) == 1


def test_an_escalation_keeps_the_contract_clock_and_starts_the_new_levels_ola(desk, at):
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    before = reread(ticket)
    at(paris(16, 11))
    services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                      handoff=full_handoff())
    escalated = reread(ticket)
    assert (escalated.response_due_at, escalated.due_at) == (before.response_due_at,
                                                             before.due_at)
    assert escalated.due_at == paris(17, 18)
    assert escalated.ola_due_at == paris(17, 11)  # L2's 8 h from Monday 11:00
    at(paris(16, 11, 30))
    services.accept(desk.a.l2, ticket.pk)
    at(paris(16, 14))
    services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L1"].pk,
                         instructions="Confirm with the user")
    back = reread(ticket)
    assert back.ola_due_at == paris(16, 16)  # L1 continues: 2 h used of 4 h
    assert back.sla_state["targets"]["ola"]["level"] == "L1"
    assert back.due_at == before.due_at


def test_a_reopen_continues_the_resolution_clock(desk, at):
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 17))
    services.resolve(desk.a.l1, ticket.pk, resolution="Raised the MTU")
    # A late sweep fires the breaches; the warnings they overtook are not owed any more.
    assert set(fired_names(sweep())) == {"response breach", "ola:L1 breach"}
    assert reread(ticket).next_sla_check_at is None  # everything stopped
    at(paris(18, 9))
    services.reopen(desk.a.requester, ticket.pk, reason="It drops again")
    reopened = reread(ticket)
    assert reopened.due_at == paris(19, 10)  # 7 h used, 9 h left from Wednesday 09:00
    assert reopened.next_sla_check_at == paris(18, 15)
    assert fired_names(sweep(paris(18, 15))) == ["resolution warning_75"]
    assert sla_events(ticket).count(("resolution", "warning_75")) == 1


def test_a_policy_change_while_pending_loses_no_pending_time(desk, policy, at):
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 10))
    services.set_pending(desk.a.l1, ticket.pk, waiting_on="A screenshot")
    first_version = reread(ticket).sla_version_id
    at(paris(17, 10))
    policy.resolution_minutes = {**policy.resolution_minutes, "P3": 1200}
    policy.save()
    assert apply_policy_change(policy) == 1
    changed = reread(ticket)
    assert changed.sla_version_id != first_version and changed.sla_paused
    event = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.POLICY_CHANGED).get()
    assert event.data["from_version"] == first_version
    assert event.data["to_version"] == changed.sla_version_id
    at(paris(17, 14))
    services.resume(desk.a.l1, ticket.pk)
    # 1 h counted before the pause; 19 h of the new 20 h left from Tuesday 14:00.
    assert reread(ticket).due_at == paris(19, 17)
    assert apply_policy_change(policy) == 0  # nothing new: nothing re-timed


def test_a_holiday_inside_a_target_is_not_counted(desk, at):
    at(paris(11, 14, month=7))  # Friday; Monday 14 July is Bastille Day
    ticket = reread(desk.open(desk.a))
    assert ticket.due_at == paris(16, 14, month=7)  # Fri 4 h, Tue 8 h, Wed 4 h
    fired = sweep(paris(15, 14, month=7))  # when it would fall due without the holiday
    assert not [name for name in fired_names(fired) if name.startswith("resolution")]
    assert "resolution breach" in fired_names(sweep(paris(16, 14, month=7)))


def test_each_alarm_fires_once_and_is_journaled_by_the_system(desk, at):
    at(paris(16, 10))
    ticket = desk.open(desk.a)
    at(paris(16, 14, 36))
    assert len(sweep()) == 4  # response and OLA L1: 75 % and 90 %
    at(paris(16, 15))
    assert len(sweep()) == 2  # their breaches
    assert sweep() == [] and sweep(paris(16, 16)) == []
    events = TicketEvent.objects.filter(ticket=ticket, kind__in=["sla_warning", "sla_breach"])
    assert events.count() == 6 and {e.actor_id for e in events} == {None}
    breach = events.get(kind="sla_breach", data__target="response")
    assert breach.data == {"target": "response", "kind": "breach", "cycle": "",
                           "threshold": None, "reached_at": "2025-06-16T13:00:00+00:00",
                           "due_at": "2025-06-16T13:00:00+00:00"}
    assert not breach.public and "First-response target breached" in breach.body
    assert reread(ticket).response_breached_at == paris(16, 15)


def test_refreshing_costs_two_queries_per_action(desk, at, monkeypatch):
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    refresh_clock(reread(ticket))  # warm the per-process caches
    with CaptureQueriesContext(connection) as with_clock:
        services.set_pending(desk.a.l1, ticket.pk, waiting_on="logs")
    monkeypatch.setattr("palier.tickets.services.base.refresh_after", lambda *args: None)
    with CaptureQueriesContext(connection) as without:
        services.resume(desk.a.l1, ticket.pk)
    assert len(with_clock) - len(without) == 2


def test_without_a_policy_the_contract_targets_run_around_the_clock(desk, at):
    at(paris(16, 9))
    ticket = reread(desk.open(desk.b))  # client B has no SLA policy: 24 h elapsed for P3
    assert ticket.due_at == paris(17, 9) and "ola" not in ticket.sla_state["targets"]
    services.take(desk.b.l1, ticket.pk)
    at(paris(16, 10))
    services.set_pending(desk.b.l1, ticket.pk, waiting_on="details")
    at(paris(16, 12))
    services.resume(desk.b.l1, ticket.pk)
    assert reread(ticket).due_at == paris(17, 11)  # the pending requester time is not counted
