"""Each metric on hand-built histories whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from palier.reports.metrics import Kind, Step, aggregate, case_facts, escalation_pairs, revisits

RANKS = {"L1": 1, "L2": 2, "L3": 3}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def facts(*steps: Step):
    return case_facts(list(steps), RANKS, first_level="L1")


def test_first_contact_resolution_at_l1_in_one_interaction():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(5), Kind.ASSIGNED, agent="a1"),
              Step(at(10), Kind.RESPONSE), Step(at(30), Kind.RESOLVED))
    assert f.fcr and f.l1_resolved and f.resolved
    assert f.first_response_seconds == 600 and f.resolve_seconds == 1800
    assert f.level_seconds == {"L1": 1800} and f.resolved_level == "L1"


def test_reassignment_or_pause_or_reopen_is_not_fcr_but_still_l1_resolution():
    base = [Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(1), Kind.ASSIGNED, agent="a1")]
    reassigned = facts(*base, Step(at(2), Kind.ASSIGNED, agent="a2"), Step(at(9), Kind.RESOLVED))
    paused = facts(*base, Step(at(2), Kind.PENDING), Step(at(62), Kind.RESUMED),
                   Step(at(70), Kind.RESOLVED))
    reopened = facts(*base, Step(at(5), Kind.RESOLVED), Step(at(50), Kind.REOPENED),
                     Step(at(60), Kind.RESOLVED))
    for f in (reassigned, paused, reopened):
        assert f.l1_resolved and not f.fcr
    assert reassigned.reassignments == 1
    assert paused.paused_seconds == 3600 and paused.level_seconds == {"L1": 600}
    assert reopened.reopens == 1 and reopened.resolve_seconds == 3600
    # resolved between minute 5 and 50: that time is at no level
    assert reopened.level_seconds == {"L1": 15 * 60}


def test_escalation_acceptance_and_time_per_level():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(10), Kind.ESCALATED, "L2", "net"),
              Step(at(20), Kind.ASSIGNED, agent="b1"), Step(at(80), Kind.RESOLVED))
    assert f.escalations == 1 and f.level_trail == ("L1", "L2")
    assert not f.l1_resolved and not f.fcr and not f.pingpong
    assert f.level_seconds == {"L1": 600, "L2": 4200} and f.resolved_level == "L2"
    assert f.reassignments == 0  # a new agent after a level change is not a reassignment


def test_returned_escalation_is_a_return_and_a_pingpong():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(1), Kind.ASSIGNED, agent="a1"),
              Step(at(10), Kind.ESCALATED, "L2", "net"), Step(at(15), Kind.RETURNED, "L1"),
              Step(at(40), Kind.RESOLVED))
    assert (f.escalations, f.returns, f.de_escalations) == (1, 1, 0)
    assert f.group_trail == ("sd", "net", "sd")  # a return goes back to the sending group
    assert f.pingpong_level and f.pingpong_group and f.pingpong
    assert not f.l1_resolved and not f.fcr
    assert f.level_seconds == {"L1": 35 * 60, "L2": 5 * 60}


def test_skip_de_escalation_and_lateral_group_move():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(5), Kind.ESCALATED, "L3", "infra"),
              Step(at(65), Kind.DE_ESCALATED, "L2", "net"), Step(at(70), Kind.MOVED, "L2", "apps"),
              Step(at(90), Kind.RESOLVED))
    assert (f.escalations, f.skips, f.de_escalations, f.reassignments) == (1, 1, 1, 1)
    assert f.level_trail == ("L1", "L3", "L2") and not f.pingpong_level
    assert not f.pingpong_group
    assert f.resolved_level == "L2"


def test_pingpong_between_groups_at_one_level():
    f = facts(Step(at(0), Kind.CREATED, "L2", "net"), Step(at(5), Kind.MOVED, "L2", "apps"),
              Step(at(9), Kind.MOVED, "L2", "net"), Step(at(20), Kind.RESOLVED))
    assert f.pingpong_group and not f.pingpong_level and f.reassignments == 2


def test_unresolved_case_counts_time_until_the_given_end():
    f = case_facts([Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(30), Kind.PENDING)], RANKS,
                   first_level="L1", until=at(90))
    assert not f.resolved and f.resolve_seconds is None
    assert f.level_seconds == {"L1": 1800} and f.paused_seconds == 3600


def test_closure_without_resolution_resolves_event_log_cases():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(10), Kind.WORK, "L1", "sd"),
              Step(at(20), Kind.CLOSED, "L1", "sd"))
    assert f.resolved and f.resolve_seconds == 1200 and f.fcr


def test_article_marks_knowledge_use():
    f = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(3), Kind.OTHER, article=True),
              Step(at(4), Kind.RESOLVED))
    assert f.with_article


def test_revisits_and_pairs():
    assert revisits(("L1", "L2", "L1")) and not revisits(("L1", "L2", "L3"))
    pairs = escalation_pairs([(("L1", "L2", "L3"), 2), (("L1", "L3"), 1),
                              (("L1", "L2", "L1"), 4)], RANKS)
    assert pairs == {"L1→L2": 6, "L1→L3": 1, "L2→L3": 2}


def test_aggregate_over_a_small_desk():
    fcr = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(10), Kind.RESOLVED))
    climbed = facts(Step(at(0), Kind.CREATED, "L1", "sd"),
                    Step(at(10), Kind.ESCALATED, "L2", "net"),
                    Step(at(20), Kind.ESCALATED, "L3", "infra"), Step(at(50), Kind.RESOLVED))
    bounced = facts(Step(at(0), Kind.CREATED, "L1", "sd"),
                    Step(at(10), Kind.ESCALATED, "L2", "net"),
                    Step(at(12), Kind.RETURNED, "L1"), Step(at(30), Kind.RESOLVED),
                    Step(at(40), Kind.REOPENED), Step(at(45), Kind.RESOLVED))
    open_ = facts(Step(at(0), Kind.CREATED, "L1", "sd"), Step(at(5), Kind.RESPONSE))
    out = aggregate([fcr, climbed, bounced, open_], RANKS)
    assert out["volume"] == 4 and out["resolved"] == 3
    assert out["fcr_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["l1_resolution_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["escalation_rate"] == 0.5 and out["escalations"] == 3
    assert out["returns"] == 1 and out["return_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["pingpong"] == 1 and out["reopen_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["reached"] == {"L1": 4, "L2": 2, "L3": 1}
    assert out["paths"] == {"L1→L2": 2, "L2→L3": 1}
    l1_minutes = 10 + 10 + (10 + 18 + 5) + 5
    assert out["level_seconds"] == {"L1": l1_minutes * 60.0, "L2": (10 + 2) * 60.0,
                                    "L3": 30 * 60.0}
    assert out["resolve_seconds_by_level"] == {"L1": (600 + 2700) / 2, "L2": None, "L3": 3000}
    # first response: the first RESPONSE or RESOLVED step of each case
    assert out["first_response_seconds"] == pytest.approx((600 + 3000 + 1800 + 300) / 4)
