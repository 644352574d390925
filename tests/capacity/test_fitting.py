"""Estimating the inputs: handling-time laws with goodness of fit, arrivals with a trend."""

from __future__ import annotations

import numpy as np
import pytest

from palier.capacity.fitting import WEEK, arrival_profile, fit_handling


def test_a_lognormal_sample_is_recognised_and_its_parameters_recovered():
    sample = np.random.default_rng(1).lognormal(6.0, 1.2, 5000)
    fit = fit_handling(sample)
    assert fit.best.distribution.kind == "lognormal"
    assert fit.best.distribution.a == pytest.approx(6.0, abs=0.05)
    assert fit.best.distribution.b == pytest.approx(1.2, abs=0.05)
    assert fit.best.ks_pvalue > 0.01
    assert {c.distribution.kind for c in fit.candidates} == {
        "exponential", "lognormal", "gamma", "weibull"}


def test_an_exponential_sample_fits_with_a_good_ks_statistic():
    sample = np.random.default_rng(2).exponential(600, 4000)
    fit = fit_handling(sample)
    exp = next(c for c in fit.candidates if c.distribution.kind == "exponential")
    assert exp.distribution.mean == pytest.approx(600, rel=0.05)
    assert exp.ks_pvalue > 0.01
    assert fit.best.aic <= exp.aic


def test_too_few_observations_are_refused():
    with pytest.raises(ValueError):
        fit_handling([0, 10])


def test_arrival_profile_and_trend_are_recovered():
    rng = np.random.default_rng(3)
    weeks, base, growth = 8, np.where(np.arange(168) % 24 >= 8, 6.0, 1.0), 0.05
    times = []
    for w in range(weeks):
        counts = rng.poisson(base * (1 + growth) ** w)
        for h, n in enumerate(counts):
            times.extend(w * WEEK + h * 3600 + rng.random(n) * 3600)
    profile = arrival_profile(np.array(times), weeks * WEEK)
    assert profile.trend == pytest.approx(growth, abs=0.01)
    rates = np.asarray(profile.rates)
    assert rates[9] > 3 * rates[3]
    assert rates.sum() == pytest.approx(base.sum(), rel=0.05)
