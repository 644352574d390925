"""Live tickets → facts → SQL aggregation, checked against the pure brute force."""

from __future__ import annotations

import pytest

from palier.reports import aggregate, facts
from palier.reports.metrics import aggregate as brute_force
from palier.reports.models import TicketFacts
from tests.reports.conftest import journal_facts, minutes

RANKS = {"L1": 1, "L2": 2, "L3": 3}


def row(ticket) -> TicketFacts:
    return TicketFacts.objects.get(pk=ticket.pk)


def test_first_contact_resolution_from_the_journal(history):
    f = row(history.fcr)
    assert f.fcr and f.l1_resolved and f.resolved and f.level_trail == "L1"
    assert f.first_response_seconds == 600 and f.resolve_seconds == 1800
    assert f.seconds_l1 == 1800 and f.escalations == 0


def test_climb_counts_two_escalations_and_time_per_level(history):
    f = row(history.climb)
    assert (f.escalations, f.skips, f.returns) == (2, 0, 0)
    assert f.level_trail == "L1>L2>L3" and f.resolved_level == "L3"
    assert (f.seconds_l1, f.seconds_l2, f.seconds_l3) == (20 * 60, 70 * 60, 70 * 60)
    assert not f.fcr and not f.pingpong_level


def test_return_pause_and_reopen(history):
    f = row(history.bounce)
    assert (f.escalations, f.returns, f.reopens) == (1, 1, 1)
    assert f.pingpong_level and f.pingpong_group and not f.fcr and not f.l1_resolved
    assert f.paused_seconds == 3600
    # L1: 0-5, 15-20, 80-90, 200-210; L2: 5-15 (awaiting acceptance counts at L2)
    assert f.seconds_l1 == 30 * 60 and f.seconds_l2 == 10 * 60
    assert f.resolve_seconds == 210 * 60 and f.resolved_level == "L1"


def test_de_escalation_is_not_a_return(history):
    f = row(history.down)
    assert (f.escalations, f.returns, f.de_escalations) == (1, 0, 1)
    assert f.pingpong_level and f.resolved_level == "L1" and not f.l1_resolved


def test_open_ticket_counts_until_its_last_event(history):
    f = row(history.open)
    assert not f.resolved and f.seconds_l1 == 40 * 60 and f.first_response_seconds == 2400


def test_sql_aggregation_equals_the_brute_force(history, desk):
    rows = facts.compute(history.ids, facts.Desk.load())
    assert len(rows) == 6
    pure = journal_facts(history.ids, RANKS)
    sql = aggregate.case_metrics(TicketFacts.objects.all(), RANKS)
    expected = brute_force(pure, RANKS)
    for key, value in expected.items():
        assert sql[key] == pytest.approx(value), key


def test_known_answers_for_client_a(history, desk):
    out = aggregate.case_metrics(TicketFacts.objects.filter(client=desk.a.client), RANKS)
    assert out["volume"] == 5 and out["resolved"] == 4
    assert out["fcr_rate"] == 0.25 and out["l1_resolution_rate"] == 0.25
    assert out["escalation_rate"] == 0.6 and out["escalations"] == 4
    assert out["returns"] == 1 and out["return_rate"] == 0.25
    assert out["pingpong"] == 2 and out["reopen_rate"] == 0.25
    assert out["paths"] == {"L1→L2": 3, "L2→L3": 1}
    assert out["reached"] == {"L1": 5, "L2": 3, "L3": 1}
    assert out["resolve_seconds_by_level"]["L3"] == 160 * 60


def test_worker_job_picks_up_new_events(history, desk, time_machine):
    from palier.reports.jobs import refresh_facts
    from palier.tickets import services

    TicketFacts.objects.all().delete()
    time_machine.move_to(minutes(400), tick=False)
    assert refresh_facts() == 6 and TicketFacts.objects.count() == 6
    services.reopen(desk.a.requester, history.fcr.pk, reason="Back again")
    time_machine.move_to(minutes(402), tick=False)
    assert refresh_facts() == 1
    assert TicketFacts.objects.get(pk=history.fcr.pk).resolved is False
    assert refresh_facts() == 0
