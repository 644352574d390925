"""The planner: least staff meeting the targets, least-cost shifts, what-if scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from palier.capacity import erlang, planner
from palier.capacity.model import HOURS_PER_WEEK


def test_each_hour_gets_the_fewest_agents_meeting_its_target(office_desk):
    plan = planner.plan(office_desk, planner.Options(weeks=1, shift_hours=1, max_occupancy=1))
    l1 = office_desk.levels[0]
    for h in np.flatnonzero(plan.required[0]):
        rate = plan.visits[0, h] / 3600
        c = plan.required[0, h]
        assert erlang.interval_c(rate, 600, c, l1.target_seconds).service_level >= 0.8
        if c > 1 and c - 1 > rate * 600:
            assert erlang.interval_c(rate, 600, c - 1, l1.target_seconds).service_level < 0.8


def test_closed_hours_need_nobody_and_their_tickets_wait_for_the_morning(office_desk):
    plan = planner.plan(office_desk, planner.Options(weeks=1, shift_hours=1))
    closed = np.asarray(office_desk.open_hours) == 0
    assert not plan.required[:, closed].any()
    monday_8 = 8
    assert plan.visits[0, monday_8] > plan.visits[0, monday_8 + 1]  # the night's tickets
    assert plan.visits[0].sum() == pytest.approx(
        office_desk.visit_rates(office_desk.rates(HOURS_PER_WEEK))[:, 0].sum())


def test_shifts_cover_every_hour_at_least_cost(office_desk):
    hourly = planner.plan(office_desk, planner.Options(weeks=1, shift_hours=1))
    shifts = planner.plan(office_desk, planner.Options(weeks=1, shift_hours=8))
    assert (shifts.scheduled >= hourly.required).all()
    assert shifts.total_cost >= hourly.total_cost
    # No cheaper cover exists: dropping any one shift hour somewhere leaves a gap or breaks
    # the 8-hour blocks; the LP bound equals the integer optimum (consecutive ones).
    required = hourly.required[0]
    covered = planner.cover(required, 8)
    assert covered.sum() % 1 == 0 and (covered >= required).all()


def test_cover_with_eight_hour_shifts_is_exact_on_a_simple_day():
    required = np.array([0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0])
    assert planner.cover(required, 8).tolist() == required.tolist()
    peak = np.array([1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    covered = planner.cover(peak, 8)
    assert (covered >= peak).all() and covered.sum() == 4 * 8  # two 8-hour runs + the peak


def test_shift_left_needs_fewer_l2_engineers_and_costs_less(tiered):
    options = planner.Options(weeks=1)
    base, left = planner.compare(tiered, options, [planner.Scenario("kb", shift_left_points=10)])
    assert left.scheduled[1].sum() < base.scheduled[1].sum()
    assert left.scheduled[0].sum() == base.scheduled[0].sum()
    assert left.total_cost < base.total_cost


def test_more_volume_or_a_new_contract_needs_more_staff(tiered):
    options = planner.Options(weeks=1)
    base, more, contract = planner.compare(tiered, options, [
        planner.Scenario("growth", volume_percent=20),
        planner.Scenario("new client", new_weekly_tickets=1000)])
    assert more.total_cost > base.total_cost and contract.total_cost > base.total_cost
    weekly = sum(tiered.arrivals)
    assert contract.visits.sum() / base.visits.sum() == pytest.approx((weekly + 1000) / weekly)


def test_a_tighter_sla_needs_more_staff(tiered):
    base, tight = planner.compare(tiered, planner.Options(weeks=1), [
        planner.Scenario("tight", target_factor=0.25, target_level=0.9)])
    assert (tight.required >= base.required).all() and tight.total_cost > base.total_cost


def test_the_trend_grows_the_plan_week_after_week(tiered):
    from dataclasses import replace

    plan = planner.plan(replace(tiered, trend=0.1), planner.Options(weeks=3, shift_hours=1))
    weeks = plan.required.reshape(3, 3, HOURS_PER_WEEK).sum(axis=2)
    assert (np.diff(weeks.T, axis=0) >= 0).all() and weeks[0, 2] > weeks[0, 0]


def test_predicted_attainment_meets_the_targets(tiered):
    plan = planner.plan(tiered, planner.Options(weeks=1))
    assert all(v >= 0.8 for v in plan.attainment().values())


def test_erlang_a_plans_need_no_more_agents(tiered):
    c = planner.plan(tiered, planner.Options(weeks=1, shift_hours=1))
    a = planner.plan(tiered, planner.Options(weeks=1, shift_hours=1, patience=1800))
    assert (a.required <= c.required).all()


@pytest.mark.parametrize("bad", [dict(weeks=0), dict(shift_hours=13)])
def test_bad_options_are_refused(bad):
    with pytest.raises(ValueError):
        planner.Options(**bad)


def _highs_shifts(required: np.ndarray, shift_hours: int) -> int:
    """The least number of shifts covering ``required``, by HiGHS (the reference)."""
    from scipy import optimize, sparse

    hours = required.size
    rows, cols = zip(*[(h, s) for s in range(hours)
                       for h in range(s, min(s + shift_hours, hours))], strict=True)
    matrix = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(hours, hours))
    result = optimize.milp(np.ones(hours), integrality=np.ones(hours),
                           constraints=optimize.LinearConstraint(matrix, lb=required),
                           bounds=optimize.Bounds(0, np.inf))
    return round(result.fun)


def test_the_greedy_shift_cover_is_as_cheap_as_the_integer_program():
    rng = np.random.default_rng(0)
    for _ in range(60):
        shift_hours = int(rng.integers(2, 13))
        required = rng.integers(0, 6, int(rng.integers(shift_hours, 200)))
        covered = planner.cover(required, shift_hours)
        assert (covered >= required).all()
        assert covered.sum() == shift_hours * _highs_shifts(required, shift_hours)
