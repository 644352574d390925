"""A fast simulation of the plain M/M/c queue (FCFS), to check Erlang C and to benchmark.

The kernel is compiled with numba: each customer costs one exponential inter-arrival, one
exponential service and a sift in a binary heap of the ``c`` agents' next free times (the
Kiefer–Wolfowitz workload recursion), so it runs tens of millions of customers per second.
Estimates come from batch means after a warm-up, with a Student-t confidence interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy import stats


@njit(cache=True)
def _sift_down(heap: np.ndarray, value: float) -> None:
    """Replace the root of the min-heap with ``value`` and restore the heap."""
    n = heap.size
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= value:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = value


@njit(cache=True)
def _kernel(customers: int, warmup: int, batches: int, rate: float, aht: float, agents: int,
            target: float, seed: int) -> np.ndarray:
    """Per batch: share waiting, mean wait, share answered within ``target``."""
    np.random.seed(seed)
    free = np.zeros(agents)
    out = np.zeros((batches + 1, 3))
    per_batch = customers // batches
    clock = 0.0
    mean_gap = 1.0 / rate
    for b in range(batches + 1):  # batch 0 is the warm-up, dropped
        waited = total = within = 0.0
        for _ in range(warmup if b == 0 else per_batch):
            clock += np.random.exponential(mean_gap)
            start = free[0] if free[0] > clock else clock
            wait = start - clock
            _sift_down(free, start + np.random.exponential(aht))
            waited += wait > 0.0
            total += wait
            within += wait <= target
        out[b, 0], out[b, 1], out[b, 2] = waited, total, within
    return out[1:] / per_batch


@dataclass(frozen=True)
class Estimate:
    mean: float
    half_width: float  # 95 % confidence half-width

    def as_dict(self) -> dict:
        """JSON-safe: an unknown value or an unbounded interval is ``None``."""
        def safe(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {"mean": safe(self.mean), "half_width": safe(self.half_width)}


@dataclass(frozen=True)
class MmcResult:
    customers: int
    p_wait: Estimate
    mean_wait: Estimate
    service_level: Estimate


def batch_estimate(values: np.ndarray, level: float = 0.95) -> Estimate:
    """Mean and Student-t half-width of independent (batch or replication) values."""
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return Estimate(math.nan, math.inf)
    mean = float(values.mean())
    if n < 2:
        return Estimate(mean, math.inf)
    t = stats.t.ppf(0.5 + level / 2, n - 1)
    return Estimate(mean, float(t * values.std(ddof=1) / math.sqrt(n)))


def simulate_mmc(rate: float, aht: float, agents: int, target: float, *,
                 customers: int = 1_000_000, batches: int = 50, warmup: int | None = None,
                 seed: int = 1) -> MmcResult:
    """Simulate ``customers`` arrivals of M/M/c (after a warm-up) and estimate the measures."""
    if rate <= 0 or aht <= 0 or agents < 1:
        raise ValueError("Need a positive rate and handling time and at least one agent.")
    if rate * aht >= agents:
        raise ValueError("The load must be below the number of agents.")
    if customers < batches * 10:
        raise ValueError("Too few customers for the number of batches.")
    warmup = customers // 20 if warmup is None else warmup
    out = _kernel(customers, warmup, batches, rate, aht, agents, target, seed)
    return MmcResult(customers, batch_estimate(out[:, 0]), batch_estimate(out[:, 1]),
                     batch_estimate(out[:, 2]))
