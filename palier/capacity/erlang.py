"""Exact queueing formulas for one staffing interval: Erlang C (M/M/c) and Erlang A (M/M/c+M).

Pure maths, no ORM. Rates are per second, times in seconds. Every formula is evaluated in a
numerically stable form so that thousands of agents neither overflow nor lose precision:

* Erlang B by its recursion ``B(k) = a B(k-1) / (k + a B(k-1))`` (all terms in [0, 1]),
  or for many agents as a Poisson pmf/cdf ratio in log space;
* Erlang C from Erlang B: ``C = c B / (c - a (1 - B))``;
* Erlang A from the birth-death stationary distribution built in log space, and the exact
  waiting time of an arrival that finds ``k`` customers queued ahead: with stage rates
  ``c mu + i theta`` and its own patience ``theta``, ``P(served within t) =
  c mu / (c mu + (k+1) theta) * P(Beta(c mu/theta + 1, k + 1) >= exp(-theta t))``
  (the exponentially tilted hypoexponential has the law of ``-log Beta / theta``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import optimize, special, stats

#: Past this many queue states the Erlang A tail is below machine precision in every case
#: this module accepts (load below c, or any positive abandonment rate).
MAX_QUEUE_STATES = 2_000_000
#: Erlang B by recursion up to this many agents, by the Poisson ratio beyond.
RECURSION_LIMIT = 64


@dataclass(frozen=True)
class Interval:
    """What one interval of ``agents`` yields for ``rate`` arrivals/s of mean ``aht`` seconds."""

    rate: float
    aht: float
    agents: int
    target: float
    p_wait: float
    asa: float  # average speed of answer over answered customers, seconds
    service_level: float  # share of arrivals answered within ``target`` seconds
    occupancy: float
    p_abandon: float = 0.0
    patience: float | None = None

    @property
    def load(self) -> float:
        return self.rate * self.aht

    def as_dict(self) -> dict:
        return {**asdict(self), "load": self.load}


def _check(rate: float, aht: float, agents: int) -> None:
    if rate < 0 or not math.isfinite(rate):
        raise ValueError("The arrival rate must be a finite number ≥ 0.")
    if aht <= 0 or not math.isfinite(aht):
        raise ValueError("The average handling time must be > 0.")
    if agents < 0 or int(agents) != agents:
        raise ValueError("The number of agents must be a whole number ≥ 0.")


def erlang_b(load: float, agents: int) -> float:
    """Blocking probability of M/M/c/c with offered ``load`` erlangs.

    Up to ``RECURSION_LIMIT`` agents by the stable recursion; beyond, in O(1) as the ratio of
    the Poisson probability and distribution function, both in log space
    (``B = P(N = c) / P(N <= c)`` for ``N ~ Poisson(a)``).
    """
    if load <= 0:
        return 0.0 if agents > 0 else 1.0
    if agents > RECURSION_LIMIT:
        return float(np.exp(stats.poisson.logpmf(agents, load)
                            - stats.poisson.logcdf(agents, load)))
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(load: float, agents: int) -> float:
    """P(wait > 0) in M/M/c; 1.0 when the load is not below the number of agents."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    b = erlang_b(load, agents)
    return agents * b / (agents - load * (1.0 - b))


def interval_c(rate: float, aht: float, agents: int, target: float) -> Interval:
    """Erlang C: probability of waiting, ASA, service level within ``target`` and occupancy."""
    _check(rate, aht, agents)
    load = rate * aht
    p_wait = erlang_c(load, agents)
    if agents <= load:
        return Interval(rate, aht, agents, target, 1.0, math.inf, 0.0, 1.0)
    drain = (agents - load) / aht  # c mu - lambda
    asa = p_wait / drain if p_wait > 0 else 0.0
    service_level = 1.0 - p_wait * math.exp(-drain * target)
    return Interval(rate, aht, agents, target, p_wait, asa, service_level, load / agents)


