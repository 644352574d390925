"""Erlang C and Erlang A: published reference values, limits, stability, staffing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from palier.capacity import erlang

RATE = 360 / 1800  # 360 contacts per 30 minutes, per second


def test_erlang_c_matches_the_published_reference_values():
    r = erlang.interval_c(RATE, 240, 55, 15)
    assert round(r.p_wait, 4) == 0.2387
    assert round(r.asa, 2) == 8.18
    assert round(100 * r.service_level, 1) == 84.6
    assert r.occupancy == pytest.approx(48 / 55)


@pytest.mark.parametrize("patience", [1e6, 1e8, 1e10])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(patience):
    c = erlang.interval_c(RATE, 240, 55, 15)
    a = erlang.interval_a(RATE, 240, 55, 15, patience)
    tolerance = 1e4 / patience
    assert a.p_wait == pytest.approx(c.p_wait, rel=tolerance)
    assert a.asa == pytest.approx(c.asa, rel=tolerance)
    assert a.service_level == pytest.approx(c.service_level, rel=tolerance)
    assert a.p_abandon < tolerance


def test_abandonment_shortens_waits_and_loses_customers():
    c = erlang.interval_c(RATE, 240, 55, 15)
    a = erlang.interval_a(RATE, 240, 55, 15, 120)
    assert a.asa < c.asa and a.service_level > c.service_level
    assert 0 < a.p_abandon < a.p_wait


def test_erlang_a_is_stable_when_overloaded():
    a = erlang.interval_a(RATE, 240, 40, 15, 60)  # load 48 on 40 agents
    assert 0 < a.p_abandon < 1 and a.occupancy <= 1


def test_erlang_b_recursion_and_closed_form_agree_across_the_switch():
    load = 60.0
    below = erlang.erlang_b(load, erlang.RECURSION_LIMIT)
    b = 1.0
    for k in range(1, erlang.RECURSION_LIMIT + 2):
        b = load * b / (k + load * b)
    assert erlang.erlang_b(load, erlang.RECURSION_LIMIT + 1) == pytest.approx(b, rel=1e-9)
    assert 0 < below < 1


@pytest.mark.parametrize("agents", [1_000, 5_000, 20_000])
def test_thousands_of_agents_give_finite_sensible_values(agents):
    load = agents * 0.97
    c = erlang.interval_c(load / 600, 600, agents, 20)
    a = erlang.interval_a(load / 600, 600, agents, 20, 300)
    for r in (c, a):
        assert all(math.isfinite(x) for x in (r.p_wait, r.asa, r.service_level))
        assert 0 < r.p_wait < 1 and 0 < r.service_level < 1


def test_staffing_finds_the_fewest_agents_meeting_the_target():
    best = erlang.agents_for(RATE, 240, 15, 0.8)
    assert best.service_level >= 0.8
    assert erlang.interval_c(RATE, 240, best.agents - 1, 15).service_level < 0.8


def test_staffing_respects_the_maximum_occupancy():
    best = erlang.agents_for(RATE, 240, 600, 0.5, max_occupancy=0.8)
    assert best.occupancy <= 0.8 and best.agents == 60


def test_square_root_rule_is_close_to_exact_staffing():
    exact = erlang.agents_for(RATE * 10, 240, 1e-9, 1 - 0.2)  # P(wait) ≤ 0.2
    beta = erlang.halfin_whitt_beta(0.2)
    assert abs(erlang.square_root_staffing(480, beta) - exact.agents) <= 2


def test_no_load_needs_no_agent():
    assert erlang.agents_for(0, 240, 15, 0.8).agents == 0


@pytest.mark.parametrize("args", [(-1, 240, 5, 15), (1, 0, 5, 15), (1, 240, 2.5, 15)])
def test_bad_input_is_refused(args):
    with pytest.raises(ValueError):
        erlang.interval_c(*args)


def test_a_load_above_the_agents_never_answers_under_erlang_c():
    r = erlang.interval_c(RATE, 240, 48, 15)
    assert r.p_wait == 1 and r.service_level == 0 and math.isinf(r.asa)


@pytest.mark.parametrize(("aht", "target", "level"), [(300, 20, 0.8), (900, 14400, 0.8),
                                                      (2400, 900, 0.95), (7200, 60, 0.5)])
def test_vectorised_erlang_c_matches_the_scalar_formulas(aht, target, level):
    rng = np.random.default_rng(3)
    rates = rng.uniform(0, 3, 120) ** 3 / 3600 * rng.choice([1, 10, 100, 1000], 120)
    rates[:3] = 0
    agents = erlang.agents_for_c_many(rates, aht, target, level, max_occupancy=0.9)
    assert agents.tolist() == [erlang.agents_for(r, aht, target, level, max_occupancy=0.9)
                               .agents for r in rates]
    some = np.maximum(agents - 1, 1)
    assert erlang.service_level_c_many(rates, aht, some, target) == pytest.approx(
        [erlang.interval_c(r, aht, int(c), target).service_level if r else 1.0
         for r, c in zip(rates, some, strict=True)], rel=1e-10, abs=1e-13)
    loads = rates * aht
    assert erlang.erlang_c_many(loads, some) == pytest.approx(
        [erlang.erlang_c(a, int(c)) for a, c in zip(loads, some, strict=True)], rel=1e-10)
