"""Estimating the model's inputs from observations: arrival profile with trend, handling-time
laws with goodness of fit, routing probabilities. Pure (NumPy and SciPy), no ORM."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from palier.capacity.model import HOURS_PER_WEEK, Distribution

WEEK = HOURS_PER_WEEK * 3600.0
#: Fitting and the KS test use at most this many observations (a seeded subsample).
FIT_SAMPLE = 20_000
#: The weekly trend is clipped to ± this (a short or patchy history says little more).
MAX_TREND = 0.5


@dataclass(frozen=True)
class Candidate:
    distribution: Distribution
    aic: float
    ks_statistic: float
    ks_pvalue: float

    def as_dict(self) -> dict:
        return {**self.distribution.as_dict(), "aic": round(self.aic, 2),
                "ks_statistic": round(self.ks_statistic, 4),
                "ks_pvalue": round(self.ks_pvalue, 4)}


@dataclass(frozen=True)
class Fit:
    """The best law by AIC, every candidate with its KS statistic, and the sample's summary."""

    best: Candidate
    candidates: tuple[Candidate, ...]
    count: int
    mean: float
    median: float

    def as_dict(self) -> dict:
        return {"best": self.best.as_dict(), "count": self.count, "mean": round(self.mean, 1),
                "median": round(self.median, 1),
                "candidates": [c.as_dict() for c in self.candidates]}


def _candidate(kind: str, sample: np.ndarray) -> Candidate:
    if kind == "exponential":
        _, scale = stats.expon.fit(sample, floc=0)
        frozen, dist, k = stats.expon(scale=scale), Distribution("exponential", scale), 1
    elif kind == "lognormal":
        sigma, _, scale = stats.lognorm.fit(sample, floc=0)
        frozen = stats.lognorm(sigma, scale=scale)
        dist, k = Distribution("lognormal", math.log(scale), sigma), 2
    elif kind == "gamma":
        shape, _, scale = stats.gamma.fit(sample, floc=0)
        frozen, dist, k = stats.gamma(shape, scale=scale), Distribution("gamma", shape, scale), 2
    else:
        shape, _, scale = stats.weibull_min.fit(sample, floc=0)
        frozen = stats.weibull_min(shape, scale=scale)
        dist, k = Distribution("weibull", shape, scale), 2
    aic = 2 * k - 2 * float(frozen.logpdf(sample).sum())
    ks = stats.kstest(sample, frozen.cdf)
    return Candidate(dist, aic, float(ks.statistic), float(ks.pvalue))


def fit_handling(seconds: np.ndarray | list[float], *, seed: int = 0) -> Fit:
    """Fit exponential, lognormal, gamma and Weibull laws by maximum likelihood."""
    sample = np.asarray(seconds, dtype=float)
    sample = sample[np.isfinite(sample) & (sample > 0)]
    if sample.size < 2:
        raise ValueError("Need at least two positive handling times to fit a law.")
    if sample.size > FIT_SAMPLE:
        sample = np.random.default_rng(seed).choice(sample, FIT_SAMPLE, replace=False)
    candidates = []
    for kind in ("exponential", "lognormal", "gamma", "weibull"):
        try:
            candidates.append(_candidate(kind, sample))
        except (ValueError, FloatingPointError, RuntimeError):
            continue  # a law the optimiser cannot fit to this sample is simply not offered
    candidates.sort(key=lambda c: c.aic)
    return Fit(candidates[0], tuple(candidates), int(np.asarray(seconds).size),
               float(sample.mean()), float(np.median(sample)))


@dataclass(frozen=True)
class ArrivalProfile:
    """Tickets per hour for each hour of the week (Monday 00:00 first) and a weekly trend."""

    rates: tuple[float, ...]
    trend: float
    weeks: float
    count: int

    def as_dict(self) -> dict:
        return {"rates": [round(r, 4) for r in self.rates], "trend": round(self.trend, 5),
                "weeks": round(self.weeks, 2), "count": self.count}


def arrival_profile(offsets: np.ndarray | list[float], span: float) -> ArrivalProfile:
    """From arrival offsets in seconds since a Monday 00:00 (local time) over ``span`` seconds.

    The profile is the mean count per hour of the week; the trend is the slope of a Poisson
    regression of the weekly counts (``exp(slope) - 1`` per week, within ±``MAX_TREND``),
    0 with under two weeks.
    """
    t = np.asarray(offsets, dtype=float)
    if span <= 0 or t.size == 0:
        raise ValueError("Need arrivals over a positive span of time.")
    weeks = span / WEEK
    hour = ((t % WEEK) // 3600).astype(int)
    counts = np.bincount(hour, minlength=HOURS_PER_WEEK).astype(float)
    exposure = _hour_exposure(span)
    rates = np.divide(counts, exposure, out=np.zeros(HOURS_PER_WEEK), where=exposure > 0)
    trend = 0.0
    full = int(span // WEEK)
    if full >= 2:
        weekly = np.bincount((t // WEEK).astype(int), minlength=full)[:full].astype(float)
        trend = _poisson_slope(np.arange(full, dtype=float), weekly)
        # Centre the profile on week 0 so that rates * (1 + trend) ** week reproduces the data.
        rates = rates / (1 + trend) ** ((full - 1) / 2)
    return ArrivalProfile(tuple(float(r) for r in rates), trend, weeks, int(t.size))


def _hour_exposure(span: float) -> np.ndarray:
    """How many times each hour of the week occurs (fractionally) in [0, span)."""
    whole, rest = divmod(span, WEEK)
    exposure = np.full(HOURS_PER_WEEK, float(whole))
    starts = np.arange(HOURS_PER_WEEK) * 3600.0
    exposure += np.clip((rest - starts) / 3600.0, 0, 1)
    return exposure


def _poisson_slope(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> float:
    """Maximum-likelihood growth per week of a log-linear Poisson model (Newton steps)."""
    if y.sum() == 0:
        return 0.0
    beta = np.array([math.log(max(y.mean(), 1e-9)), 0.0])
    design = np.column_stack([np.ones_like(x), x])
    for _ in range(iterations):
        beta[1] = np.clip(beta[1], -1.0, 1.0)  # weeks without tickets would diverge
        mu = np.exp(design @ beta)
        try:
            step = np.linalg.solve(design.T @ (design * mu[:, None]), design.T @ (y - mu))
        except np.linalg.LinAlgError:
            break  # a degenerate history (all in one week): keep the last estimate
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return float(np.clip(math.expm1(beta[1]), -MAX_TREND, MAX_TREND))


def routing_shares(outcomes: dict[str, int]) -> dict[str, float]:
    """Visit outcomes counted per kind → probabilities (resolve, escalate, return, pause)."""
    total = sum(outcomes.values())
    if total == 0:
        return {k: 0.0 for k in outcomes}
    return {k: v / total for k, v in outcomes.items()}
