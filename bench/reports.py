"""Reports benchmark: every report's latency at a million tickets, per database.

    .venv/bin/python bench/reports.py [--tickets 1000000] [--database sqlite|postgres|both]
                                      [--samples 10] [--sqlite-file PATH] [--pg-database NAME]
                                      [--only REPORT[,REPORT]]

For each database — ``var/bench/reports.sqlite3`` or the PostgreSQL database
``palier_reports_bench`` (on ``PALIER_BENCH_PG``), or the ones given — it migrates, tops the
desk up to ``--tickets`` tickets with the bulk seeder (``palier seed``; reused when already there),
computes the missing ticket facts (``palier report refresh --resume``, timed), then times each
report selector as the demo manager (every client) after one warm-up call, ``--samples``
times per scenario:

- ``quarter``: the last 90 days, every client (what the reports page opens on);
- ``year``: the whole year, every client (about 1,000,000 tickets);
- ``client_quarter``: one client, the last 90 days;
- ``l2_quarter``: cases that visited L2, the last 90 days.

It also times the console dashboard page (``/console/dashboard/`` as the manager, 7, 30 and
90 days, every client and one client; server time through Django's test client, target p95
under 100 ms), the rebuild of the daily rollups (``palier report refresh --rollups``) and the
worker's cost per changed ticket (``facts.store`` of recent and of year-old tickets, with the
rollup days they touch).

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
        path = Path(os.environ.get("BENCH_REPORTS_SQLITE", SQLITE)).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    return f"{_common.PG_SERVER}/{pg_database()}"


def pg_database() -> str:
    return os.environ.get("BENCH_REPORTS_PG", PG_DATABASE)


def palier(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True,
                   stdout=sys.stderr)


def prepare(database: str, tickets: int) -> tuple[dict, dict]:
    """Migrate, seed up to ``tickets``, compute missing facts; returns (env, timings)."""
    env = {**os.environ, "PALIER_DATABASE_URL": url(database), "PALIER_TESTING": "true"}
    if database == "postgres":
        _ensure_pg_database()
    palier(env, "migrate", "-v0")
    os.environ.update(PALIER_DATABASE_URL=env["PALIER_DATABASE_URL"], PALIER_TESTING="true")
    import django

    django.setup()
    from palier.reports.models import TicketFacts
    from palier.tickets.models import Ticket

    timings = {"seed_seconds": None, "facts_seconds": None, "rollups_seconds": None}
    have = Ticket.objects.count()
    if have < tickets:
        started = time.perf_counter()
        palier(env, "seed", "--tickets", str(tickets - have), "--seed", "8")
        timings["seed_seconds"] = round(time.perf_counter() - started, 1)
    if TicketFacts.objects.count() < Ticket.objects.count():
        started = time.perf_counter()
        palier(env, "report", "refresh", "--resume")  # facts, then the rollups
        timings["facts_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    palier(env, "report", "refresh", "--rollups")
    timings["rollups_seconds"] = round(time.perf_counter() - started, 1)
    return env, timings


def _ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{_common.PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             [pg_database()]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{pg_database()}"')


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


def measure(samples: int, only: list[str] | None = None) -> dict:
    from palier.accounts.models import User
    from palier.reports import selectors

    manager_id = _manager()
    out = {}
    for name, flt in scenarios().items():
        for report, fn in selectors.REPORTS.items():
            if only and report not in only:
                continue
            times = []
            for i in range(samples + 1):
                actor = User.objects.get(pk=manager_id)  # a fresh user, as a request has
                started = time.perf_counter()
                _consume(fn(actor, flt))
                if i >= 1:
                    times.append(time.perf_counter() - started)
            out[f"{report}.{name}"] = _common.percentiles(t * 1000 for t in times)
    if not only or "export" in only:
        out["export.quarter_first_10k_rows"] = _export(manager_id, scenarios()["quarter"])
    return out


def dashboard(samples: int) -> dict:
    """Server time of the console dashboard page as the manager (test client, in-process)."""
    from django.test import Client as Browser

    from palier.accounts.models import User
    from palier.clients.models import Client

    manager = _manager()
    browser = Browser()
    browser.force_login(User.objects.get(pk=manager))
    client = Client.objects.order_by("pk").values_list("pk", flat=True).first()
    out = {}
    for days in (7, 30, 90):
        for suffix, query in (("", ""), ("_client", f"&client={client}")):
            url = f"/console/dashboard/?days={days}{query}"

            def hit(_i: int, url: str = url) -> None:
                assert browser.get(url).status_code == 200

            out[f"dashboard.{days}d{suffix}"] = _common.timed(hit, samples, warmup=1)
    return out


def worker_cost(batch: int = 200) -> dict:
    """Seconds per changed ticket of the worker's refresh (facts + their rollup days), for
    the latest tickets (a few days) and for tickets spread over the year."""
    from palier.reports import facts
    from palier.tickets.models import Ticket

    desk = facts.Desk.load()
    latest = list(Ticket.objects.order_by("-pk").values_list("pk", flat=True)[:batch])
    top = latest[0]
    spread = list(range(1, top, max(1, top // batch)))[:batch]
    out = {}
    for name, ids in (("recent", latest), ("spread_over_the_year", spread)):
        started = time.perf_counter()
        facts.store(ids, desk)
        spent = time.perf_counter() - started
        out[name] = {"tickets": len(ids), "seconds": round(spent, 3),
                     "ms_per_ticket": round(spent * 1000 / len(ids), 2)}
    return out


def _manager() -> int:
    from palier.accounts.models import Role, User

    return (User.objects.filter(email="manager@demo.palier.test").values_list(
        "pk", flat=True).first() or User.objects.filter(role=Role.MANAGER).values_list(
        "pk", flat=True).first())


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


def child(database: str, tickets: int, samples: int, only: str | None) -> None:
    _, timings = prepare(database, tickets)
    from django.db import connection

    from palier.tickets.models import Ticket

    vendor = connection.vendor
    figures = measure(samples, only.split(",") if only else None)
    worst = max((v["p95_ms"] for v in figures.values() if "p95_ms" in v), default=0) / 1000
    pages = dashboard(samples) if not only or "dashboard" in only else {}
    worst_page = max((v["p95_ms"] for v in pages.values()), default=None)
    print(json.dumps({
        "database": vendor, "tickets": Ticket.objects.count(), **timings,
        "target_p95_seconds": TARGET[vendor], "worst_p95": worst,
        "all_under_target": worst < TARGET[vendor], "machine": _common.machine(),
        "reports": figures, "dashboard_worst_p95_ms": worst_page, "dashboard": pages,
        "worker_refresh": worker_cost() if not only or "worker" in only else None}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--sqlite-file", type=Path,
                        help=f"The SQLite database (default {SQLITE.relative_to(ROOT)}).")
    parser.add_argument("--pg-database", help=f"The PostgreSQL database (default {PG_DATABASE}).")
    parser.add_argument("--only", help="Comma-separated reports to time (default: all).")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    if args.sqlite_file:
        os.environ["BENCH_REPORTS_SQLITE"] = str(args.sqlite_file.resolve())
    if args.pg_database:
        os.environ["BENCH_REPORTS_PG"] = args.pg_database
    if args.child:
        child(args.child, args.tickets, args.samples, args.only)
        return
    only = ["--only", args.only] if args.only else []
    for database in (("sqlite", "postgres") if args.database == "both" else (args.database,)):
        subprocess.run([sys.executable, __file__, "--child", database, "--tickets",
                        str(args.tickets), "--samples", str(args.samples), *only], check=True)


if __name__ == "__main__":
    main()
