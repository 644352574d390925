"""The staffing planner: the fewest agents per level and hour that meet the targets, then the
cheapest shifts that cover them, and what-if scenarios. Pure (NumPy), no ORM.

1. Visits per level and hour from the traffic equations (escalations, returns, pauses);
   tickets arriving while the desk is closed are answered in its next open hour.
2. Required agents per level and hour: the least ``c`` whose Erlang C (or Erlang A, with a
   patience) service level within the level's target reaches its target share, under the
   maximum occupancy, grossed up for shrinkage (independent stationary intervals); Erlang C
   is evaluated for every hour of the horizon at once (NumPy).
3. Shifts: how many agents start at each hour so that every hour is covered, at least cost.
   Shifts have one length and one cost, so a greedy sweep over the hours is exact (the
   coverage matrix has consecutive ones; ``tests/capacity`` checks it against HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from palier.capacity import erlang
from palier.capacity.model import HOURS_PER_WEEK, DeskModel


@dataclass(frozen=True)
class Options:
    weeks: int = 4
    start_week: int = 0  # weeks after the model's week 0 (the trend keeps growing)
    shift_hours: int = 8
    max_occupancy: float = 0.9
    patience: float | None = None  # seconds; Erlang A when given

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= 52:
            raise ValueError("Plan between 1 and 52 weeks.")
        if not 1 <= self.shift_hours <= 12:
            raise ValueError("A shift lasts between 1 and 12 hours.")


@dataclass(frozen=True)
class Scenario:
    """A what-if: volume +N %, shift-left (+N points of L1 resolution), a new client's
    tickets per week, and changed targets (answer-time factor, target share)."""

    name: str = "baseline"
    volume_percent: float = 0.0
    shift_left_points: float = 0.0
    new_weekly_tickets: float = 0.0
    target_factor: float = 1.0
    target_level: float | None = None

    def apply(self, model: DeskModel) -> DeskModel:
        if self.volume_percent <= -100 or self.new_weekly_tickets < 0 or self.target_factor <= 0:
            raise ValueError("A scenario keeps volumes and targets positive.")
        base = np.asarray(model.arrivals)
        extra = self.new_weekly_tickets * base / base.sum() if base.sum() else 0 * base
        arrivals = (base + extra) * (1 + self.volume_percent / 100)
        levels = list(model.levels)
        first = levels[0]
        up = first.escalation(0)
        if up > 0:  # L1 resolves N points more: every escalation shrinks in proportion
            factor = max(0.0, up - self.shift_left_points / 100) / up
            levels[0] = replace(first, transfers=tuple(p * factor for p in first.transfers))
        levels = [replace(lv, target_seconds=lv.target_seconds * self.target_factor,
                          target_level=self.target_level or lv.target_level) for lv in levels]
        return replace(model, arrivals=tuple(float(a) for a in arrivals), levels=tuple(levels))


@dataclass(frozen=True)
class Plan:
    scenario: str
    levels: tuple[str, ...]
    hours: int
    start_week: int
    visits: np.ndarray  # levels × hours, visits per hour
    required: np.ndarray  # levels × hours, agents to schedule (shrinkage included)
    scheduled: np.ndarray  # levels × hours, agents on shift after shift covering
    service_level: np.ndarray  # levels × hours, predicted with the scheduled agents
    cost: dict[str, float]

    @property
    def total_cost(self) -> float:
        return float(sum(self.cost.values()))

    def attainment(self) -> dict[str, float]:
        """Predicted share of visits answered within target, per level (visit-weighted)."""
        out = {}
        for i, code in enumerate(self.levels):
            weight = self.visits[i].sum()
            out[code] = float((self.service_level[i] * self.visits[i]).sum() / weight) \
                if weight else 1.0
        return out

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario, "levels": list(self.levels), "hours": self.hours,
            "start_week": self.start_week, "total_cost": round(self.total_cost, 2),
            "cost": {k: round(v, 2) for k, v in self.cost.items()},
            "attainment": {k: round(v, 4) for k, v in self.attainment().items()},
            "peak_scheduled": {c: int(self.scheduled[i].max()) for i, c in enumerate(self.levels)},
            "agent_hours": {c: int(self.scheduled[i].sum()) for i, c in enumerate(self.levels)},
            "visits": self.visits.round(3).tolist(), "required": self.required.tolist(),
            "scheduled": self.scheduled.tolist(),
            "service_level": self.service_level.round(4).tolist(),
        }


@lru_cache(maxsize=65536)
def _required(rate: float, aht: float, target: float, level: float, max_occupancy: float,
              patience: float | None) -> int:
    if rate <= 0:
        return 0
    return erlang.agents_for(rate, aht, target, level, patience=patience,
                             max_occupancy=max_occupancy).agents


def carry_closed(rates: np.ndarray, open_hours: np.ndarray, start_hour: int = 0) -> np.ndarray:
    """Move the arrivals of closed hours to the next open hour (per column of ``rates``);
    those after the horizon's last open hour go to its first (the weeks repeat)."""
    out = np.zeros_like(rates)
    pending = np.zeros(rates.shape[1:])
    hours = rates.shape[0]
    first = None
    for h in range(hours):
        pending = pending + rates[h]
        if open_hours[(start_hour + h) % HOURS_PER_WEEK] > 0:
            out[h], pending = pending, np.zeros_like(pending)
            first = h if first is None else first
    if first is not None:
        out[first] += pending
    return out


