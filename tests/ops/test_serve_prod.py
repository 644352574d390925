"""``palier serve --prod``: web and background workers under one supervisor; a killed process
comes back; SIGTERM stops everything gracefully. Real processes on a SQLite file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from _load_faults import children, cmdline  # noqa: E402

from palier.core.management.commands.serve import BACKGROUND_NICENESS  # noqa: E402

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def eventually(check, seconds: float = 90.0):
    """Poll ``check`` until it returns a truthy value (processes start in their own time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
def stack(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PALIER_")}
    env.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    env.update(PALIER_DATA_DIR=str(tmp_path), PALIER_GRACEFUL_TIMEOUT="10",
               PALIER_DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen([*manage, "serve", "--prod", "--port", str(port), "--workers", "2",
                               "--background-workers", "1"], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        eventually(lambda: get(port, "/readyz")[0] == 200, seconds=240)
        yield server, port, tmp_path
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def processes(server) -> tuple[list[int], list[int]]:
    """(web processes, background workers) under the supervisor."""
    kids = children(server.pid)
    masters = [p for p in kids if "gunicorn" in cmdline(p)]
    return ([c for m in masters for c in children(m)],
            [p for p in kids if p not in masters and " worker" in cmdline(p)])


def test_the_production_stack_serves_recovers_and_stops_gracefully(stack):
    server, port, tmp_path = stack
    web, workers = processes(server)
    assert len(web) == 2 and len(workers) == 1
    assert json.loads(get(port, "/readyz")[1])["status"] == "ready"
    # background work yields the CPU to requests: workers run nicer than the web processes
    base = os.getpriority(os.PRIO_PROCESS, server.pid)
    assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in web] == [base, base]
    assert os.getpriority(os.PRIO_PROCESS, workers[0]) == min(19, base + BACKGROUND_NICENESS)

    for _ in range(6):  # requests land on both web processes; metrics add them up
        assert get(port, "/healthz")[0] == 200
    metrics = get(port, "/metrics")[1].decode()
    line = next(x for x in metrics.splitlines() if x.startswith("palier_http_requests_total")
                and 'route="/healthz"' in x)
    assert float(line.rsplit(" ", 1)[1]) >= 6
    assert "palier_queue_depth" in metrics or "palier_sla_worker_lag_seconds" in metrics

    os.kill(web[0], signal.SIGKILL)
    os.kill(workers[0], signal.SIGKILL)
    eventually(lambda: (lambda w, b: len(w) == 2 and web[0] not in w and len(b) == 1
                        and workers[0] not in b)(*processes(server)))
    assert get(port, "/healthz")[0] == 200
    restarted = processes(server)[1][0]
    assert os.getpriority(os.PRIO_PROCESS, restarted) == min(19, base + BACKGROUND_NICENESS)

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0
    assert children(server.pid) == []
    logged = (tmp_path / "serve.log").read_text().splitlines()
    assert any('"logger": "gunicorn.access"' in x for x in logged)  # JSON lines by default
