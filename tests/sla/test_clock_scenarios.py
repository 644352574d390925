"""The per-ticket SLA clock on fixed journals, with hand-computed expectations.

Calendar: Europe/Paris, Monday–Friday 09:00–12:00 and 13:00–18:00 (8 h a day), French
holidays. 16–20 June 2025 is a week without holidays.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from palier.sla.calendar import BusinessCalendar
from palier.sla.clock import (
    CLASSIFIED,
    CREATED,
    ESCALATED,
    PAUSED,
    PENDING,
    REOPENED,
    RESOLVED,
    RESPONDED,
    RESUMED,
    RETURNED,
    RUNNING,
    STOPPED,
    VENDOR,
    Fact,
    Policy,
    clock_state,
)

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
OFFICE = BusinessCalendar(
    "Europe/Paris", {d: [["09:00", "12:00"], ["13:00", "18:00"]]
                     for d in ("mon", "tue", "wed", "thu", "fri")},
    holiday_country="FR", name="Paris office")
STANDARD = Policy(OFFICE, response={"P1": 30, "P2": 60, "P3": 240, "P4": 480},
                  resolution={"P1": 240, "P2": 480, "P3": 960, "P4": 2400},
                  ola={"L1": 120, "L2": 480, "L3": 960}, name="Standard")


def june(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=PARIS)


def created(at: datetime, priority: str = "P3", level: str = "L1") -> Fact:
    return Fact(at, CREATED, priority=priority, level=level)


def test_pause_and_resume() -> None:
    facts = [created(june(16, 10)), Fact(june(16, 10, 30), RESPONDED),
             Fact(june(16, 11), PENDING), Fact(june(17, 10), RESUMED)]
    state = clock_state(facts, STANDARD, june(17, 12))
    resolution = state.resolution
    assert (resolution.consumed, resolution.paused, resolution.remaining) == (3 * H, 7 * H, 13 * H)
    assert resolution.state == RUNNING and not resolution.breached
    assert resolution.due_at == june(18, 18)
    assert [t.at for t in resolution.thresholds] == [june(18, 14), june(18, 16, 24)]
    assert state.response.state == STOPPED and state.response.met_at == june(16, 10, 30)
    assert state.ola.breached_at == june(17, 11)  # L1's 2 h: 1 h on Monday, 1 h on Tuesday
    assert state.next_deadline() == june(18, 14)


def test_pending_counts_when_the_policy_does_not_pause() -> None:
    facts = [created(june(16, 10)), Fact(june(16, 11), PENDING), Fact(june(17, 10), RESUMED)]
    counting = Policy(OFFICE, resolution={"P3": 960}, pause_on_pending_requester=False)
    resolution = clock_state(facts, counting, june(17, 12)).resolution
    assert (resolution.consumed, resolution.paused) == (10 * H, timedelta(0))


def test_no_breach_while_waiting_on_the_requester() -> None:
    facts = [created(june(16, 10), "P1"), Fact(june(16, 10, 10), RESPONDED),
             Fact(june(16, 13), PENDING)]
    resolution = clock_state(facts, STANDARD, june(18, 10)).resolution
    assert resolution.state == PAUSED and resolution.reason == "pending requester"
    assert not resolution.breached
    assert (resolution.consumed, resolution.remaining) == (2 * H, 2 * H)
    assert resolution.due_at == june(18, 12)  # if resumed now


def test_pending_vendor_counts_by_default_and_breaches() -> None:
    facts = [created(june(16, 10), "P1"), Fact(june(16, 10, 10), RESPONDED),
             Fact(june(16, 11), VENDOR)]
    resolution = clock_state(facts, STANDARD, june(16, 16)).resolution
    assert resolution.state == RUNNING and resolution.consumed == 5 * H
    assert resolution.breached_at == june(16, 15)


def test_priority_upgrade_retargets_from_what_was_consumed() -> None:
    facts = [created(june(16, 9), "P4"), Fact(june(16, 11), CLASSIFIED, priority="P2")]
    state = clock_state(facts, STANDARD, june(16, 12))
    assert state.priority == "P2"
    assert (state.resolution.target, state.resolution.remaining) == (8 * H, 5 * H)
    assert state.resolution.due_at == june(16, 18)
    # The response target drops to 1 h, already overrun when the priority changed.
    assert state.response.breached_at == june(16, 11)
    assert state.response.due_at == june(16, 10)


def test_priority_upgrade_past_the_new_target_breaches_at_the_change() -> None:
    facts = [created(june(16, 9), "P4"), Fact(june(16, 9, 30), RESPONDED),
             Fact(june(17, 11), CLASSIFIED, priority="P2")]
    resolution = clock_state(facts, STANDARD, june(17, 12)).resolution
    assert resolution.breached_at == june(17, 11)
    assert resolution.due_at == june(16, 18)
    assert resolution.remaining == -3 * H


def test_a_breach_stays_after_a_downgrade() -> None:
    facts = [created(june(16, 9), "P1"), Fact(june(16, 9, 10), RESPONDED),
             Fact(june(17, 10), CLASSIFIED, priority="P4")]
    resolution = clock_state(facts, STANDARD, june(17, 11)).resolution
    assert resolution.breached and resolution.breached_at == june(16, 14)
    assert resolution.remaining == 30 * H
    assert resolution.due_at == june(20, 18)


def test_escalation_keeps_the_contract_clock_and_starts_the_new_levels_ola() -> None:
    facts = [created(june(16, 9)), Fact(june(16, 9, 15), RESPONDED),
             Fact(june(16, 10, 30), ESCALATED, level="L2"), Fact(june(16, 11), "accepted")]
    state = clock_state(facts, STANDARD, june(17, 10))
    assert state.level == "L2" and state.ola.name == "ola L2"
    assert (state.resolution.consumed, state.resolution.remaining) == (9 * H, 7 * H)
    assert (state.ola.consumed, state.ola.due_at) == (7.5 * H, june(17, 10, 30))
    level_one = state.olas["L1"]
    assert level_one.state == STOPPED and level_one.reason == "at L2"
    assert (level_one.consumed, level_one.met_at) == (1.5 * H, june(16, 10, 30))
    assert not level_one.breached


def test_a_return_continues_the_previous_levels_ola() -> None:
    facts = [created(june(16, 9)), Fact(june(16, 10), ESCALATED, level="L2"),
             Fact(june(16, 11), RETURNED, level="L1")]
    state = clock_state(facts, STANDARD, june(16, 14))
    assert state.level == "L1"
    assert state.ola.consumed == 3 * H
    assert state.ola.breached_at == june(16, 12)
    assert state.olas["L2"].consumed == H and not state.olas["L2"].breached


def test_reopen_resumes_from_what_was_consumed_before_resolution() -> None:
    facts = [created(june(16, 9)), Fact(june(16, 9, 30), RESPONDED),
             Fact(june(16, 15), RESOLVED), Fact(june(18, 10), REOPENED)]
    at_resolution = clock_state(facts, STANDARD, june(16, 15)).resolution
    assert at_resolution.state == STOPPED and at_resolution.met_at == june(16, 15)
    assert at_resolution.consumed == 5 * H
    while_resolved = clock_state(facts, STANDARD, june(17, 12)).resolution
    assert while_resolved.consumed == 5 * H and while_resolved.reason == "resolved"
    state = clock_state(facts, STANDARD, june(18, 12))
    assert state.resolution.state == RUNNING
    assert (state.resolution.consumed, state.resolution.due_at) == (7 * H, june(19, 14))
    assert state.response.met_at == june(16, 9, 30)


def test_policy_change_while_pending_loses_no_pending_time() -> None:
    renewed = Policy(BusinessCalendar.twenty_four_seven("UTC"), resolution={"P3": 1440},
                     name="Renewed 24×7")
    facts = [created(june(16, 9)), Fact(june(16, 10), PENDING), Fact(june(18, 10), RESUMED)]
    schedule = [(june(16, 9), STANDARD), (june(17, 12), renewed)]
    state = clock_state(facts, schedule, june(18, 11))
    assert state.policy is renewed
    resolution = state.resolution
    # Paused: 10 h of office time under the old policy, then 22 h of 24×7 under the new one.
    assert (resolution.consumed, resolution.paused) == (2 * H, 32 * H)
    assert resolution.due_at == june(19, 9)
    assert not resolution.breached


def test_policy_change_while_pending_keeps_earlier_pauses_even_if_the_new_one_counts() -> None:
    renewed = Policy(BusinessCalendar.twenty_four_seven("UTC"), resolution={"P3": 1440},
                     pause_on_pending_requester=False)
    facts = [created(june(16, 9)), Fact(june(16, 10), PENDING), Fact(june(18, 10), RESUMED)]
    resolution = clock_state(facts, [(june(16, 9), STANDARD), (june(17, 12), renewed)],
                             june(18, 10, 30)).resolution
    assert (resolution.consumed, resolution.paused) == (23.5 * H, 10 * H)
    assert resolution.due_at == june(18, 11)


def test_a_holiday_inside_the_target_moves_the_due_time() -> None:
    friday = datetime(2025, 7, 11, 14, tzinfo=PARIS)
    state = clock_state([created(friday)], STANDARD, friday + H)
    assert state.resolution.due_at == datetime(2025, 7, 16, 14, tzinfo=PARIS)
    no_holidays = Policy(BusinessCalendar("Europe/Paris", OFFICE.week), resolution={"P3": 960})
    assert clock_state([created(friday)], no_holidays, friday + H).resolution.due_at == (
        datetime(2025, 7, 15, 14, tzinfo=PARIS))


def test_first_response_breaches_without_a_reply_and_is_met_by_resolution() -> None:
    state = clock_state([created(june(16, 9), "P2")], STANDARD, june(16, 10, 30))
    assert state.response.breached_at == june(16, 10)
    assert state.response.state == RUNNING
    resolved = [created(june(16, 9), "P2"), Fact(june(16, 9, 45), RESOLVED)]
    response = clock_state(resolved, STANDARD, june(16, 10, 30)).response
    assert response.met_at == june(16, 9, 45) and not response.breached


def test_warning_thresholds_come_from_the_policy() -> None:
    policy = Policy(OFFICE, resolution={"P3": 960}, warning_thresholds=(80, 50))
    resolution = clock_state([created(june(16, 9))], policy, june(16, 9)).resolution
    assert [(t.percent, t.at, t.reached) for t in resolution.thresholds] == [
        (50, june(16, 18).astimezone(UTC), False), (80, june(17, 14, 48).astimezone(UTC), False)]


def test_policy_in_force_from_creation_and_missing_targets() -> None:
    later = june(20, 9)
    state = clock_state([created(june(16, 9), "P9")], [(later, STANDARD)], june(16, 10))
    assert state.response is None and state.resolution is None
    assert state.ola.consumed == H


@pytest.mark.parametrize("facts", [
    [Fact(june(16, 9), PENDING)],
    [created(june(16, 9)), created(june(16, 10))],
    [],
])
def test_a_journal_must_start_with_one_creation(facts: list[Fact]) -> None:
    with pytest.raises(ValueError):
        clock_state(facts, STANDARD, june(17, 9))


def test_unknown_kinds_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        Fact(june(16, 9), "teleported")
    with pytest.raises(ValueError):
        Fact(datetime(2025, 6, 16, 9), CREATED)
    assert Fact(june(16, 9), "note").kind == "note"  # journal kinds the clock ignores
