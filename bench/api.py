"""API benchmark: a real gunicorn server on loopback, driven by concurrent clients.

    .venv/bin/python bench/api.py [--database sqlite|postgres|both] [--tickets 1000000]

For each database it migrates, seeds ``--tickets`` tickets of history (reused when already
there), starts ``palier serve`` with 2 workers, then measures ticket creation (throughput,
p50/p95/p99) and the ticket list (first page of an L1 queue, and the unfiltered list).
Prints one JSON object per database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common
import loadgen

ROOT = _common.ROOT
PALIER = [sys.executable, str(ROOT / "manage.py")]
PG_BASE = "postgres://postgres@127.0.0.1:5432"


def palier(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run([*PALIER, *args], env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def setup(env: dict, tickets: int) -> dict:
    """Migrate, seed (unless enough tickets exist), and mint tokens for an agent."""
    palier(env, "migrate", "--verbosity", "0")
    have = int(palier(env, "shell", "--verbosity", "0", "-c",
                      "from palier.tickets.models import Ticket; print(Ticket.objects.count())",
                      capture=True).strip() or 0)
    seed_seconds = None
    if have < tickets:
        started = time.perf_counter()
        palier(env, "seed", "--tickets", str(tickets - have))
        seed_seconds = round(time.perf_counter() - started, 1)
    facts = json.loads(palier(env, "shell", "--verbosity", "0", "-c", (
        "import json; from palier.accounts.models import Agent; from palier.clients.models "
        "import Client, Contract; a = Agent.objects.filter(user__role='agent', "
        "groups__level__code='L1').first(); c = a.clients.first(); "
        "r = c.people.filter(role='requester').first(); "
        "print(json.dumps({'agent': a.user.email, 'client': c.pk, 'requester': r.email}))"),
        capture=True).strip().splitlines()[-1])
    facts["token"] = palier(env, "token", "create", "--user", facts["agent"], "--name", "bench",
                            capture=True).strip()
    facts["seed_seconds"] = seed_seconds
    return facts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([*PALIER, "serve", "--port", str(port), "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def measure(port: int, facts: dict, args: argparse.Namespace) -> dict:
    headers = {"Authorization": f"Bearer {facts['token']}", "Content-Type": "application/json"}
    body = loadgen.json_body({"title": "Outlook keeps asking for my password",
                              "description": "Since this morning, after the update.",
                              "client": facts["client"], "requester_email": facts["requester"],
                              "impact": "medium", "urgency": "high"})
    run = dict(host="127.0.0.1", port=port, headers=headers, concurrency=args.concurrency)
    loadgen.run(lambda n: ("POST", "/api/v1/tickets", body), total=100, **run)  # warm-up
    create = loadgen.run(lambda n: ("POST", "/api/v1/tickets", body), total=args.creates, **run)
    queue = "/api/v1/tickets?level=L1&status=new&status=open&status=escalated"
    lists = {
        "list_l1_queue": loadgen.run(lambda n: ("GET", queue, b""), total=args.lists, **run),
        "list_all": loadgen.run(lambda n: ("GET", "/api/v1/tickets", b""), total=args.lists,
                                **run),
    }
    return {"create": create.summary(), **{k: v.summary() for k, v in lists.items()}}


def bench(database: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ, PALIER_DATA_DIR=str(ROOT / "var" / "bench-api"))
    if database == "postgres":
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c",
                        "CREATE DATABASE palier_bench_api"], stderr=subprocess.DEVNULL)
        env["PALIER_DATABASE_URL"] = f"{PG_BASE}/palier_bench_api"
    else:
        env["PALIER_DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-api' / 'api.sqlite3'}"
    facts = setup(env, args.tickets)
    port = free_port()
    server = serve(env, port, args.workers)
    try:
        figures = measure(port, facts, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"benchmark": "api", "database": database, "tickets": args.tickets,
            "workers": args.workers, "concurrency": args.concurrency,
            "seed_seconds": facts["seed_seconds"], "machine": _common.machine(), **figures,
            "targets": {"create_per_second_postgres": 500, "create_p95_ms": 50,
                        "list_p95_ms": 50}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--creates", type=int, default=5000)
    parser.add_argument("--lists", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        print(json.dumps(bench(database, args)), flush=True)


if __name__ == "__main__":
    main()
