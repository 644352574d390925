"""The desk as a queueing network: what the simulation and the planner take as input.

Pure data, no ORM. Times are seconds; the week starts on Monday 00:00 in the desk's timezone,
and hour ``h`` of a horizon is hour ``h % 168`` of the week.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

HOURS_PER_WEEK = 168
PRIORITIES = ("P1", "P2", "P3", "P4")
DISTRIBUTIONS = ("exponential", "lognormal", "gamma", "weibull")


@dataclass(frozen=True)
class Distribution:
    """A handling-time law. ``exponential``: a = mean; ``lognormal``: a = mu, b = sigma of
    log-seconds; ``gamma`` and ``weibull``: a = shape, b = scale (seconds)."""

    kind: str
    a: float
    b: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in DISTRIBUTIONS:
            raise ValueError(f"Unknown distribution {self.kind!r}; use one of {DISTRIBUTIONS}.")
        if not (self.a > 0 or self.kind == "lognormal") or self.b < 0:
            raise ValueError("Distribution parameters must be positive.")

    @classmethod
    def exponential(cls, mean: float) -> Distribution:
        return cls("exponential", float(mean))

    @property
    def code(self) -> int:
        return DISTRIBUTIONS.index(self.kind)

    @property
    def mean(self) -> float:
        if self.kind == "exponential":
            return self.a
        if self.kind == "lognormal":
            return math.exp(self.a + self.b**2 / 2)
        if self.kind == "gamma":
            return self.a * self.b
        return self.b * math.gamma(1 + 1 / self.a)

    def scaled(self, factor: float) -> Distribution:
        """The same law with every time multiplied by ``factor``."""
        if self.kind == "exponential":
            return replace(self, a=self.a * factor)
        if self.kind == "lognormal":
            return replace(self, a=self.a + math.log(factor))
        return replace(self, b=self.b * factor)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "a": self.a, "b": self.b, "mean": self.mean}


@dataclass(frozen=True)
class LevelModel:
    """One support level: handling time, routing after a visit, pauses, cost, targets.

    ``transfers[j]`` is the probability that a visit here ends by moving the ticket to level
    ``j`` (higher: an escalation, possibly skipping a level; lower: a return or de-escalation).
    What is neither a transfer nor a pause is a resolution.
    """

    code: str
    handling: Distribution
    transfers: tuple[float, ...] = ()
    pause: float = 0.0  # P(a visit ends pending the requester, then re-queues here)
    pause_mean: float = 4 * 3600.0
    hourly_cost: float = 0.0
    shrinkage: float = 0.0  # share of scheduled time on breaks, meetings, training
    target_seconds: float = 3600.0  # answer (pick-up) target at this level …
    target_level: float = 0.8  # … for this share of visits

    def __post_init__(self) -> None:
        for name in ("pause", "shrinkage"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{self.code}: {name} must be in [0, 1).")
        if any(p < 0 for p in self.transfers) or sum(self.transfers) + self.pause >= 1:
            raise ValueError(f"{self.code}: transfers + pause must be ≥ 0 and stay below 1.")
        if not 0 < self.target_level < 1 or self.target_seconds <= 0:
            raise ValueError(f"{self.code}: give a target time > 0 and a share in (0, 1).")

    def moves(self, levels: int) -> np.ndarray:
        """The transfer probabilities padded to ``levels`` destinations."""
        out = np.zeros(levels)
        out[: len(self.transfers)] = self.transfers[:levels]
        return out

    def escalation(self, index: int) -> float:
        return float(sum(self.transfers[index + 1:]))

    def giving_back(self, index: int) -> float:
        return float(sum(self.transfers[:index]))

    @property
    def resolve(self) -> float:
        return 1.0 - sum(self.transfers) - self.pause


@dataclass(frozen=True)
class DeskModel:
    """Arrivals by hour of the week with a weekly trend, priority mix, entry levels, levels,
    business hours (1 = open) and the SLA targets per priority (business seconds)."""

    arrivals: tuple[float, ...]  # tickets per hour, 168 values, for week 0
    levels: tuple[LevelModel, ...]
    trend: float = 0.0  # relative growth per week
    priority_mix: tuple[float, ...] = (0.05, 0.15, 0.5, 0.3)
    entry: tuple[float, ...] = (1.0,)  # share of tickets entering at each level
    open_hours: tuple[float, ...] = (1.0,) * HOURS_PER_WEEK
    response_targets: tuple[float, ...] = (900.0, 3600.0, 14400.0, 28800.0)
    resolution_targets: tuple[float, ...] = (14400.0, 28800.0, 86400.0, 259200.0)
    notes: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if len(self.arrivals) != HOURS_PER_WEEK or min(self.arrivals) < 0:
            raise ValueError("Give 168 non-negative hourly arrival rates (Monday 00:00 first).")
        if len(self.open_hours) != HOURS_PER_WEEK:
            raise ValueError("Give 168 business-hour flags.")
        if not self.levels:
            raise ValueError("A desk has at least one level.")
        for name, size in (("priority_mix", len(PRIORITIES)), ("entry", None)):
            shares = getattr(self, name)
            if (size and len(shares) != size) or min(shares) < 0 or abs(sum(shares) - 1) > 1e-6:
                raise ValueError(f"{name} must be non-negative shares summing to 1.")
        for i, level in enumerate(self.levels):
            if len(level.transfers) > len(self.levels) or (
                    i < len(level.transfers) and level.transfers[i]):
                raise ValueError(f"{level.code}: transfers go to other existing levels.")
        if len(self.entry) > len(self.levels):
            raise ValueError("More entry shares than levels.")
        if self.trend <= -1:
            raise ValueError("The weekly trend must be above -100 %.")

    def rates(self, hours: int, start_week: int = 0) -> np.ndarray:
        """Tickets per hour over ``hours`` hours, the weekly profile times the trend."""
        h = np.arange(hours)
        base = np.asarray(self.arrivals)[h % HOURS_PER_WEEK]
        return base * (1.0 + self.trend) ** (start_week + h / HOURS_PER_WEEK)

    def entry_shares(self) -> np.ndarray:
        shares = np.zeros(len(self.levels))
        shares[: len(self.entry)] = self.entry
        return shares

    def visit_rates(self, external: np.ndarray) -> np.ndarray:
        """Visits per hour at each level from the external arrivals (traffic equations).

        A visit at level i ends in a pause (another visit at i) or a transfer (a visit at j):
        ``v = e + v P`` solved for every hour at once.
        """
        n = len(self.levels)
        routing = np.array([level.moves(n) for level in self.levels])
        routing[np.diag_indices(n)] += [level.pause for level in self.levels]
        external = np.outer(external, self.entry_shares())  # hours × levels
        return np.linalg.solve((np.eye(n) - routing).T, external.T).T


def constant_staff(model: DeskModel, staff: dict[str, int], hours: int) -> np.ndarray:
    """A levels × hours schedule with the same number of agents every hour."""
    return np.array([[staff[level.code]] * hours for level in model.levels], dtype=np.int64)
