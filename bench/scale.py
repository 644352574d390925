"""Scale: how the console queues and the API list grow from 10k to 100k to 1M tickets.

    .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--samples 100]
        [--pg-database bench_scale] [--keep]

On PostgreSQL (``PALIER_BENCH_PG``, default postgres://postgres@127.0.0.1:5432), from an
empty database: for each size in turn it tops the history up with ``palier seed`` (ANALYZE
included), then measures in-process through Django's test client, as an L1 agent, the six
console queues (the page: middleware, view, template) and the API list (the L1 queue, and
the unfiltered list), ``--samples`` times each after 5 warm-up runs.

Prints one JSON object (per size and page: p50/p95, the median time spent in the database
and the query count; ``growth_p95``: each page's p95 at the largest size over its p95 at the
smallest) and a table on stderr. The database share tells growth from the data apart from
CPU starvation on a shared machine: Python and template time do not depend on the size.
The database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = _common.ROOT
QUEUES = ("mine", "level", "unassigned", "breaching", "pending", "resolved")
API_LISTS = {"api list L1 queue": "/api/v1/tickets?level=L1&status=new&status=open"
                                  "&status=escalated",
             "api list all": "/api/v1/tickets"}
TARGETS_MS = {"console queue": 100, "api list": 50}  # p95 at 1M: issues 6 (console), 3 (API)


def grow(url: str, tickets: int) -> dict:
    """Top the database up to ``tickets`` tickets; how many there are and how long it took."""
    env = {**os.environ, "PALIER_DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    have = int(subprocess.run([*manage, "shell", "--verbosity", "0", "-c",
                               "from palier.tickets.models import Ticket; "
                               "print(Ticket.objects.count())"], env=env, check=True, text=True,
                              capture_output=True).stdout.strip().splitlines()[-1])
    seconds = None
    if have < tickets:
        started = time.perf_counter()
        subprocess.run([*manage, "seed", "--tickets", str(tickets - have), "--seed", str(have)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        seconds = round(time.perf_counter() - started, 1)
    return {"tickets": max(have, tickets), "seed_seconds": seconds}


def measure(url: str, samples: int) -> dict:
    """The queues and API lists, in a fresh process (connections, caches) for each size."""
    code = ("import json, sys; sys.path.insert(0, 'bench'); import scale; "
            f"print(json.dumps(scale.pages({samples})))")
    env = {**os.environ, "PALIER_DATABASE_URL": url, "PALIER_TESTING": "true",
           "PALIER_KB_MODEL": "off", "DJANGO_SETTINGS_MODULE": "palier.settings",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, text=True,
                          capture_output=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def pages(samples: int) -> dict:
    """p50/p95 of each queue page and API list as the first L1 agent (run under Django)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from palier.accounts.models import Agent
    from palier.accounts.services import create_token

    agent = (Agent.objects.filter(user__role="agent", user__is_active=True,
                                  groups__level__code="L1").select_related("user")
             .order_by("pk").first())
    _, secret = create_token(agent.user, name="bench scale", expires_days=1)
    console, api = Client(), Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    console.force_login(agent.user)
    urls = {f"console queue {q}": (console, f"/console/queues/{q}/") for q in QUEUES}
    urls.update({name: (api, path) for name, path in API_LISTS.items()})
    in_db: list[float] = []  # seconds spent in the database during the current request
    queries: list[int] = []

    def clock(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_db[-1] += time.perf_counter() - started
            queries[-1] += 1

    results = {}
    for name, (http, path) in urls.items():
        in_db.clear()
        queries.clear()

        def hit(_i, http=http, path=path):
            in_db.append(0.0)
            queries.append(0)
            with connection.execute_wrapper(clock):
                response = http.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
        results[name] = _common.timed(hit, samples)
        database = sorted(in_db[-samples:])
        results[name].update(db_p50_ms=round(database[len(database) // 2] * 1000, 2),
                             queries=queries[-1])
    return results


def growth(runs: list[dict]) -> dict:
    """Each page's p95 at the largest size divided by its p95 at the smallest."""
    first, last = runs[0]["pages"], runs[-1]["pages"]
    return {name: round(last[name]["p95_ms"] / first[name]["p95_ms"], 2) for name in first}


def table(runs: list[dict]) -> str:
    sizes = [f"{r['tickets']:>18,}" for r in runs]
    lines = [f"{'p95 / p50 / db p50 (ms)':<28}" + "".join(sizes)]
    for name in runs[0]["pages"]:
        cells = "".join(f"{p['p95_ms']:.0f} / {p['p50_ms']:.0f} / {p['db_p50_ms']:.1f}".rjust(18)
                        for p in (r["pages"][name] for r in runs))
        lines.append(f"{name:<28}{cells}")
    lines.append(f"{'load average (1 min)':<28}" + "".join(
        f"{r['load_average'][0]:>18.2f}" for r in runs))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated ticket counts, ascending")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--pg-database", default="bench_scale")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    url = f"{_common.PG_SERVER}/{args.pg_database}"
    _common._admin(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')
    _common._admin(f'CREATE DATABASE "{args.pg_database}"')
    runs = []
    try:
        for size in sizes:
            grown = grow(url, size)
            print(f"[scale] {grown['tickets']:,} tickets (seeded in {grown['seed_seconds']} s);"
                  " measuring", file=sys.stderr, flush=True)
            measured_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            runs.append({**grown, "measured_at": measured_at, "pages": measure(url, args.samples),
                         "load_average": _common.load()})
    finally:
        if not args.keep:
            _common._admin(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')
    print(table(runs), file=sys.stderr)
    print(json.dumps({"benchmark": "scale", "database": "postgres", "samples": args.samples,
                      "machine": _common.machine(), "runs": runs, "growth_p95": growth(runs),
                      "targets_p95_ms": TARGETS_MS}))


if __name__ == "__main__":
    main()
