"""SLA benchmark: due times in bulk, a sweep of due tickets by racing workers, and the delay
between a due time and its journal event. Prints one JSON object.

    .venv/bin/python bench/sla.py [--tickets 1000000] [--sweep 100000] [--delay 2000]
                                  [--workers 2] [--keep]

- ``due_times``: in process, no database: first-response and resolution due times of
  ``--tickets`` tickets (random starts over 2025–2026, random priorities) across the ten
  calendars of ``bench/sla_calendar.py`` — ``BusinessCalendar.add`` as the clock uses it; and,
  on a sample, the full clock (``clock_with_alarms``: replay, every target, the alarms owed)
  per ticket, which is what a refresh computes.
- ``sweep``: on PostgreSQL (database ``palier_bench_sla`` on ``PALIER_BENCH_PG``, default
  ``postgres://postgres@127.0.0.1:5432``, dropped first and at the end unless ``--keep``),
  ``--sweep`` tickets all owing alarms now (a breach and two warnings each, the breach also
  alerting the managers), fired by ``--workers`` ``palier worker --once`` processes.
- ``delay``: ``--delay`` breaches falling due one after another over 60 s while ``--workers``
  workers run with a 1 s interval; ``fired_at − due`` percentiles.

Targets: ``due_times`` under 10 s for 1,000,000 tickets; the sweep of 100,000 under 60 s with
2 workers; delay p95 under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sla_calendar import calendars

from palier.sla.clock import (
    ACCEPTED,
    CREATED,
    ESCALATED,
    RESPONDED,
    Fact,
    Policy,
    clock_with_alarms,
)

PG_SERVER = os.environ.get("PALIER_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "palier_bench_sla"
RESPONSE = {"P1": 15, "P2": 60, "P3": 240, "P4": 480}
RESOLUTION = {"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}


def due_times(count: int, seed: int) -> dict:
    """Response and resolution due times for ``count`` tickets across ten calendars."""
    desk = calendars()
    rng = random.Random(seed)
    base, span = datetime(2025, 1, 1, tzinfo=UTC), 2 * 365 * 86400
    tickets = [(desk[rng.randrange(len(desk))],
                base + timedelta(seconds=rng.randrange(span)), rng.choice("1234"))
               for _ in range(count)]
    response = {p[1]: timedelta(minutes=m) for p, m in RESPONSE.items()}
    resolution = {p[1]: timedelta(minutes=m) for p, m in RESOLUTION.items()}
    started = time.perf_counter()
    for calendar, start, priority in tickets:
        calendar.add(start, response[priority])
        calendar.add(start, resolution[priority])
    seconds = time.perf_counter() - started
    return {"tickets": count, "calendars": len(desk), "due_times_per_ticket": 2,
            "seconds": round(seconds, 2),
            "microseconds_per_ticket": round(seconds / count * 1e6, 2),
            "full_clock": full_clock(desk, rng, max(1, count // 50))}


def full_clock(desk: list, rng: random.Random, count: int) -> dict:
    """The whole per-ticket clock on a four-event journal, as a refresh computes it."""
    policies = [Policy(calendar, response=RESPONSE, resolution=RESOLUTION,
                       ola={"L1": 120, "L2": 480, "L3": 960}) for calendar in desk]
    base = datetime(2025, 1, 1, tzinfo=UTC)
    work = []
    for _ in range(count):
        start = base + timedelta(seconds=rng.randrange(2 * 365 * 86400))
        facts = [Fact(start, CREATED, priority="P3", level="L1"),
                 Fact(start + timedelta(minutes=20), RESPONDED),
                 Fact(start + timedelta(hours=2), ESCALATED, level="L2"),
                 Fact(start + timedelta(hours=3), ACCEPTED)]
        work.append((facts, rng.choice(policies), start + timedelta(hours=4)))
    started = time.perf_counter()
    for facts, policy, now in work:
        clock_with_alarms(facts, policy, now)
    seconds = time.perf_counter() - started
    return {"tickets": count, "microseconds_per_ticket": round(seconds / count * 1e6, 1)}


def database(args: argparse.Namespace) -> dict:
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{PG_DATABASE}"')
    os.environ["PALIER_DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import _sla_db

        return {"sweep": _sla_db.sweep(args.sweep, args.workers, args.batch),
                "delay": _sla_db.delay(args.delay, args.workers, 60.0, 1.0)}
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--sweep", type=int, default=100_000)
    parser.add_argument("--delay", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    result = {"benchmark": "sla", "machine": machine(),
              "due_times": due_times(args.tickets, args.seed), **database(args)}
    result["targets_met"] = {
        "due_times_1m_under_10s": result["due_times"]["seconds"] * 1_000_000 / args.tickets < 10,
        "sweep_100k_under_60s_with_2_workers": result["sweep"]["seconds"] < 60
        and args.sweep >= 100_000 and args.workers <= 2,
        "delay_p95_under_5s": result["delay"].get("p95_seconds", 99) < 5,
    }
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), platform.processor())
    kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(kib / 1024 / 1024, 1),
            "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


if __name__ == "__main__":
    main()
