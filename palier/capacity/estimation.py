"""From observed tickets (the desk's journal or an imported event log) to a ``DeskModel``.

Pure: both sources are first reduced to the same records (``Observed``: arrivals, priorities,
entry and highest levels, and ``Visit``s), then estimated here the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from palier.capacity.eventlog import Case, Visit, visits
from palier.capacity.fitting import ArrivalProfile, Fit, arrival_profile, fit_handling
from palier.capacity.model import PRIORITIES, DeskModel, Distribution, LevelModel

IMPACT_PRIORITY = {"Major": 0, "High": 1, "Medium": 2, "Low": 3}


@dataclass
class Observed:
    """Tickets reduced to what the model needs. Times are POSIX seconds."""

    arrivals: list[float] = field(default_factory=list)
    priorities: list[int] = field(default_factory=list)
    entry: list[int] = field(default_factory=list)
    top: list[int] = field(default_factory=list)  # highest level, resolved tickets only
    visits: list[Visit] = field(default_factory=list)


@dataclass(frozen=True)
class Estimate:
    model: DeskModel
    profile: ArrivalProfile
    fits: dict[str, Fit]
    observed_escalation: dict[str, float]  # share of resolved tickets that reached the level
    tickets: int
    window: tuple[str, str]
    origin: datetime  # Monday 00:00 (local) of the model's week 0

    def as_dict(self) -> dict:
        m = self.model
        return {
            "tickets": self.tickets, "window": list(self.window),
            "origin": self.origin.isoformat(), "timezone": str(self.origin.tzinfo),
            "arrivals": self.profile.as_dict(),
            "priority_mix": dict(zip(PRIORITIES, np.round(m.priority_mix, 4).tolist(),
                                     strict=True)),
            "entry": {lv.code: round(s, 4) for lv, s in zip(m.levels, m.entry_shares(),
                                                             strict=True)},
            "levels": [{"code": lv.code, "escalate": round(lv.escalation(i), 4),
                        "return": round(lv.giving_back(i), 4),
                        "transfers": [round(p, 4) for p in lv.moves(len(m.levels))],
                        "pause": round(lv.pause, 4),
                        "resolve": round(lv.resolve, 4), "pause_mean": round(lv.pause_mean, 1),
                        "hourly_cost": lv.hourly_cost, "handling": self.fits[lv.code].as_dict()
                        if lv.code in self.fits else lv.handling.as_dict()}
                       for i, lv in enumerate(m.levels)],
            "observed_escalation": {k: round(v, 4) for k, v in self.observed_escalation.items()},
        }


def from_cases(cases: list[Case]) -> Observed:
    """An event log's cases → observed records (priority from the ``impact`` attribute)."""
    obs = Observed()
    for case in cases:
        first = case.events[0]
        obs.arrivals.append(first.at)
        obs.priorities.append(IMPACT_PRIORITY.get(first.impact, 2))
        obs.entry.append(first.level)
        if case.resolved:
            obs.top.append(max(e.level for e in case.events))
        obs.visits.extend(visits(case))
    return obs


def week_start(at: float, tz: ZoneInfo) -> datetime:
    """The Monday 00:00 (local) on or before ``at``."""
    local = datetime.fromtimestamp(at, tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=tz)


def estimate(obs: Observed, codes: tuple[str, ...], *, tz: str = "UTC",
             since: float | None = None, until: float | None = None,
             costs: dict[str, float] | None = None,
             base: dict[str, LevelModel] | None = None, **model_fields) -> Estimate:
    """Estimate the desk from ``obs`` (arrivals in [since, until); defaults: the data's span).

    ``base`` supplies per-level settings the data cannot give (targets, shrinkage);
    ``model_fields`` pass through to ``DeskModel`` (open hours, SLA targets, …).
    """
    if not obs.arrivals:
        raise ValueError("No tickets to estimate from.")
    zone = ZoneInfo(tz)
    arr = np.asarray(obs.arrivals)
    # A window longer than the history starts at its first ticket (no empty weeks invented).
    since = float(arr.min()) if since is None else max(since, float(arr.min()))
    until = float(arr.max()) + 1 if until is None else until
    origin = week_start(since, zone)
    keep = (arr >= since) & (arr < until)
    if not keep.any():
        raise ValueError("No ticket arrived in the chosen window.")
    # Local wall-clock offsets, so that hour 9 is 09:00 at the desk in summer and winter.
    local = np.array([_local_offset(t, zone, origin) for t in arr[keep]])
    span = _local_offset(until, zone, origin)
    profile = arrival_profile(local, span)
    levels, fits = _levels(obs.visits, codes, costs or {}, base or {})
    prio = np.bincount(np.asarray(obs.priorities)[keep], minlength=len(PRIORITIES))
    entry = np.bincount(np.asarray(obs.entry)[keep], minlength=len(codes))[: len(codes)]
    top = np.asarray(obs.top)
    model = DeskModel(arrivals=profile.rates, trend=profile.trend, levels=levels,
                      priority_mix=tuple(prio / prio.sum()), entry=tuple(entry / entry.sum()),
                      **model_fields)
    observed = {codes[i]: float((top >= i).mean()) if top.size else 0.0
                for i in range(1, len(codes))}
    window = (datetime.fromtimestamp(since, zone).isoformat(),
              datetime.fromtimestamp(until, zone).isoformat())
    return Estimate(model, profile, fits, observed, int(keep.sum()), window, origin)


def _local_offset(at: float, zone: ZoneInfo, origin: datetime) -> float:
    local = datetime.fromtimestamp(at, zone).replace(tzinfo=None)
    return (local - origin.replace(tzinfo=None)).total_seconds()


def _levels(observed: list[Visit], codes: tuple[str, ...], costs: dict[str, float],
            base: dict[str, LevelModel]) -> tuple[tuple[LevelModel, ...], dict[str, Fit]]:
    """Per level: routing per work session (a visit with p pauses is p + 1 sessions), the
    handling-time law per session, the mean pause."""
    levels, fits = [], {}
    for i, code in enumerate(codes):
        mine = [v for v in observed if v.level == i and v.outcome != "open"]
        sessions = sum(v.pauses + 1 for v in mine)
        moved = np.bincount([v.to_level for v in mine if 0 <= v.to_level < len(codes)],
                            minlength=len(codes)).astype(float)
        moved[i] = 0.0
        pauses = sum(v.pauses for v in mine)
        work = [v.handling / (v.pauses + 1) for v in mine if v.handling > 0]
        template = base.get(code) or LevelModel(code, _fallback(work))
        fit = fit_handling(work) if len(work) >= 2 else None
        if fit is not None:
            fits[code] = fit
        per = 1.0 / sessions if sessions else 0.0
        # A level seen only passing tickets on still resolves a little: keep the chain finite.
        per *= min(1.0, 0.999 * sessions / max(moved.sum() + pauses, 1)) if sessions else 1.0
        paused = [v.paused / v.pauses for v in mine if v.pauses]
        levels.append(LevelModel(
            code, fit.best.distribution if fit else template.handling,
            transfers=tuple(float(n * per) for n in moved),
            pause=pauses * per, pause_mean=float(np.mean(paused)) if paused
            else template.pause_mean, hourly_cost=costs.get(code, template.hourly_cost),
            shrinkage=template.shrinkage, target_seconds=template.target_seconds,
            target_level=template.target_level))
    return tuple(levels), fits


def _fallback(work: list[float]) -> Distribution:
    return Distribution.exponential(float(np.mean(work)) if work else 1800.0)