def _log_states(load: float, agents: int, mu: float, theta: float) -> tuple[np.ndarray, int]:
    """Unnormalised log stationary probabilities of 0 … c + K customers (M/M/c+M)."""
    n = np.arange(agents + 1, dtype=float)
    head = n * math.log(load) - special.gammaln(n + 1) if load > 0 else np.where(n == 0, 0.0,
                                                                                -np.inf)
    lam, c_mu = load * mu, agents * mu
    # Queue k: log pi_c + sum_{j<=k} log(lam / (c mu + j theta)); stop once negligible.
    size = 1024
    while True:
        j = np.arange(1, size + 1, dtype=float)
        tail = head[-1] + np.cumsum(np.log(lam) - np.log(c_mu + j * theta)) if lam > 0 else \
            np.full(size, -np.inf)
        top = max(head.max(), tail.max())
        if lam <= 0 or tail[-1] < top - 750 or size >= MAX_QUEUE_STATES:
            break
        size *= 4
    if lam > 0 and tail[-1] > top - 40:
        raise ValueError("The queue does not settle: add agents or give a finite patience.")
    return np.concatenate([head, tail]), agents


def interval_a(rate: float, aht: float, agents: int, target: float,
               patience: float) -> Interval:
    """Erlang A (exponential patience of mean ``patience`` s): exact measures, stable."""
    _check(rate, aht, agents)
    if patience <= 0 or not math.isfinite(patience):
        raise ValueError("The mean patience must be a finite number > 0.")
    if rate == 0:
        return Interval(rate, aht, agents, target, 0.0, 0.0, 1.0, 0.0, 0.0, patience)
    if agents == 0:
        raise ValueError("Erlang A needs at least one agent.")
    mu, theta = 1.0 / aht, 1.0 / patience
    log_pi, c = _log_states(rate * aht, agents, mu, theta)
    pi = np.exp(log_pi - special.logsumexp(log_pi))
    queued = pi[c:]  # an arrival finds k = 0, 1, … customers waiting ahead
    k = np.arange(queued.size, dtype=float)
    c_mu = c * mu
    served = c_mu / (c_mu + (k + 1) * theta)
    u = -math.expm1(-theta * target)  # 1 - exp(-theta t)
    within = served * special.betainc(k + 1, c_mu / theta + 1, u)
    # E[wait; served | k] = served * sum_{j=1}^{k+1} 1 / (c mu + j theta)
    harmonic = np.cumsum(1.0 / (c_mu + (k + 1) * theta))
    p_wait = float(queued.sum())
    p_served = 1.0 - float((queued * (1 - served)).sum())
    asa = float((queued * served * harmonic).sum()) / p_served
    service_level = float(pi[:c].sum() + (queued * within).sum())
    occupancy = rate * p_served * aht / agents
    return Interval(rate, aht, agents, target, min(p_wait, 1.0), asa, min(service_level, 1.0),
                    min(occupancy, 1.0), max(0.0, 1.0 - p_served), patience)


def interval(rate: float, aht: float, agents: int, target: float,
             patience: float | None = None) -> Interval:
    """Erlang A when a patience is given, else Erlang C."""
    if patience is None:
        return interval_c(rate, aht, agents, target)
    return interval_a(rate, aht, agents, target, patience)


def halfin_whitt_beta(p_wait: float) -> float:
    """The ``beta`` of the square-root rule that gives ``p_wait`` (Halfin–Whitt limit)."""
    if not 0 < p_wait < 1:
        raise ValueError("The probability of waiting must be strictly between 0 and 1.")

    def gap(beta: float) -> float:
        return 1.0 / (1.0 + beta * stats.norm.cdf(beta) / stats.norm.pdf(beta)) - p_wait

    return float(optimize.brentq(gap, 1e-9, 8.0))


def square_root_staffing(load: float, beta: float) -> int:
    """The square-root rule: ``c = ceil(a + beta sqrt(a))``, a quick estimate."""
    if load <= 0:
        return 0
    return math.ceil(load + beta * math.sqrt(load) - 1e-12)


