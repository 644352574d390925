"""The M/M/c simulation agrees with Erlang C."""

from __future__ import annotations

import pytest

from palier.capacity.erlang import interval_c
from palier.capacity.mmc import simulate_mmc


def _errors(rate, aht, agents, target, customers, seed=7):
    exact = interval_c(rate, aht, agents, target)
    sim = simulate_mmc(rate, aht, agents, target, customers=customers, seed=seed)
    return sim, {
        "p_wait": sim.p_wait.mean / exact.p_wait - 1,
        "mean_wait": sim.mean_wait.mean / exact.asa - 1,
        "service_level": sim.service_level.mean / exact.service_level - 1,
    }


def test_a_small_run_agrees_with_erlang_c_within_a_few_percent():
    _, errors = _errors(360 / 1800, 240, 55, 15, 400_000)
    assert all(abs(e) < 0.06 for e in errors.values()), errors


def test_the_same_seed_gives_the_same_estimates():
    a = simulate_mmc(0.1, 60, 8, 10, customers=20_000, seed=3)
    b = simulate_mmc(0.1, 60, 8, 10, customers=20_000, seed=3)
    assert a == b


def test_an_unstable_queue_is_refused():
    with pytest.raises(ValueError):
        simulate_mmc(1.0, 10, 5, 10)


# (agents, occupancy, customers): at least 1,000,000 customers, more where the variance of
# the mean wait grows with the load, so that the 95 % interval is well inside 1 %
# (``bench/capacity.py`` runs the wider grid and prints the intervals).
GRID = [(1, 0.5, 12_000_000), (5, 0.8, 120_000_000), (10, 0.95, 900_000_000)]


@pytest.mark.slow
@pytest.mark.parametrize(("agents", "occupancy", "customers"), GRID)
def test_simulation_matches_erlang_c_within_one_percent(agents, occupancy, customers):
    aht = 240.0
    rate = occupancy * agents / aht
    _, errors = _errors(rate, aht, agents, 15.0, customers)
    assert all(abs(e) < 0.01 for e in errors.values()), errors
