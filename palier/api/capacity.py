"""/api/v1/capacity/plan: staff per level and hour at least cost, with what-if scenarios."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from palier.api.schemas import Error, Id, IsoDatetime, Strict
from palier.capacity import planner
from palier.capacity.services import PlanRequest, plan_desk

router = Router(tags=["capacity"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
Share = Annotated[float, Field(gt=0, lt=1)]


class TargetIn(Strict):
    seconds: Annotated[float, Field(gt=0, le=30 * 86400)]
    share: Share = 0.8


class ScenarioIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    volume_percent: Annotated[float, Field(gt=-100, le=1000)] = 0.0
    shift_left_points: Annotated[float, Field(ge=0, le=100)] = 0.0
    new_weekly_tickets: Annotated[float, Field(ge=0, le=1_000_000)] = 0.0
    target_factor: Annotated[float, Field(gt=0, le=100)] = 1.0
    target_share: Share | None = None


class PlanIn(Strict):
    clients: list[Id] | None = Field(default=None, max_length=1000,
                                     description="Client ids (default: every client you serve)")
    since: IsoDatetime | None = Field(default=None, description="History from (default: 12 "
                                                                "weeks before until)")
    until: IsoDatetime | None = Field(default=None, description="History until (default: now)")
    weeks: Annotated[int, Field(ge=1, le=12)] = 4
    shift_hours: Annotated[int, Field(ge=1, le=12)] = 8
    max_occupancy: Annotated[float, Field(gt=0, le=1)] = 0.9
    patience_seconds: Annotated[float, Field(gt=0, le=30 * 86400)] | None = None
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.3
    targets: dict[Annotated[str, Field(max_length=8)], TargetIn] = Field(
        default_factory=dict, max_length=10, description="Answer target per level code")
    scenarios: list[ScenarioIn] = Field(default_factory=list, max_length=10)
    replications: Annotated[int, Field(ge=0, le=20)] = 0
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 1
    use_trend: bool = Field(default=True, description="Extrapolate the history's weekly trend")


class PlanOut(Schema):
    estimate: dict
    starts_at: str
    plans: list[dict]


@router.post("/capacity/plan", response={200: PlanOut, **ERRORS})
def plan(request: HttpRequest, data: PlanIn):
    report = plan_desk(request.auth, PlanRequest(
        client_ids=tuple(data.clients) if data.clients is not None else None,
        since=data.since, until=data.until, weeks=data.weeks, shift_hours=data.shift_hours,
        max_occupancy=data.max_occupancy, patience=data.patience_seconds,
        shrinkage=data.shrinkage,
        targets={code: (t.seconds, t.share) for code, t in data.targets.items()},
        scenarios=tuple(planner.Scenario(
            s.name, s.volume_percent, s.shift_left_points, s.new_weekly_tickets,
            s.target_factor, s.target_share) for s in data.scenarios),
        replications=data.replications, seed=data.seed, use_trend=data.use_trend))
    return report.as_dict()
