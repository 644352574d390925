"""Replications of the desk simulation: arrivals, one compiled run each, measures with CIs.

``simulate(model, staff)`` draws the arrivals of every replication from the seed, runs
``simulation.run`` and reports, with 95 % Student-t intervals across replications: SLA
attainment per priority (first response and resolution, in business time), wait and time per
level, utilisation, escalation and return shares, the hourly backlog and the staffing cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from palier.capacity import simulation
from palier.capacity.mmc import Estimate, batch_estimate
from palier.capacity.model import HOURS_PER_WEEK, PRIORITIES, DeskModel

HOUR = simulation.HOUR


@dataclass(frozen=True)
class SimulationResult:
    replications: int
    hours: int
    tickets: int  # simulated over all replications
    seconds: float
    measures: dict[str, Estimate]  # "response.P1", "wait.L2", "escalated.L2", …
    backlog: np.ndarray  # levels × hours, mean over replications
    cost: float

    def as_dict(self) -> dict:
        return {
            "replications": self.replications, "hours": self.hours, "tickets": self.tickets,
            "seconds": round(self.seconds, 3), "cost": round(self.cost, 2),
            "measures": {k: v.as_dict() for k, v in self.measures.items()},
            "backlog": self.backlog.round(2).tolist(),
        }


def arrivals(model: DeskModel, hours: int, rng: np.random.Generator,
             scale: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted arrival times, priorities (0 = P1) and entry levels over ``hours`` hours."""
    counts = rng.poisson(model.rates(hours) * scale)
    times = np.repeat(np.arange(hours) * HOUR, counts) + rng.random(counts.sum()) * HOUR
    times.sort()
    priority = rng.choice(len(PRIORITIES), times.size, p=np.asarray(model.priority_mix))
    entry = rng.choice(len(model.levels), times.size, p=model.entry_shares())
    return times, priority.astype(np.int64), entry.astype(np.int64)


def kernel_inputs(model: DeskModel, staff: np.ndarray) -> tuple[np.ndarray, ...]:
    """The arrays ``simulation.run`` takes: effective staff, handling laws, routing, hours."""
    staff = np.asarray(staff, dtype=float)
    if staff.ndim != 2 or staff.shape[0] != len(model.levels) or (staff < 0).any():
        raise ValueError("The schedule is levels × hours of non-negative staff counts.")
    shrink = np.array([[level.shrinkage] for level in model.levels])
    effective = np.round(staff * (1.0 - shrink)).astype(np.int64)
    svc = np.array([[lv.handling.code, lv.handling.a, lv.handling.b, lv.target_seconds]
                    for lv in model.levels])
    n = len(model.levels)
    routing = np.array([[lv.pause, lv.pause_mean, *lv.moves(n)] for lv in model.levels])
    return effective, svc, routing, np.asarray(model.open_hours, dtype=float)


def business_seconds(t: np.ndarray, open_hours: np.ndarray) -> np.ndarray:
    """Vectorised ``simulation.business``: business seconds from the horizon's start."""
    cum = np.concatenate([[0.0], np.cumsum(open_hours * HOUR)])
    weeks = np.floor(t / simulation.WEEK)
    rest = t - weeks * simulation.WEEK
    hour = np.minimum((rest // HOUR).astype(np.int64), HOURS_PER_WEEK - 1)
    return weeks * cum[-1] + cum[hour] + (rest - hour * HOUR) * open_hours[hour]


def _sla(model: DeskModel, arr, response, resolved, paused, end: float) -> dict[str, float]:
    """Share of tickets meeting each target; a ticket still open counts once it is late."""
    open_hours = np.asarray(model.open_hours, dtype=float)
    start = business_seconds(arr[0], open_hours)
    now = business_seconds(np.array([end]), open_hours)[0]
    out = {}
    for name, stamp, targets, pause in (("response", response, model.response_targets, 0.0),
                                        ("resolution", resolved, model.resolution_targets,
                                         paused)):
        done = stamp >= 0
        spent = np.where(done, business_seconds(np.where(done, stamp, 0), open_hours),
                         now) - start - pause
        for p, name_p in enumerate(PRIORITIES):
            mine = arr[1] == p
            met = mine & done & (spent <= targets[p])
            known = met | (mine & (spent > targets[p]))
            out[f"{name}.{name_p}"] = met.sum() / known.sum() if known.any() else np.nan
    return out


def _measures(model: DeskModel, arr, out, staff: np.ndarray, hours: int,
              window: tuple[int, int]) -> dict[str, float]:
    response, resolved, paused, top, st, _ = out
    keep = (arr[0] >= window[0] * HOUR) & (arr[0] < window[1] * HOUR)
    kept = tuple(a[keep] for a in arr)
    m = _sla(model, kept, response[keep], resolved[keep], paused[keep], hours * HOUR)
    done = keep & (resolved >= 0)
    m["resolved"] = done.sum() / max(keep.sum(), 1)
    for i, level in enumerate(model.levels):
        visits = max(st[i, 0], 1.0)
        m[f"wait.{level.code}"] = st[i, 1] / visits
        m[f"time.{level.code}"] = (st[i, 1] + st[i, 2]) / visits
        m[f"within.{level.code}"] = st[i, 5] / visits
        staffed = staff[i].sum() * HOUR
        m[f"utilisation.{level.code}"] = st[i, 2] / staffed if staffed else np.nan
        m[f"visits.{level.code}"] = st[i, 0]
        m[f"returned.{level.code}"] = st[i, 4] / visits
        if i:
            m[f"escalated.{level.code}"] = (top[done] >= i).mean() if done.any() else np.nan
    return m


def simulate(model: DeskModel, staff: np.ndarray, *, replications: int = 5, seed: int = 1,
             warmup_hours: int = 0, cooldown_hours: int = 0, volume: float = 1.0,
             progress: Callable[[int], None] | None = None) -> SimulationResult:
    """Run ``replications`` independent replications of the schedule ``staff`` (levels ×
    hours, scheduled agents); measures are averaged over the replications with 95 % CIs.

    Ticket measures (SLA, escalation shares) count the tickets arriving after the warm-up and
    before the cool-down; level measures count every visit."""
    if replications < 1:
        raise ValueError("Run at least one replication.")
    effective, svc, routing, open_hours = kernel_inputs(model, staff)
    hours = effective.shape[1]
    if warmup_hours < 0 or cooldown_hours < 0 or warmup_hours + cooldown_hours >= hours:
        raise ValueError("The warm-up and cool-down must leave part of the horizon.")
    rows, backlog, tickets, began = [], np.zeros(effective.shape), 0, time.perf_counter()
    for r in range(replications):
        rng = np.random.default_rng([seed, r])
        arr = arrivals(model, hours, rng, volume)
        out = simulation.run(*arr, effective, svc, routing, open_hours,
                             int(rng.integers(2**31)))
        rows.append(_measures(model, arr, out, effective, hours,
                              (warmup_hours, hours - cooldown_hours)))
        backlog += out[5]
        tickets += arr[0].size
        if progress:
            progress(1)
    measures = {k: batch_estimate(np.array([row[k] for row in rows], dtype=float))
                for k in rows[0]}
    cost = float(sum(np.asarray(staff, float)[i].sum() * lv.hourly_cost
                     for i, lv in enumerate(model.levels)))
    return SimulationResult(replications, hours, tickets, time.perf_counter() - began,
                            measures, backlog / replications, cost)
