"""Capacity planning from the desk's own history, for managers and administrators.

``estimate_desk`` turns the journal of the clients in the actor's scope into a ``DeskModel``;
``plan_desk`` plans staff per level and hour at least cost, with what-if scenarios and,
when asked, a simulation of each plan. Both only read; a manager sees only the clients they
serve (another client's id is not found), any other actor is refused.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.utils.translation import gettext as _

from palier.accounts.models import User
from palier.capacity import estimation, eventlog, history, planner
from palier.capacity.experiment import SimulationResult, simulate
from palier.capacity.model import DeskModel, Distribution, LevelModel
from palier.core import clock
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.tickets.selectors import scope_of

HISTORY_WEEKS = 12
MIN_TICKETS = 10
DEFAULT_TARGET = 4 * 3600.0


@dataclass(frozen=True)
class PlanRequest:
    client_ids: tuple[int, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None
    weeks: int = 4
    shift_hours: int = 8
    max_occupancy: float = 0.9
    patience: float | None = None
    shrinkage: float = 0.3
    targets: dict[str, tuple[float, float]] = field(default_factory=dict)  # code → (s, share)
    scenarios: tuple[planner.Scenario, ...] = ()
    replications: int = 0
    seed: int = 1
    use_trend: bool = True  # extrapolate the weekly trend of the history into the plan


@dataclass(frozen=True)
class PlanReport:
    estimate: estimation.Estimate
    plans: list[planner.Plan]
    simulations: list[SimulationResult | None]

    @property
    def starts_at(self) -> datetime:
        """The first hour of the plans (Monday 00:00 at the desk)."""
        return self.estimate.origin + timedelta(weeks=self.plans[0].start_week)

    def as_dict(self) -> dict:
        return {"estimate": self.estimate.as_dict(), "starts_at": self.starts_at.isoformat(),
                "plans": [{**p.as_dict(), "simulation": s.as_dict() if s else None}
                          for p, s in zip(self.plans, self.simulations, strict=True)]}


def clients_in_scope(actor: User, client_ids: tuple[int, ...] | None) -> set[int]:
    """The clients the manager may plan for; anything else is refused or not found."""
    if not (actor.is_authenticated and actor.is_active and actor.is_manager):
        raise PermissionDenied(_("Only desk managers and administrators plan capacity."))
    scope = set(scope_of(actor).client_ids)
    if client_ids is None:
        if not scope:
            raise ValidationFailed(_("You serve no client: there is no history to plan from."))
        return scope
    missing = sorted(set(client_ids) - scope)
    if missing:
        raise NotFound(_("Client %(id)s was not found.") % {"id": missing[0]})
    if not client_ids:
        raise ValidationFailed(_("Choose at least one client."), fields={"clients": "empty"})
    return set(client_ids)


def estimate_desk(actor: User, request: PlanRequest | None = None) -> estimation.Estimate:
    """The desk model estimated from the journal of the chosen clients' tickets."""
    request = request or PlanRequest()
    return estimate_clients(clients_in_scope(actor, request.client_ids), request)


def estimate_clients(clients: set[int], request: PlanRequest) -> estimation.Estimate:
    """The desk model of these clients' history (the caller has authorized them)."""
    until = request.until or clock.now()
    since = request.since or until - timedelta(weeks=HISTORY_WEEKS)
    if since >= until:
        raise ValidationFailed(_("The history window must end after it starts."),
                               fields={"since": "after until"})
    levels = history.levels()
    codes = tuple(level.code for level in levels)
    obs = history.observe(clients, since, until, codes)
    if len(obs.arrivals) < MIN_TICKETS:
        raise ValidationFailed(_("Not enough history: %(n)d tickets in the window, at least "
                                 "%(min)d are needed.") % {"n": len(obs.arrivals),
                                                           "min": MIN_TICKETS})
    policies = history.policies(clients)
    tz, open_hours = history.open_hours(policies)
    base = _level_defaults(codes, policies, request)
    try:
        return estimation.estimate(
            obs, codes, tz=tz, since=since.timestamp(), until=until.timestamp(),
            costs=history.hourly_costs(clients), base=base, open_hours=open_hours,
            **_sla_targets(policies))
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None


