"""Stored default plans: the worker's ``capacity.plan`` job computes and stores them, and
computes them again only when their inputs change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from palier.accounts.models import Agent
from palier.capacity import codec, services, stored
from palier.capacity.models import StoredPlan
from palier.capacity.planner import Scenario
from palier.core import jobs
from palier.core.errors import PermissionDenied
from tests.capacity.history import START, build

NOW = START + timedelta(weeks=2, hours=2)


@pytest.fixture
def history(desk, time_machine):
    build(desk, time_machine, desk.a, weeks=2)
    build(desk, time_machine, desk.b, weeks=1, per_day=2)
    time_machine.move_to(NOW, tick=False)
    return desk


def test_the_job_is_registered_for_the_worker():
    assert "capacity.plan" in {job.name for job in jobs.registered()}


def test_the_job_plans_each_managers_clients_and_stores_the_plan(history):
    assert stored.refresh_plans() == 2
    plans = {tuple(p.client_ids): p for p in StoredPlan.objects.all()}
    a = plans[(history.a.client.pk,)]
    assert a.tickets == 30 and a.computed_at == NOW and a.problem == ""
    since, until = stored.window(NOW)
    fresh = services.plan_desk(history.a.manager, services.PlanRequest(
        since=since, until=until, weeks=1, shift_hours=8, shrinkage=0.3))
    assert a.chart["plans"][0]["total_cost"] == round(fresh.plans[0].total_cost, 2)
    assert a.fingerprint == stored.fingerprint(stored.inputs({history.a.client.pk}, NOW))
    assert plans[(history.b.client.pk,)].tickets == 10


def test_unchanged_inputs_are_not_planned_again(history):
    stored.refresh_plans()
    assert stored.refresh_plans() == 0


def test_a_changed_cost_a_new_day_or_imported_tickets_plan_again(history, time_machine):
    stored.refresh_plans()
    Agent.objects.filter(user=history.a.l2).update(hourly_cost=95)
    assert stored.refresh_plans() == 1  # only client A's agents changed
    a = StoredPlan.objects.get(client_ids=[history.a.client.pk])
    assert a.chart["plans"][0]["levels"][1]["cost"] > 0
    assert stored.refresh_plans() == 0
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    assert stored.refresh_plans() == 2  # the window moved
    time_machine.move_to(START + timedelta(days=2, hours=5), tick=False)
    history.open(history.b)  # a ticket dated inside the window (an import)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    assert stored.refresh_plans() == 1


def test_too_little_history_is_stored_and_not_retried(desk):
    assert stored.refresh_plans() == 2
    plan = StoredPlan.objects.get(client_ids=[desk.a.client.pk])
    assert plan.chart is None and plan.estimate is None
    assert stored.problem(plan) == ("Not enough history: 0 tickets in the window, at least "
                                    "10 are needed.")
    assert stored.refresh_plans() == 0


def test_the_stored_desk_model_round_trips(history):
    since, until = stored.window(NOW)
    estimate = services.estimate_desk(history.a.manager, services.PlanRequest(
        since=since, until=until, shrinkage=0.3))
    again = codec.load_estimate(codec.dump_estimate(estimate))
    assert again.model == estimate.model and again.origin == estimate.origin
    assert again.profile.weeks == estimate.profile.weeks and again.tickets == 30
    with pytest.raises(ValueError, match="another format"):
        codec.load_estimate({**codec.dump_estimate(estimate), "format": 0})


def test_a_what_if_is_planned_from_the_stored_model(history):
    stored.refresh_plans()
    scenario = Scenario("what-if", volume_percent=1000)
    plan, chart = stored.what_if(history.a.manager, services.PlanRequest(
        weeks=1, shift_hours=8, shrinkage=0.3, scenarios=(scenario,)))
    baseline, what_if = chart["plans"]
    assert baseline == plan.chart["plans"][0]  # the stored baseline, planned again
    assert what_if["total_cost"] > baseline["total_cost"]


def test_a_stored_model_of_an_older_format_is_planned_again(history):
    stored.refresh_plans()
    plan = StoredPlan.objects.get(client_ids=[history.a.client.pk])
    StoredPlan.objects.filter(pk=plan.pk).update(estimate={"format": 0})
    _, chart = stored.what_if(history.a.manager, services.PlanRequest(weeks=1))
    assert chart["tickets"] == 30
    assert StoredPlan.objects.get(pk=plan.pk).estimate["format"] == codec.FORMAT


@pytest.mark.parametrize("who", ["l1", "requester", "client_manager"])
def test_only_managers_read_stored_plans(history, who):
    stored.refresh_plans()
    with pytest.raises(PermissionDenied):
        stored.default_plan(getattr(history.a, who))
    with pytest.raises(PermissionDenied):
        stored.what_if(getattr(history.a, who), services.PlanRequest())


def test_each_manager_reads_the_plan_of_their_own_clients(history):
    stored.refresh_plans()
    assert stored.default_plan(history.a.manager).client_ids == [history.a.client.pk]
    assert stored.default_plan(history.b.manager).tickets == 10
