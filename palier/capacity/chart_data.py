"""A plan report as chart-ready series (what the console's capacity page draws and what a
stored plan keeps). Pure, no ORM."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from palier.capacity.planner import Scenario

if TYPE_CHECKING:
    from palier.capacity.services import PlanReport


def plan_chart(report: PlanReport, scenarios: tuple[Scenario, ...] = ()) -> dict:
    """``hours``: the ISO start times of the planned hours; per plan and level: ``required``
    and ``scheduled`` agents, the predicted share answered within the level's target, the
    level's cost and its target (``target_seconds``, ``target_share``, the scenario's when it
    changes them); ``attainment`` per level over the horizon and the cost."""
    start = report.starts_at
    hours = [(start + timedelta(hours=h)).isoformat() for h in range(report.plans[0].hours)]
    plans = []
    for plan, scenario in zip(report.plans, [Scenario(), *scenarios], strict=True):
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
