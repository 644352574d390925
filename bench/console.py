"""Console and portal benchmark: server time per page at scale.

    .venv/bin/python bench/console.py [--tickets 1000000] [--samples 200]
        [--database sqlite|postgres] [--sqlite-file PATH] [--pg-database NAME]

Seeds ``--tickets`` tickets of history with ``palier seed`` (reused when already there), then
renders each page in-process through Django's test client (the full middleware stack, the
view, the template; no network): the six queues, the ticket page, the problem list, one
problem (made through the services on first use: five of the agent's incidents) and the
candidate problems, the portal's list and ticket page. Prints one JSON object: p50/p95 per
page (query counts are pinned by the tests).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = _common.ROOT
DB_FILE = ROOT / "var" / "bench" / "console.sqlite3"
PG_DATABASE = "palier_bench_console"


def prepare(url: str, tickets: int) -> int:
    """Migrate and top the database up to ``tickets`` tickets; returns the count."""
    env = {**os.environ, "PALIER_DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    count = subprocess.run([*manage, "shell", "--verbosity", "0", "-c",
                            "from palier.tickets.models import Ticket; "
                            "print(Ticket.objects.count())"], env=env, check=True, text=True,
                           capture_output=True).stdout.strip().splitlines()[-1]
    if int(count) < tickets:
        subprocess.run([*manage, "seed", "--tickets", str(tickets - int(count))], env=env,
                       check=True)
    return max(int(count), tickets)


def measure(samples: int) -> dict:
    import django

    django.setup()
    from django.test import Client

    from palier.accounts.models import Agent
    from palier.tickets.models import Ticket

    agent = Agent.objects.filter(user__role="agent", groups__level__code="L1").first()
    requester_ticket = Ticket.objects.order_by("-id").first()
    agent_ids = list(Ticket.objects.filter(client__in=agent.clients.all(),
                                           group__in=agent.groups.all())
                     .order_by("-id").values_list("id", flat=True)[:2000])
    mine = list(Ticket.objects.filter(requester=requester_ticket.requester)
                .order_by("-id").values_list("id", flat=True)[:200])
    staff, requester = Client(), Client()
    staff.force_login(agent.user)
    requester.force_login(requester_ticket.requester)
    problem = _bench_problem(agent)
    gc.collect()
    gc.freeze()  # as a production web process does once loaded (palier/ops/gunicorn_conf.py)
    pick = random.Random(7)
    pages = {f"console queue {q}": (staff, lambda q=q: f"/console/queues/{q}/")
             for q in ("mine", "level", "unassigned", "breaching", "pending", "resolved")}
    pages["console ticket"] = (staff, lambda: f"/console/tickets/{pick.choice(agent_ids)}/")
    pages["console problems"] = (staff, lambda: "/console/problems/")
    pages["console problem"] = (staff, lambda: f"/console/problems/{problem.pk}/")
    pages["console problem candidates"] = (staff, lambda: "/console/problems/candidates/")
    pages["portal list"] = (requester, lambda: "/portal/")
    pages["portal ticket"] = (requester, lambda: f"/portal/tickets/{pick.choice(mine)}/")
    results = {}
    for name, (http, url) in pages.items():
        def hit(_i, http=http, url=url):
            assert http.get(url()).status_code == 200
        results[name] = _common.timed(hit, samples)
    return results


def _bench_problem(agent):
    """The benchmark's problem: five of the agent's recent incidents (made once)."""
    from palier.problems import services
    from palier.problems.models import Problem
    from palier.tickets.models import Ticket

    problem = Problem.objects.filter(title="Benchmark problem").first()
    if problem is None:
        incidents = (Ticket.objects.filter(client__in=agent.clients.all(), kind="incident")
                     .order_by("-id").values_list("id", flat=True)[:5])
        problem = services.create_problem(agent.user, title="Benchmark problem",
                                          ticket_ids=list(incidents))
    return problem


def open_desk(description: str, samples: int) -> tuple[argparse.Namespace, int]:
    """The console benchmarks' command line: parse it, seed or reuse the database it names
    and point Django at it; the arguments and how many tickets the desk holds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=samples)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sqlite-file", type=Path, default=DB_FILE,
                        help=f"The SQLite database (default {DB_FILE.relative_to(ROOT)}).")
    parser.add_argument("--pg-database", default=PG_DATABASE,
                        help=f"The PostgreSQL database name (default {PG_DATABASE}).")
    args = parser.parse_args()
    if args.database == "sqlite":
        args.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{args.sqlite_file.resolve()}"
    else:
        url = f"{_common.PG_SERVER}/{args.pg_database}"
        if not _exists(args.pg_database):
            _common._admin(f'CREATE DATABASE "{args.pg_database}"')
    total = prepare(url, args.tickets)
    os.environ.update(PALIER_DATABASE_URL=url, PALIER_TESTING="true", PALIER_KB_MODEL="off",
                      DJANGO_SETTINGS_MODULE="palier.settings")
    sys.path.insert(0, str(ROOT))
    return args, total


def main() -> None:
    args, total = open_desk(__doc__.splitlines()[0], samples=200)
    pages = measure(args.samples)
    print(json.dumps({"benchmark": "console", "database": args.database, "tickets": total,
                      "machine": _common.machine(), "pages": pages,
                      "worst_p95_ms": max(p["p95_ms"] for p in pages.values())}, indent=1))


def _exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{_common.PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [name]).fetchone() is not None


if __name__ == "__main__":
    main()
