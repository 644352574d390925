"""API benchmark: the production server on loopback, driven by concurrent clients.

    .venv/bin/python bench/api.py [--database sqlite|postgres|both] [--tickets 1000000]
        [--data-dir DIR] [--pg-name NAME] [--server prod|plain] [--concurrency 16]

For each database it migrates, seeds ``--tickets`` tickets of history (reused when already
there; the tickets a run creates are deleted after it), trains the triage model unless one
is ready (a create then predicts and stores its suggestions, as in production), starts
``palier serve --prod`` (2 gthread web processes, no background worker) and measures, with
keep-alive clients (``loadgen.py``): the ticket list's first page for the default list and
common filters, plus a second page by cursor, over the seeded history; then ticket creation
(throughput, p50/p95/p99). Each figure comes with the server's CPU per request and the load
average (the machine may be shared). Prints one JSON object per database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

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
    facts["triage_model"] = triage_model(env)
    facts["last_seeded_id"] = int(palier(env, "shell", "--verbosity", "0", "-c", (
        "from django.db.models import Max; from palier.tickets.models import Ticket; "
        "print(Ticket.objects.aggregate(top=Max('id'))['top'] or 0)"), capture=True).strip())
    return facts


def triage_model(env: dict) -> dict:
    """Train the desk's triage model unless one is ready, as its worker would: every create
    then pays for the prediction and its stored suggestions, as in production."""
    ask = ("import json; from palier.triage.models import TriageModelVersion as V; "
           "m = V.objects.filter(status='ready').order_by('-version').first(); "
           "print(json.dumps(m and {'version': m.version, 'tickets': m.tickets, "
           "'seconds': m.seconds}))")
    model = json.loads(palier(env, "shell", "--verbosity", "0", "-c", ask,
                              capture=True).strip().splitlines()[-1])
    if model is None:
        palier(env, "triage", "train")
        model = json.loads(palier(env, "shell", "--verbosity", "0", "-c", ask,
                                  capture=True).strip().splitlines()[-1])
    return model


def remove_created(env: dict, facts: dict) -> None:
    """Delete the tickets the run created, so that the next run lists the seeded history."""
    palier(env, "shell", "--verbosity", "0", "-c", (
        "from palier.tickets.models import Ticket; "
        f"Ticket.objects.filter(id__gt={facts['last_seeded_id']}).delete()"))


def page_facts(port: int, token: str) -> dict:
    """A group id and the second page's cursor, read from the first page."""
    status, raw = asyncio.run(loadgen.request("127.0.0.1", port, "GET", "/api/v1/tickets",
                                              {"Authorization": f"Bearer {token}"}))
    if status != 200:
        raise SystemExit(f"the ticket list answered {status}: {raw[:300]!r}")
    page = json.loads(raw)
    cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    return {"group": page["results"][0]["group"]["id"], "cursor": quote(cursor)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int, args: argparse.Namespace) -> subprocess.Popen:
    """``palier serve --prod`` (the production server, without background workers: the
    figures are the web tier's) or, with ``--server plain``, gunicorn's sync workers."""
    argv = [*PALIER, "serve", "--port", str(port), "--workers", str(args.workers)]
    if args.server == "prod":
        argv += ["--prod", "--background-workers", "0", "--worker-class", args.worker_class,
                 "--threads", str(args.threads)]
    log = open(args.server_log, "ab") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            time.sleep(0.1)
            continue
        if args.server == "plain" or _common.all_serving(port, args.workers,
                                                          time.monotonic() + 300):
            return server
        break
    server.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(session: int) -> float:
    """User + system CPU of every live process in the server's session (gunicorn's)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after the name: state, ppid, pgrp, session
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def database_cpu_seconds(name: str | None) -> dict[int, float]:
    """User + system CPU of each PostgreSQL backend serving database ``name``, by pid."""
    if name is None:
        return {}
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f" {name} ".encode() not in (proc / "cmdline").read_bytes().replace(b"\0", b" "):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(proc.name)] = (int(fields[11]) + int(fields[12])) / tick
    return found


def database_cpu_since(before: dict[int, float], name: str | None) -> float:
    """CPU the backends spent since ``before``: a backend that ended meanwhile (another
    client's) no longer takes its earlier CPU off the total."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in database_cpu_seconds(name).items())


def measure(port: int, server: subprocess.Popen, facts: dict,
            args: argparse.Namespace) -> dict:
    headers = {"Authorization": f"Bearer {facts['token']}", "Content-Type": "application/json"}
    body = loadgen.json_body({"title": "Outlook keeps asking for my password",
                              "description": "Since this morning, after the update.",
                              "client": facts["client"], "requester_email": facts["requester"],
                              "impact": "medium", "urgency": "high"})
    run = dict(host="127.0.0.1", port=port, headers=headers, concurrency=args.concurrency,
               keep_alive=args.server == "prod")

    def timed(make, total: int) -> dict:
        load, own = _common.load(), time.process_time()
        server_cpu, db_cpu = cpu_seconds(server.pid), database_cpu_seconds(facts["database"])
        result = loadgen.run(make, total=total, **run).summary()

        def per_request(seconds: float) -> float:
            return round(seconds * 1000 / total, 2)

        return {**result, "load_average_before": load, "cpu_ms_per_request": {
            "server": per_request(cpu_seconds(server.pid) - server_cpu),
            "postgres": per_request(database_cpu_since(db_cpu, facts["database"])),
            "load_generator": per_request(time.process_time() - own)}}

    # The lists first, over the seeded history alone: measured after the creates, every
    # filtered list would first walk back past thousands of identical new tickets.
    loadgen.run(lambda n: ("GET", "/api/v1/tickets", b""), total=200, **run)  # warm-up
    lists = {name: timed(lambda n, q=query: ("GET", f"/api/v1/tickets{q}", b""), args.lists)
             for name, query in list_queries(facts).items()}
    loadgen.run(lambda n: ("POST", "/api/v1/tickets", body), total=200, **run)  # warm-up
    create = timed(lambda n: ("POST", "/api/v1/tickets", body), args.creates)
    return {"create": create, "lists": lists}


def list_queries(facts: dict) -> dict[str, str]:
    """The list scenarios: the default page, common filters, and a second page."""
    return {
        "default": "",
        "l1_queue": "?level=L1&status=new&status=open&status=escalated",
        "status_open": "?status=open",
        "priority_p1": "?priority=P1",
        "group": f"?group={facts['group']}",
        "client": f"?client={facts['client']}",
        "unassigned": "?assignee=none",
        "kind_request": "?kind=request",
        "second_page": f"?cursor={facts['cursor']}",
    }


def bench(database: str, args: argparse.Namespace) -> dict:
    data_dir = Path(args.data_dir).resolve()
    env = dict(os.environ, PALIER_DATA_DIR=str(data_dir))
    if database == "postgres":
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c",
                        f"CREATE DATABASE {args.pg_name}"], stderr=subprocess.DEVNULL)
        env["PALIER_DATABASE_URL"] = f"{PG_BASE}/{args.pg_name}"
    else:
        env["PALIER_DATABASE_URL"] = f"sqlite:///{data_dir / 'api.sqlite3'}"
    facts = setup(env, args.tickets)
    facts["database"] = args.pg_name if database == "postgres" else None
    port = free_port()
    server = serve(env, port, args)
    try:
        facts.update(page_facts(port, facts["token"]))
        figures = measure(port, server, facts, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        remove_created(env, facts)
    return {"benchmark": "api", "database": database, "tickets": args.tickets,
            "server": args.server, "workers": args.workers, "worker_class": args.worker_class,
            "threads": args.threads, "concurrency": args.concurrency,
            "seed_seconds": facts["seed_seconds"], "triage_model": facts["triage_model"],
            "machine": _common.machine(), **figures,
            "targets": {"create_per_second_postgres": 500, "create_p95_ms": 50,
                        "list_p95_ms": 50}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--creates", type=int, default=5000)
    parser.add_argument("--lists", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--server", choices=["prod", "plain"], default="prod",
                        help="prod: palier serve --prod (keep-alive); plain: sync workers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=["gthread", "uvicorn", "sync"],
                        default="gthread")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--server-log", help="append the server's output to this file")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-api"),
                        help="where the SQLite database and the server's files go")
    parser.add_argument("--pg-name", default="palier_bench_api",
                        help="the PostgreSQL database (created when missing)")
    args = parser.parse_args()
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        print(json.dumps(bench(database, args)), flush=True)


if __name__ == "__main__":
    main()
