"""Reads for the console's capacity page: required and scheduled staff per hour and the
predicted SLA attainment, for the clients the manager serves."""

from __future__ import annotations

from datetime import timedelta

from palier.accounts.models import User
from palier.capacity.planner import Scenario
from palier.capacity.services import PlanRequest, plan_desk


def staffing_chart(actor: User, request: PlanRequest | None = None) -> dict:
    """Chart-ready series of the baseline plan (and of each scenario asked for).

    ``hours`` are the ISO start times of the planned hours; per plan and level: ``required``
    and ``scheduled`` agents and the predicted share answered within the level's target,
    the level's cost and its target (``target_seconds``, ``target_share``, the scenario's
    when it changes them); ``attainment`` per level over the horizon and the cost. Same
    authorization as ``plan_desk`` (managers and administrators, their clients only).
    """
    request = request or PlanRequest()
    report = plan_desk(actor, request)
    start = report.starts_at
    hours = [(start + timedelta(hours=h)).isoformat() for h in range(report.plans[0].hours)]
    plans = []
    for plan, scenario in zip(report.plans, [Scenario(), *request.scenarios], strict=True):
        targets = scenario.apply(report.estimate.model).levels
        plans.append({
            "scenario": plan.scenario, "total_cost": round(plan.total_cost, 2),
            "attainment": {k: round(v, 4) for k, v in plan.attainment().items()},
            "levels": [{"code": code, "required": plan.required[i].tolist(),
                        "scheduled": plan.scheduled[i].tolist(),
                        "service_level": plan.service_level[i].round(4).tolist(),
                        "cost": round(plan.cost[code], 2),
                        "target_seconds": targets[i].target_seconds,
                        "target_share": targets[i].target_level}
                       for i, code in enumerate(plan.levels)],
        })
    return {"timezone": str(start.tzinfo), "hours": hours,
            "tickets": report.estimate.tickets, "plans": plans}