def _level_defaults(codes: tuple[str, ...], policies: list, request: PlanRequest
                    ) -> dict[str, LevelModel]:
    """Answer targets per level: the request's, else the OLA of the level, else the P3
    first-response target at L1 and four times it above; 80 % of visits."""
    first = policies[0] if policies else None
    l1 = first.response_minutes.get("P3", 240) * 60.0 if first else DEFAULT_TARGET
    ola = {t.level.code: t.minutes * 60.0 for t in first.ola_targets.all()} if first else {}
    out = {}
    for i, code in enumerate(codes):
        seconds, share = request.targets.get(code, (ola.get(code, l1 if i == 0 else 4 * l1),
                                                    0.8))
        out[code] = LevelModel(code, Distribution.exponential(1800.0),
                               shrinkage=request.shrinkage, target_seconds=seconds,
                               target_level=share)
    return out


def _sla_targets(policies: list) -> dict:
    if not policies:
        return {}
    p = policies[0]
    return {"response_targets": tuple(p.response_minutes[k] * 60.0 for k in
                                      ("P1", "P2", "P3", "P4")),
            "resolution_targets": tuple(p.resolution_minutes[k] * 60.0 for k in
                                        ("P1", "P2", "P3", "P4"))}


def plan_desk(actor: User, request: PlanRequest,
              progress: Callable[[int], None] | None = None) -> PlanReport:
    """Estimate from the journal, then plan the baseline and every scenario."""
    return plan_estimate(estimate_desk(actor, request), request, progress)


def estimate_log(path: str | Path, *, days: float | None = None, tz: str = "UTC",
                 progress: Callable[[int], None] | None = None) -> estimation.Estimate:
    """The desk model of an imported event log (XES), e.g. BPIC 2013; ``days``: only the
    arrivals of the log's last days feed the arrival profile (routing uses every case)."""
    try:
        cases = []
        for case in eventlog.read_xes(path):
            cases.append(case)
            if progress:
                progress(1)
        obs = estimation.from_cases(cases)
        until = max(obs.arrivals) + 1 if obs.arrivals else None
        since = until - days * 86400 if days and until else None
        codes = tuple(f"L{i + 1}" for i in range(1 + max((v.level for v in obs.visits),
                                                         default=0)))
        return estimation.estimate(obs, codes, tz=tz, since=since, until=until)
    except (OSError, ValueError, KeyError, ET.ParseError) as exc:
        raise ValidationFailed(_("Cannot read the event log: %(e)s") % {"e": exc}) from None


def plan_estimate(estimate: estimation.Estimate, request: PlanRequest,
                  progress: Callable[[int], None] | None = None) -> PlanReport:
    """Plan the baseline and every scenario (and simulate each plan when asked)."""
    model = _with_request(estimate.model, request)
    try:
        # The plan starts where the history ends, so the trend carries on from there.
        options = planner.Options(weeks=request.weeks, shift_hours=request.shift_hours,
                                  start_week=math.ceil(estimate.profile.weeks),
                                  max_occupancy=request.max_occupancy,
                                  patience=request.patience)
        scenarios = [planner.Scenario(), *request.scenarios]
        plans = []
        for scenario in scenarios:
            plans.append(planner.plan(model, options, scenario))
            if progress:
                progress(1)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    simulations: list[SimulationResult | None] = [None] * len(plans)
    if request.replications:
        simulations = [simulate(s.apply(model), p.scheduled, replications=request.replications,
                                seed=request.seed, progress=progress)
                       for s, p in zip(scenarios, plans, strict=True)]
    return PlanReport(replace(estimate, model=model), plans, simulations)


def _with_request(model: DeskModel, request: PlanRequest) -> DeskModel:
    """Apply the request's shrinkage and per-level targets (unknown levels are refused)."""
    codes = {lv.code for lv in model.levels}
    unknown = sorted(set(request.targets) - codes)
    if unknown:
        raise ValidationFailed(_("Unknown level %(code)s.") % {"code": unknown[0]},
                               fields={"targets": unknown[0]})
    try:
        levels = tuple(replace(lv, shrinkage=request.shrinkage,
                               target_seconds=request.targets.get(lv.code, (
                                   lv.target_seconds, 0))[0],
                               target_level=request.targets.get(lv.code, (
                                   0, lv.target_level))[1]) for lv in model.levels)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    return replace(model, levels=levels, trend=model.trend if request.use_trend else 0.0)
