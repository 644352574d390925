"""Estimating and planning from the desk's own journal, within the manager's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from palier.capacity import selectors, services
from palier.capacity.planner import Scenario
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from tests.capacity.history import START, build

UNTIL = START + timedelta(weeks=2)


@pytest.fixture
def history(desk, time_machine):
    build(desk, time_machine, desk.a, weeks=2)
    build(desk, time_machine, desk.b, weeks=1, per_day=2)
    return desk


def request(**kw) -> services.PlanRequest:
    kw.setdefault("since", START - timedelta(hours=8))
    kw.setdefault("until", UNTIL - timedelta(hours=8))
    return services.PlanRequest(**kw)


def test_the_estimate_reads_arrivals_routing_handling_and_costs(history):
    est = services.estimate_desk(history.a.manager, request())
    assert est.tickets == 30
    l1, l2, _ = est.model.levels
    assert l1.escalation(0) == pytest.approx(1 / 3)
    assert est.observed_escalation["L2"] == pytest.approx(1 / 3)
    assert l1.handling.mean == pytest.approx(15 * 60, rel=0.2)
    assert est.fits["L2"].count == 10 and l2.hourly_cost == 40
    rates = est.model.arrivals
    assert sum(rates) == pytest.approx(15, rel=0.01)  # tickets per week
    assert sum(rates[5 * 24:]) == 0  # nothing at the weekend


def test_a_manager_only_sees_the_clients_they_serve(history):
    mine = services.estimate_desk(history.b.manager, request())
    assert mine.tickets == 10


def test_another_clients_id_is_not_found(desk):
    with pytest.raises(NotFound):
        services.estimate_desk(desk.a.manager, request(client_ids=(desk.b.client.pk,)))


@pytest.mark.parametrize("who", ["l1", "l2", "requester", "client_manager"])
def test_only_managers_plan(desk, who):
    with pytest.raises(PermissionDenied):
        services.plan_desk(getattr(desk.a, who), request())


def test_too_little_history_is_refused(history):
    with pytest.raises(ValidationFailed):
        services.estimate_desk(history.a.manager, request(since=UNTIL, until=UNTIL
                                                          + timedelta(days=1)))


def test_unknown_target_level_is_refused(history):
    with pytest.raises(ValidationFailed):
        services.plan_desk(history.a.manager, request(targets={"L9": (60.0, 0.8)}))


def test_a_plan_with_a_scenario_and_a_simulation(history):
    report = services.plan_desk(history.a.manager, request(
        weeks=2, replications=2, scenarios=(Scenario("kb", shift_left_points=20),)))
    base, kb = report.plans
    assert base.hours == 2 * 168 and base.start_week == 2
    assert kb.scheduled[1].sum() <= base.scheduled[1].sum()
    assert report.simulations[0].measures["resolved"].mean > 0.5
    data = report.as_dict()
    assert data["plans"][1]["scenario"] == "kb" and data["starts_at"].startswith("2026-09-21")


def test_the_console_selector_gives_chart_series(history):
    chart = selectors.staffing_chart(history.a.manager, request(weeks=1))
    assert len(chart["hours"]) == 168 and chart["hours"][0].startswith("2026-09-21T00:00")
    (plan,) = chart["plans"]
    l1 = plan["levels"][0]
    assert len(l1["required"]) == len(l1["scheduled"]) == len(l1["service_level"]) == 168
    assert all(s >= r for s, r in zip(l1["scheduled"], l1["required"], strict=True))
    assert max(l1["required"]) > 0 and set(plan["attainment"]) == {"L1", "L2", "L3"}


def test_the_console_selector_keeps_the_tenant_boundary(desk):
    with pytest.raises(NotFound):
        selectors.staffing_chart(desk.b.manager, request(client_ids=(desk.a.client.pk,)))


def test_the_calendar_and_the_contract_give_open_hours_and_targets(history):
    from palier.sla.models import Calendar, OlaTarget, SlaPolicy

    office = Calendar.objects.create(
        name="Paris office", timezone="Europe/Paris",
        weekly_hours={d: [["09:00", "12:00"], ["13:30", "18:00"]]
                      for d in ("mon", "tue", "wed", "thu", "fri")})
    policy = SlaPolicy.objects.create(
        name="Gold", contract=history.a.contract, calendar=office,
        response_minutes={"P1": 10, "P2": 30, "P3": 60, "P4": 120},
        resolution_minutes={"P1": 120, "P2": 240, "P3": 480, "P4": 960})
    OlaTarget.objects.create(policy=policy, level=history.levels["L2"], minutes=90)
    est = services.estimate_desk(history.a.manager, request())
    model = est.model
    assert str(est.origin.tzinfo) == "Europe/Paris"
    assert model.open_hours[9] == 1 and model.open_hours[13] == 0.5
    assert model.open_hours[8] == 0 and sum(model.open_hours[5 * 24:]) == 0
    assert model.response_targets == (600.0, 1800.0, 3600.0, 7200.0)
    l1, l2, l3 = model.levels
    assert (l1.target_seconds, l2.target_seconds, l3.target_seconds) == (3600, 5400, 14400)
    plan = services.plan_desk(history.a.manager, request(weeks=1)).plans[0]
    assert not plan.required[:, 5 * 24:].any()  # nobody is needed at the weekend
