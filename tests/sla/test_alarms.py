"""Which warnings and breaches a clock owes, and when (pure: no database).

Calendar and targets as in ``test_clock_scenarios`` (Paris office, OLA L1 2 h)."""

from __future__ import annotations

from palier.sla.clock import (
    ACCEPTED,
    CLASSIFIED,
    ESCALATED,
    PENDING,
    RESOLVED,
    RESPONDED,
    Fact,
    clock_with_alarms,
)
from tests.sla.test_clock_scenarios import STANDARD, created, june


def owed(facts, now, fired=()):
    return [(a.target, a.kind, a.cycle, a.at) for a in
            clock_with_alarms(facts, STANDARD, now, fired)[1]]


def names(facts, now, fired=()):
    return [f"{target} {kind}" for target, kind, _, _ in owed(facts, now, fired)]


def test_a_fresh_ticket_owes_every_threshold_and_breach_at_its_instant():
    facts = [created(june(16, 10))]
    alarms = owed(facts, june(16, 10))
    assert alarms[:3] == [
        ("ola:L1", "warning_75", "120m", june(16, 11, 30)),
        ("ola:L1", "warning_90", "120m", june(16, 11, 48)),
        ("ola:L1", "breach", "", june(16, 12)),
    ]
    assert ("response", "breach", "", june(16, 15)) in alarms
    assert ("resolution", "breach", "", june(18, 10)) in alarms
    assert [a[3] for a in alarms] == sorted(a[3] for a in alarms)


def test_fired_alarms_are_not_owed_again():
    facts = [created(june(16, 10))]
    fired = {("ola:L1", "warning_75", "120m")}
    assert "ola:L1 warning_75" not in names(facts, june(16, 11, 40), fired)
    assert "ola:L1 warning_75" in names(facts, june(16, 11, 40))


def test_a_raised_priority_owes_the_breach_but_not_the_warnings_it_jumped_over():
    facts = [created(june(16, 9)), Fact(june(16, 9), RESPONDED),
             Fact(june(16, 13, 30), CLASSIFIED, priority="P1")]  # 3.5 h of P1's 4 h
    resolution = [a for a in owed(facts, june(16, 13, 30)) if a[0] == "resolution"]
    assert resolution == [("resolution", "warning_90", "240m", june(16, 13, 36)),
                          ("resolution", "breach", "", june(16, 14))]


def test_a_lowered_priority_re_arms_the_warnings_of_the_longer_target():
    facts = [created(june(16, 9), "P1"), Fact(june(16, 9), RESPONDED)]
    fired = {("resolution", "warning_75", "240m")}
    facts.append(Fact(june(16, 12, 30), CLASSIFIED, priority="P4"))
    resolution = [a for a in owed(facts, june(16, 12, 30), fired) if a[0] == "resolution"]
    assert [a[1:3] for a in resolution] == [("warning_75", "2400m"), ("warning_90", "2400m"),
                                            ("breach", "")]


def test_a_breach_is_owed_once_even_after_the_target_grows():
    facts = [created(june(16, 9), "P1"), Fact(june(16, 9), RESPONDED),
             Fact(june(16, 15), CLASSIFIED, priority="P4")]  # breached at 14:00 as P1
    resolution = [a for a in owed(facts, june(16, 15)) if a[0] == "resolution"]
    assert resolution == [("resolution", "breach", "", june(16, 14))]
    assert not [a for a in owed(facts, june(16, 15), {("resolution", "breach", "")})
                if a[0] == "resolution"]


def test_a_paused_clock_owes_only_what_it_had_reached():
    facts = [created(june(16, 10)), Fact(june(16, 11, 40), PENDING)]
    assert names(facts, june(16, 14)) == ["ola:L1 warning_75"]  # reached at 11:30, unfired
    assert names(facts, june(16, 14), {("ola:L1", "warning_75", "120m")}) == []


def test_resolving_stops_everything_but_a_breach_already_reached():
    facts = [created(june(16, 10)), Fact(june(16, 12, 30), RESOLVED)]
    assert names(facts, june(16, 13)) == ["ola:L1 breach"]


def test_an_escalation_owes_the_new_levels_ola_from_its_start():
    facts = [created(june(16, 10)), Fact(june(16, 11), ESCALATED, level="L2"),
             Fact(june(16, 11, 5), ACCEPTED)]
    alarms = owed(facts, june(16, 11, 5))
    assert ("ola:L2", "warning_75", "480m", june(16, 18)) in alarms  # 6 h: 11–12, 13–18
    assert not [a for a in alarms if a[0] == "ola:L1"]
