"""Capacity benchmark: simulation speed beside SimPy, accuracy against Erlang C, the BPIC 2013
replay, and the planner's time. Prints JSON.

    .venv/bin/python bench/capacity.py            # everything (the 1 % grid takes minutes)
    .venv/bin/python bench/capacity.py --quick    # no accuracy grid, smaller runs

Numba compiles on first use: the benchmark points NUMBA_CACHE_DIR at an empty directory, so
the first call really compiles, and reports that compile time apart from the warm figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="palier-numba-")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import simpy

from bench._common import machine
from palier.capacity import planner
from palier.capacity.erlang import interval_c
from palier.capacity.experiment import simulate
from palier.capacity.mmc import simulate_mmc
from palier.capacity.model import DeskModel, Distribution, LevelModel, constant_staff

BPIC = Path("/work/shared/data/bpic2013_volvo_it_incidents/07_bpic2013_incidents.xes.gz")
RATE, AHT, AGENTS, TARGET = 0.2, 240.0, 55, 15.0  # the Erlang C reference interval


def simpy_mmc(customers: int, seed: int = 1) -> float:
    """The same M/M/c in SimPy; returns the mean wait."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits = []

    def customer():
        arrived = env.now
        with agents.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(AHT))

    def source():
        for _ in range(customers):
            yield env.timeout(rng.exponential(1 / RATE))
            env.process(customer())

    env.process(source())
    env.run()
    return float(np.mean(waits))


def tiered_model() -> DeskModel:
    """3 levels, priorities, escalations, returns and pauses; 24×7 with constant staff so
    that SimPy runs the very same network."""
    def level(code, mean, transfers, pause):
        return LevelModel(code, Distribution.exponential(mean), transfers=transfers,
                          pause=pause, pause_mean=1800.0, hourly_cost=40.0)
    return DeskModel(arrivals=(60.0,) * 168, levels=(
        level("L1", 600, (0, 0.25, 0.02), 0.05), level("L2", 1800, (0.05, 0, 0.15), 0.05),
        level("L3", 3600, (0, 0.05, 0), 0.02)))


TIERED_STAFF = {"L1": 14, "L2": 12, "L3": 6}