def agents_for(rate: float, aht: float, target: float, level: float, *,
               patience: float | None = None, max_occupancy: float = 1.0) -> Interval:
    """The fewest agents whose service level within ``target`` reaches ``level``."""
    if not 0 < level < 1:
        raise ValueError("The target service level must be strictly between 0 and 1.")
    if not 0 < max_occupancy <= 1:
        raise ValueError("The maximum occupancy must be in (0, 1].")
    _check(rate, aht, 0)
    load = rate * aht
    if load == 0:
        return interval(rate, aht, 0, target, None)
    # Erlang C needs c > a; with abandonment any c ≥ 1 is stable.
    low = max(1, math.floor(load) + 1, math.ceil(load / max_occupancy - 1e-9)) \
        if patience is None else 1
    def meets(agents: int) -> Interval | None:
        result = interval(rate, aht, agents, target, patience)
        ok = result.service_level >= level and result.occupancy <= max_occupancy + 1e-12
        return result if ok else None

    step = max(1, math.ceil(math.sqrt(load)))
    high = low
    while meets(high) is None:  # gallop up, then bisect: the service level grows with c
        low, high = high + 1, high + step
        step *= 2
    while low < high:
        middle = (low + high) // 2
        if meets(middle) is None:
            low = middle + 1
        else:
            high = middle
    return meets(high)


# Vectorised Erlang C, for the planner: every hour of a horizon at once.


def erlang_c_many(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """``erlang_c`` element-wise: P(wait > 0) per (load, agents) pair.

    Erlang B in closed form for every agent count (the Poisson pmf over its distribution
    function; with ``c > a`` the cdf is above 1/2, so the ratio never loses precision).
    """
    load, agents = np.broadcast_arrays(np.asarray(load, float), np.asarray(agents, float))
    out = np.where(load > 0, 1.0, 0.0)
    ok = (load > 0) & (agents > load)
    a, c = load[ok], agents[ok]
    b = np.exp(c * np.log(a) - a - special.gammaln(c + 1)) / special.pdtr(c, a)
    out[ok] = c * b / (c - a * (1.0 - b))
    return out


def service_level_c_many(rate: np.ndarray, aht: float, agents: np.ndarray,
                         target: float) -> np.ndarray:
    """Erlang C share answered within ``target`` per (rate, agents) pair; 1 without
    arrivals, 0 with arrivals but no agent or a load not below the agents."""
    rate, agents = np.broadcast_arrays(np.asarray(rate, float), np.asarray(agents, float))
    load = rate * aht
    served = np.exp(-np.maximum(agents - load, 0.0) / aht * target)
    level = 1.0 - erlang_c_many(load, agents) * served
    return np.where(rate <= 0, 1.0, np.where(agents > load, level, 0.0))


def agents_for_c_many(rate: np.ndarray, aht: float, target: float, level: float, *,
                      max_occupancy: float = 1.0) -> np.ndarray:
    """``agents_for`` (Erlang C) element-wise: the fewest agents per rate meeting ``level``
    within ``target`` under ``max_occupancy`` (0 for no arrivals)."""
    if not 0 < level < 1:
        raise ValueError("The target service level must be strictly between 0 and 1.")
    if not 0 < max_occupancy <= 1:
        raise ValueError("The maximum occupancy must be in (0, 1].")
    rate = np.asarray(rate, float)
    if (rate < 0).any() or not np.isfinite(rate).all():
        raise ValueError("The arrival rate must be a finite number ≥ 0.")
    _check(0.0, aht, 0)
    load = rate * aht
    need = np.zeros(rate.shape, dtype=np.int64)
    flat = need.ravel()
    todo = np.flatnonzero(load > 0)
    r, a = rate.ravel()[todo], load.ravel()[todo]
    c = np.maximum.reduce([np.ones_like(a), np.floor(a) + 1, np.ceil(a / max_occupancy - 1e-9)])
    while todo.size:  # the service level grows with c: step every unmet interval up together
        ok = ((service_level_c_many(r, aht, c, target) >= level)
              & (a / c <= max_occupancy + 1e-12))
        flat[todo[ok]] = c[ok]
        todo, r, a, c = todo[~ok], r[~ok], a[~ok], c[~ok] + 1
    return need
