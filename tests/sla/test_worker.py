"""The SLA worker in process: claims and leases, the once-only ledger, breach actions, and
the ``palier worker`` command. (Real racing processes: ``test_worker_processes``.)"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from palier.sla import firing
from palier.sla.actions import NOT_PROVIDED
from palier.sla.models import SlaAlarm
from palier.sla.worker import Options, Worker
from palier.tickets import services
from palier.tickets.models import EventKind, Handoff, Ticket, TicketEvent
from tests.factories import make_agent
from tests.sla.conftest import fired_names, paris, reread, sla_events, sweep

pytestmark = pytest.mark.usefixtures("policy")


@pytest.fixture
def due_ticket(desk, at):
    """A taken ticket opened Monday 09:00: its response and L1 OLA breach at 13:00... 14:00."""
    at(paris(16, 9))
    return services.take(desk.a.l1, desk.open(desk.a).pk)


def test_a_claimed_ticket_is_leased_to_one_worker(due_ticket, at):
    now = at(paris(16, 12))
    assert firing.claim(now) == [due_ticket.pk]
    assert firing.claim(now) == []  # another worker finds nothing to take
    assert reread(due_ticket).sla_claimed_until == now + firing.LEASE
    fired = firing.fire([due_ticket.pk], now)
    assert fired_names(fired) == ["ola:L1 warning_75", "response warning_75"]
    assert reread(due_ticket).sla_claimed_until is None


def test_a_lost_claim_is_taken_over_when_its_lease_runs_out(due_ticket, at):
    now = at(paris(16, 12))
    firing.claim(now)  # the worker dies before firing
    assert firing.claim(now + firing.LEASE - timedelta(seconds=1)) == []
    later = now + firing.LEASE + timedelta(seconds=1)
    assert firing.claim(later) == [due_ticket.pk]
    assert len(firing.fire([due_ticket.pk], later)) == 2
    assert SlaAlarm.objects.filter(ticket=due_ticket).count() == 2


def test_two_workers_holding_one_ticket_fire_its_alarms_once(due_ticket, at):
    now = at(paris(16, 12))
    slow = firing.claim(now)  # a worker stalls past its lease…
    later = now + firing.LEASE * 2
    fast = firing.claim(later)
    assert slow == fast == [due_ticket.pk]
    assert len(firing.fire(fast, later)) == 2
    state = reread(due_ticket).sla_state
    again = [paris(16, 12).isoformat(), "response", "warning_75", "240m", None, 75]
    Ticket.objects.filter(pk=due_ticket.pk).update(  # …and resumes with what it read then
        sla_state={**state, "alarms": [again, *state["alarms"]]}, next_sla_check_at=now)
    assert firing.fire(slow, later) == []
    assert sla_events(due_ticket) == [("ola:L1", "warning_75"), ("response", "warning_75")]
    assert reread(due_ticket).next_sla_check_at == paris(16, 13, 36)


def test_an_action_between_claim_and_fire_wins(desk, due_ticket, at):
    now = at(paris(16, 12))
    ids = firing.claim(now)
    services.add_message(desk.a.l1, due_ticket.pk, body="On it")  # response met
    fired = firing.fire(ids, now)
    assert fired_names(fired) == ["ola:L1 warning_75"]


def test_a_policy_edit_waits_until_it_is_applied(policy, due_ticket, at):
    policy.alert_managers = True
    policy.save()  # not applied (the admin applies it): the ticket keeps its rules
    at(paris(16, 14, 30))
    assert set(fired_names(sweep())) == {"response breach", "ola:L1 breach"}
    assert not TicketEvent.objects.filter(kind=EventKind.MANAGERS_ALERTED).exists()


def test_alert_managers_on_breach(desk, policy, at):
    policy.alert_managers = True
    policy.save()
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 14))
    sweep()
    alerts = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.MANAGERS_ALERTED)
    assert sorted(e.data["target"] for e in alerts) == ["ola:L1", "response"]
    assert {(e.actor_id, e.data["reason"], e.data["level"]) for e in alerts} == {
        (None, "sla_breach", "L1")}


def test_an_exhausted_ola_escalates_with_a_system_handoff(desk, policy, at):
    policy.auto_escalate_on_ola = True
    policy.save()
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    services.add_message(desk.a.l1, ticket.pk, body="Reinstalled the VPN client",
                         internal=True)
    at(paris(16, 14))
    assert "ola:L1 breach" in fired_names(sweep())
    moved = reread(ticket)
    assert (moved.status, moved.level.code, moved.group.name) == (
        "escalated", "L2", "Network & Systems")
    handoff = Handoff.objects.get(ticket=ticket)
    assert handoff.created_by_id is None and "Escalated automatically" in handoff.summary
    assert handoff.steps_tried == "Reinstalled the VPN client"
    assert handoff.fields == {"affected_host": NOT_PROVIDED, "error_message": NOT_PROVIDED}
    assert moved.ola_due_at == paris(17, 14)  # L2's 8 h start now
    escalated = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ESCALATED)
    assert escalated.actor_id is None and escalated.data["to_level"] == "L2"
    assert sweep(paris(16, 14, 1)) == []  # nothing fires twice, nothing bounces


def test_no_escalation_beyond_the_contract_a_note_says_why(desk, policy, at):
    policy.auto_escalate_on_ola = True
    policy.save()
    desk.a.contract.included_levels.set([desk.levels["L1"]])
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 14))
    sweep()
    assert reread(ticket).level.code == "L1"
    note = TicketEvent.objects.get(ticket=ticket, kind=EventKind.NOTE)
    assert note.actor_id is None and "Automatic escalation to L2 skipped" in note.body


def test_a_breach_reassigns_to_the_least_loaded_agent_of_the_group(desk, policy, at):
    policy.reassign_in_group = True
    policy.save()
    other = make_agent("spare@desk.test", groups=[desk.groups["sd"]], clients=[desk.a.client])
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    services.take(desk.a.l1, desk.open(desk.a, title="Second").pk)  # l1 carries two
    at(paris(16, 14))
    sweep()
    assert reread(ticket).assignee_id == other.agent.pk
    assigned = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNED).last()
    assert assigned.actor_id is None and assigned.data["how"] == "least_loaded"


def test_the_worker_command_fires_what_is_due_and_says_so(due_ticket, at):
    at(paris(16, 13, 36))
    out = io.StringIO()
    call_command("worker", "--once", "--batch", "1", stdout=out)
    assert "fired 4 warnings and 0 breaches on 1 tickets" in out.getvalue()
    at(paris(16, 14))
    call_command("worker", "--once", stdout=out)
    call_command("worker", "--once", stdout=out)
    assert "worker stopped: 0 warnings and 2 breaches fired on 1 tickets" in out.getvalue()
    assert len(sla_events(due_ticket)) == 6


def test_a_late_worker_fires_the_breach_not_the_warnings_it_overtook(due_ticket, at):
    at(paris(16, 14, 30))
    assert set(fired_names(sweep())) == {"response breach", "ola:L1 breach"}
    assert reread(due_ticket).next_sla_check_at == paris(17, 14)  # resolution 75 %: 12 h
    assert not SlaAlarm.objects.filter(kind__startswith="warning").exists()


def test_the_loop_stops_when_asked_and_when_its_parent_is_gone(due_ticket, at, monkeypatch):
    at(paris(16, 12))
    worker = Worker(Options(interval=0.01, exit_with_parent=True), report=lambda _: None)
    parents = iter([1000])
    monkeypatch.setattr("os.getppid", lambda: next(parents, 1))
    totals = worker.run()
    assert (totals.tickets, totals.warnings, totals.breaches) == (1, 2, 0)
    stopped = Worker(Options(interval=0.01))
    stopped.stopping.set()
    assert stopped.run().batches == 0