def cover(required: np.ndarray, shift_hours: int) -> np.ndarray:
    """The fewest agent-shifts covering ``required`` (one level, per hour); agents per hour.

    Every shift costs the same, so starting, at the first hour not yet covered, as many shifts
    as it lacks is optimal (a later start would leave that hour short, an earlier one covers
    no later hour more). A shift that would run past the horizon starts early enough to end
    on its last hour instead, so that every shift is worked (and paid) in full.
    """
    need = [int(r) for r in np.asarray(required).ravel()]
    hours = len(need)
    if shift_hours == 1 or not any(need):
        return np.asarray(need, dtype=np.int64)
    starts = [0] * hours
    on_duty = 0
    for h in range(hours):
        if h >= shift_hours:
            on_duty -= starts[h - shift_hours]
        if need[h] > on_duty:
            starts[h], on_duty = need[h] - on_duty, need[h]
    late = max(0, hours - shift_hours)
    moved = [0] * hours
    for h, count in enumerate(starts):
        moved[min(h, late)] += count
    coverage = np.convolve(moved, np.ones(shift_hours, dtype=np.int64))[:hours]
    return coverage.astype(np.int64)


def plan(model: DeskModel, options: Options | None = None,
         scenario: Scenario | None = None) -> Plan:
    """Staff per level and hour over ``options.weeks`` weeks, at least cost."""
    options, scenario = options or Options(), scenario or Scenario()
    model = scenario.apply(model)
    hours = options.weeks * HOURS_PER_WEEK
    open_hours = np.asarray(model.open_hours)
    external = model.rates(hours, options.start_week)
    visits = carry_closed(model.visit_rates(external), open_hours)
    n = len(model.levels)
    required = np.zeros((n, hours), dtype=np.int64)
    scheduled = np.zeros_like(required)
    service_level = np.ones((n, hours))
    cost = {}
    for i, level in enumerate(model.levels):
        aht = level.handling.mean
        rates = np.round(visits[:, i] / 3600, 9)
        agents = _agents(rates, aht, level.target_seconds, level.target_level, options)
        required[i] = np.ceil(agents / (1 - level.shrinkage) - 1e-9)
        scheduled[i] = cover(required[i], options.shift_hours)
        on_duty = np.floor(scheduled[i] * (1 - level.shrinkage) + 1e-9).astype(np.int64)
        service_level[i] = _service(visits[:, i] / 3600, aht, on_duty, level.target_seconds,
                                    options.patience)
        cost[level.code] = float(scheduled[i].sum() * level.hourly_cost)
    return Plan(scenario.name, tuple(lv.code for lv in model.levels), hours,
                options.start_week, visits.T.copy(), required, scheduled, service_level, cost)


def _agents(rates: np.ndarray, aht: float, target: float, level: float,
            options: Options) -> np.ndarray:
    """The fewest agents per hour (Erlang C for every hour at once; Erlang A hour by hour)."""
    if options.patience is None:
        return erlang.agents_for_c_many(rates, aht, target, level,
                                        max_occupancy=options.max_occupancy)
    return np.array([_required(float(r), aht, target, level, options.max_occupancy,
                               options.patience) for r in rates], dtype=np.int64)


def _service(rates: np.ndarray, aht: float, agents: np.ndarray, target: float,
             patience: float | None) -> np.ndarray:
    """The predicted share answered within target per hour (1 with no arrivals)."""
    if patience is None:
        return erlang.service_level_c_many(rates, aht, agents, target)
    return np.array([1.0 if rate <= 0 else 0.0 if c == 0 else
                     erlang.interval_a(rate, aht, int(c), target, patience).service_level
                     for rate, c in zip(rates, agents, strict=True)])


def compare(model: DeskModel, options: Options, scenarios: list[Scenario]) -> list[Plan]:
    """The baseline plan followed by one plan per scenario."""
    return [plan(model, options, s) for s in [Scenario(), *scenarios]]