def simpy_tiered(model: DeskModel, hours: int, seed: int = 1) -> int:
    """The tiered network in SimPy (priority queues per level); returns tickets resolved."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    n = len(model.levels)
    desks = [simpy.PriorityResource(env, capacity=TIERED_STAFF[lv.code])
             for lv in model.levels]
    resolved = [0]

    def ticket(priority: int, lv: int):
        while True:
            spec = model.levels[lv]
            with desks[lv].request(priority=priority) as req:
                yield req
                yield env.timeout(rng.exponential(spec.handling.mean))
            u, acc, dest = rng.random(), spec.pause, -2
            if u < acc:
                yield env.timeout(rng.exponential(spec.pause_mean))
                continue
            for j, p in enumerate(spec.moves(n)):
                acc += p
                if u < acc:
                    dest = j
                    break
            if dest < 0:
                resolved[0] += 1
                return
            lv = dest

    def source():
        rate = model.arrivals[0] / 3600
        while True:
            yield env.timeout(rng.exponential(1 / rate))
            env.process(ticket(int(rng.choice(4, p=model.priority_mix)), 0))

    env.process(source())
    env.run(until=hours * 3600)
    return resolved[0]


def bench_mmc(customers: int, simpy_customers: int) -> dict:
    began = time.perf_counter()
    simulate_mmc(RATE, AHT, AGENTS, TARGET, customers=10_000, batches=10)
    compile_s = time.perf_counter() - began
    began = time.perf_counter()
    sim = simulate_mmc(RATE, AHT, AGENTS, TARGET, customers=customers)
    ours = customers / (time.perf_counter() - began)
    began = time.perf_counter()
    simpy_wait = simpy_mmc(simpy_customers)
    theirs = simpy_customers / (time.perf_counter() - began)
    exact = interval_c(RATE, AHT, AGENTS, TARGET)
    return {"compile_seconds": round(compile_s, 2), "customers": customers,
            "customers_per_second": round(ours), "simpy_customers": simpy_customers,
            "simpy_customers_per_second": round(theirs), "speedup": round(ours / theirs, 1),
            "mean_wait": sim.mean_wait.as_dict(), "erlang_c_asa": exact.asa,
            "simpy_mean_wait": simpy_wait}


def bench_tiered(hours: int, simpy_hours: int) -> dict:
    model = tiered_model()
    began = time.perf_counter()
    simulate(model, constant_staff(model, TIERED_STAFF, 24), replications=1)
    compile_s = time.perf_counter() - began
    result = simulate(model, constant_staff(model, TIERED_STAFF, hours), replications=3)
    ours = result.tickets / result.seconds
    began = time.perf_counter()
    resolved = simpy_tiered(model, simpy_hours)
    simpy_s = time.perf_counter() - began
    tickets = sum(model.arrivals) / 168 * simpy_hours
    theirs = tickets / simpy_s
    return {"compile_seconds": round(compile_s, 2), "tickets": result.tickets,
            "tickets_per_second": round(ours), "simpy_tickets": round(tickets),
            "simpy_resolved": resolved, "simpy_tickets_per_second": round(theirs),
            "speedup": round(ours / theirs, 1),
            "escalated_L2": result.measures["escalated.L2"].as_dict()}


GRID = [(1, 0.5, 12_000_000), (5, 0.8, 120_000_000), (20, 0.7, 360_000_000),
        (55, 48 / 55, 700_000_000), (10, 0.95, 900_000_000)]


def bench_accuracy() -> list[dict]:
    rows = []
    for agents, occupancy, customers in GRID:
        rate = occupancy * agents / AHT
        exact = interval_c(rate, AHT, agents, TARGET)
        began = time.perf_counter()
        sim = simulate_mmc(rate, AHT, agents, TARGET, customers=customers, seed=7)
        row = {"agents": agents, "occupancy": round(occupancy, 4), "customers": customers,
               "seconds": round(time.perf_counter() - began, 1)}
        for name, est, ref in (("p_wait", sim.p_wait, exact.p_wait),
                               ("mean_wait", sim.mean_wait, exact.asa),
                               ("service_level", sim.service_level, exact.service_level)):
            row[name] = {"erlang_c": round(ref, 6), "simulated": round(est.mean, 6),
                         "relative_error": round(est.mean / ref - 1, 5),
                         "ci95_relative": round(est.half_width / ref, 5)}
        rows.append(row)
    return rows


def bench_replay() -> dict | None:
    if not BPIC.exists():
        return None
    from dataclasses import replace

    from palier.capacity.estimation import estimate, from_cases
    from palier.capacity.eventlog import read_cases

    obs = from_cases(read_cases(BPIC))
    est = estimate(obs, ("L1", "L2", "L3"), tz="Europe/Brussels",
                   since=max(obs.arrivals) - 28 * 86400)
    model = replace(est.model, trend=0.0)
    plan = planner.plan(model, planner.Options(weeks=12))
    result = simulate(model, plan.scheduled, replications=20, seed=2013, warmup_hours=168,
                      cooldown_hours=7 * 168)
    return {code: {"observed": round(obs_share, 4),
                   "simulated": result.measures[f"escalated.{code}"].as_dict(),
                   "points_apart": round(100 * abs(
                       result.measures[f"escalated.{code}"].mean - obs_share), 2)}
            for code, obs_share in est.observed_escalation.items()}


def bench_plan(weeks: int) -> dict:
    model = planner.Scenario(volume_percent=50).apply(tiered_model())
    began = time.perf_counter()
    plan = planner.plan(model, planner.Options(weeks=weeks, shift_hours=8))
    return {"weeks": weeks, "levels": len(plan.levels), "seconds":
            round(time.perf_counter() - began, 2), "total_cost": round(plan.total_cost)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    out = {"machine": machine(),
           "mmc": bench_mmc(2_000_000 if quick else 20_000_000, 50_000 if quick else 200_000),
           "tiered": bench_tiered(4 * 168 if quick else 26 * 168, 168 if quick else 2 * 168),
           "plan": bench_plan(8)}
    if not quick:
        out["replay_bpic2013"] = bench_replay()
        out["accuracy_vs_erlang_c"] = bench_accuracy()
    out["machine_after"] = machine()["load_average"]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
