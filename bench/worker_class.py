"""Which gunicorn worker class serves Palier faster: gthread or uvicorn (ASGI)?

    .venv/bin/python bench/worker_class.py [--rounds 5] [--requests 300] [--concurrency 8]

Starts ``palier serve --prod --background-workers 0`` twice on the load-test database (see
``bench/load.py``), once per worker class, and alternates bursts of API reads and creates
between the two so that the shared machine's background load hits both alike. Prints JSON.
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
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def start(env: dict, worker_class: str, port: int, web: int) -> subprocess.Popen:
    server = subprocess.Popen([*MANAGE, "serve", "--prod", "--port", str(port), "--workers",
                               str(web), "--background-workers", "0", "--worker-class",
                               worker_class], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{worker_class} did not start")


def facts(env: dict) -> dict:
    code = ("import json; from palier.accounts.models import Agent; from palier.tickets.models "
            "import Ticket; a = Agent.objects.filter(groups__level__code='L1').first(); "
            "t = Ticket.objects.filter(client__in=a.clients.all()).order_by('-id').first(); "
            "r = t.client.people.filter(role='requester').first(); print(json.dumps({'agent': "
            "a.user.email, 'ticket': t.pk, 'client': t.client_id, 'requester': r.email}))")
    out = subprocess.run([*MANAGE, "shell", "-v", "0", "-c", code], env=env, check=True,
                         text=True, capture_output=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    found["token"] = subprocess.run([*MANAGE, "token", "create", "--user", found["agent"],
                                     "--name", "worker-class bench"], env=env, check=True,
                                    text=True, capture_output=True).stdout.strip()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--pg", default=_common.PG_SERVER)
    parser.add_argument("--database", default="palier_bench_load")
    args = parser.parse_args()
    env = dict(os.environ, PALIER_DATA_DIR=str(ROOT / "var" / "bench-load"),
               PALIER_DATABASE_URL=f"{args.pg}/{args.database}", PALIER_LOG_LEVEL="ERROR")
    f = facts(env)
    headers = {"Authorization": f"Bearer {f['token']}", "Content-Type": "application/json"}
    body = loadgen.json_body({"title": "Worker class benchmark", "client": f["client"],
                              "requester_email": f["requester"], "impact": "low",
                              "urgency": "low"})
    ops = {"read": lambda n: ("GET", f"/api/v1/tickets/{f['ticket']}", b""),
           "create": lambda n: ("POST", "/api/v1/tickets", body)}
    ports = {"gthread": 8871, "uvicorn": 8872}
    servers = {k: start(env, k, port, args.web) for k, port in ports.items()}
    results = {k: {op: loadgen.Result() for op in ops} for k in ports}
    try:
        for _ in range(args.rounds):
            for klass, port in ports.items():
                for op, make in ops.items():
                    burst = loadgen.run(make, host="127.0.0.1", port=port, headers=headers,
                                        total=args.requests, concurrency=args.concurrency)
                    into = results[klass][op]
                    into.latencies_ms += burst.latencies_ms
                    into.seconds += burst.seconds
                    for status, n in burst.statuses.items():
                        into.statuses[status] = into.statuses.get(status, 0) + n
    finally:
        for server in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    print(json.dumps({"benchmark": "worker_class", "web_processes": args.web,
                      "concurrency": args.concurrency, "machine": _common.machine(),
                      **{k: {op: r.summary() for op, r in v.items()}
                         for k, v in results.items()},
                      "provisional": "shared machine; interleaved bursts"}))


if __name__ == "__main__":
    main()
