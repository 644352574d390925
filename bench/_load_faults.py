"""The server under load and the faults injected into it (``bench/load.py --faults``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import _common

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> list[int]:
    """The direct children of a process (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Server:
    """``palier serve --prod`` in its own session."""

    def __init__(self, env: dict, args) -> None:
        self.env, self.args = env, args
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        argv = [sys.executable, str(ROOT / "manage.py"), "serve", "--prod",
                "--port", str(self.args.port), "--workers", str(self.args.web),
                "--background-workers", str(self.args.workers),
                "--worker-class", self.args.worker_class]
        log = open(ROOT / "var" / "bench-load" / "serve.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 300  # workers load models and run their first jobs
        while time.monotonic() < deadline:
            if self.ready() and _common.all_serving(self.args.port, self.args.web, deadline):
                return
            time.sleep(0.5)
        self.stop()
        raise SystemExit("palier serve --prod did not become ready in 300 s")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.args.port}/readyz",
                                        timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def web_processes(self) -> list[int]:
        masters = [p for p in children(self.process.pid) if "gunicorn" in cmdline(p)]
        return [c for m in masters for c in children(m)]

    def background_workers(self) -> list[int]:
        return [p for p in children(self.process.pid) if " worker" in cmdline(p)
                and "gunicorn" not in cmdline(p)]

    def stop(self) -> dict:
        """SIGTERM the supervisor; how long the graceful stop took and its exit code."""
        if self.process is None or self.process.poll() is not None:
            return {"exit_code": None if self.process is None else self.process.returncode}
        started = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            code = self.process.wait()
        return {"exit_code": code, "seconds": round(time.perf_counter() - started, 2)}


class Injector(threading.Thread):
    """At 30 %, 50 % and 70 % of the run: SIGKILL a web process, SIGKILL a background worker,
    restart PostgreSQL. Logs what it did and whether the killed process was replaced."""

    def __init__(self, server: Server, seconds: float, pg_restart: str) -> None:
        super().__init__(daemon=True)
        self.server, self.seconds, self.pg_restart = server, seconds, pg_restart
        self.log: list[dict] = []

    def run(self) -> None:
        began = time.monotonic()
        plan = [(0.3, self.kill_web), (0.5, self.kill_worker), (0.7, self.restart_database)]
        for at, action in plan:
            time.sleep(max(0.0, began + at * self.seconds - time.monotonic()))
            entry = {"at_s": round(time.monotonic() - began, 1), **action()}
            self.log.append(entry)

    def kill_web(self) -> dict:
        return self._kill("web process", self.server.web_processes)

    def kill_worker(self) -> dict:
        return self._kill("background worker", self.server.background_workers)

    def _kill(self, what: str, find) -> dict:
        before = find()
        if not before:
            return {"fault": f"SIGKILL {what}", "error": "none running"}
        os.kill(before[0], signal.SIGKILL)
        for _ in range(100):
            time.sleep(0.2)
            now = find()
            if len(now) >= len(before) and before[0] not in now:
                return {"fault": f"SIGKILL {what}", "pid": before[0],
                        "replaced_by": sorted(set(now) - set(before))}
        return {"fault": f"SIGKILL {what}", "pid": before[0], "replaced_by": None}

    def restart_database(self) -> dict:
        started = time.perf_counter()
        done = subprocess.run(self.pg_restart.split(), capture_output=True, text=True)
        return {"fault": "restart PostgreSQL", "command": self.pg_restart,
                "exit_code": done.returncode, "seconds": round(time.perf_counter() - started, 2),
                "stderr": done.stderr.strip()[-300:]}
