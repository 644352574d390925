"""Reports benchmark: every report's latency at a million tickets, per database.

    .venv/bin/python bench/reports.py [--tickets 1000000] [--database sqlite|postgres|both]
                                      [--samples 10]

For each database — ``var/bench/reports.sqlite3`` or the PostgreSQL database
``palier_reports_bench`` (on ``PALIER_BENCH_PG``) — it migrates, tops the desk up to
``--tickets`` tickets with the bulk seeder (``palier seed``; reused when already there),
computes the missing ticket facts (``palier report refresh --resume``, timed), then times each
report selector as the demo manager (every client) after one warm-up call, ``--samples``
times per scenario:

- ``quarter``: the last 90 days, every client (what the reports page opens on);
- ``year``: the whole year, every client (about 1,000,000 tickets);
- ``client_quarter``: one client, the last 90 days;
- ``l2_quarter``: cases that visited L2, the last 90 days.

One JSON object per database on stdout. Targets: every report p95 under 1 s on PostgreSQL and
under 2 s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402

SQLITE = ROOT / "var" / "bench" / "reports.sqlite3"
PG_DATABASE = "palier_reports_bench"
TARGET = {"sqlite": 2.0, "postgresql": 1.0}


def url(database: str) -> str:
    if database == "sqlite":
        SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{SQLITE}"
    return f"{_common.PG_SERVER}/{PG_DATABASE}"


def palier(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True,
                   stdout=sys.stderr)


def prepare(database: str, tickets: int) -> tuple[dict, dict]:
    """Migrate, seed up to ``tickets``, compute missing facts; returns (env, timings)."""
    env = {**os.environ, "PALIER_DATABASE_URL": url(database)}
    if database == "postgres":
        _ensure_pg_database()
    palier(env, "migrate", "-v0")
    os.environ["PALIER_DATABASE_URL"] = env["PALIER_DATABASE_URL"]
    import django

    django.setup()
    from palier.reports.models import TicketFacts
    from palier.tickets.models import Ticket

    timings = {"seed_seconds": None, "facts_seconds": None}
    have = Ticket.objects.count()
    if have < tickets:
        started = time.perf_counter()
        palier(env, "seed", "--tickets", str(tickets - have), "--seed", "8")
        timings["seed_seconds"] = round(time.perf_counter() - started, 1)
    if TicketFacts.objects.count() < Ticket.objects.count():
        started = time.perf_counter()
        palier(env, "report", "refresh", "--resume")
        timings["facts_seconds"] = round(time.perf_counter() - started, 1)
    return env, timings


def _ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{_common.PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             [PG_DATABASE]).fetchone()
        if not found:
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")


def scenarios() -> dict:
    from palier.clients.models import Client
    from palier.core import clock
    from palier.reports.selectors import ReportFilter

    today = clock.now().date()
    quarter = today - timedelta(days=90)
    end = today + timedelta(days=1)
    client = Client.objects.order_by("pk").first()
    return {"quarter": ReportFilter(start=quarter, end=end),
            "year": ReportFilter(start=today - timedelta(days=366), end=end),
            "client_quarter": ReportFilter(start=quarter, end=end, client_id=client.pk),
            "l2_quarter": ReportFilter(start=quarter, end=end, level="L2")}


def measure(samples: int) -> dict:
    from palier.accounts.models import Role, User
    from palier.reports import selectors

    manager_id = (User.objects.filter(email="manager@demo.palier.test").values_list(
        "pk", flat=True).first() or User.objects.filter(role=Role.MANAGER).values_list(
        "pk", flat=True).first())
    out = {}
    for name, flt in scenarios().items():
        for report, fn in selectors.REPORTS.items():
            times = []
            for i in range(samples + 1):
                actor = User.objects.get(pk=manager_id)  # a fresh user, as a request has
                started = time.perf_counter()
                _consume(fn(actor, flt))
                if i >= 1:
                    times.append(time.perf_counter() - started)
            out[f"{report}.{name}"] = _common.percentiles(t * 1000 for t in times)
    out["export.quarter_first_10k_rows"] = _export(manager_id, scenarios()["quarter"])
    return out


def _consume(result: object) -> None:
    if hasattr(result, "__next__"):
        for _ in result:
            pass


def _export(manager_id: int, flt) -> dict:
    from itertools import islice

    from palier.accounts.models import User
    from palier.reports import selectors

    started = time.perf_counter()
    rows = sum(1 for _ in islice(selectors.export_rows(User.objects.get(pk=manager_id), flt),
                                 10_001))
    return {"rows": rows - 1, "seconds": round(time.perf_counter() - started, 3)}


def child(database: str, tickets: int, samples: int) -> None:
    _, timings = prepare(database, tickets)
    from django.db import connection

    from palier.tickets.models import Ticket

    vendor = connection.vendor
    figures = measure(samples)
    worst = max(v["p95_ms"] for v in figures.values() if "p95_ms" in v) / 1000
    print(json.dumps({
        "database": vendor, "tickets": Ticket.objects.count(), **timings,
        "target_p95_seconds": TARGET[vendor], "worst_p95": worst,
        "all_under_target": worst < TARGET[vendor], "machine": _common.machine(),
        "reports": figures}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    if args.child:
        child(args.child, args.tickets, args.samples)
        return
    for database in (("sqlite", "postgres") if args.database == "both" else (args.database,)):
        subprocess.run([sys.executable, __file__, "--child", database, "--tickets",
                        str(args.tickets), "--samples", str(args.samples)], check=True)


if __name__ == "__main__":
    main()
