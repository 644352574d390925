"""The ``palier serve --prod`` supervisor: one gunicorn (N web processes) and M
``palier worker`` processes, each restarted when it dies, all stopped gracefully on SIGTERM.

gunicorn's master already replaces a web process that dies; the supervisor replaces the
master itself and the workers, waiting longer between restarts of a process that keeps
crashing. On SIGTERM or SIGINT it passes SIGTERM on: gunicorn stops accepting, finishes the
requests in flight (``PALIER_GRACEFUL_TIMEOUT`` seconds at most), and each worker stops after
the batch in hand. What is still running after the grace period is killed.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("palier.supervisor")
MAX_BACKOFF = 30.0
STABLE_AFTER = 10.0  # a process that ran this long before dying restarts at once


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    backoff: float = 0.0
    restart_at: float = 0.0
    restarts: int = field(default=0)
    nice: int = 0  # added to the process's niceness: it yields the CPU to the others

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, preexec_fn=self._lower_priority)
        self.started = time.monotonic()
        log.info("started %s (pid %s)", self.name, self.process.pid)

    def _lower_priority(self) -> None:
        if self.nice:
            os.nice(self.nice)

    def died(self) -> int | None:
        """The exit code if the process has ended, else None."""
        return None if self.process is None else self.process.poll()


class Supervisor:
    """Starts the children, restarts the ones that die, stops them all on a signal."""

    def __init__(self, children: list[Child], *, grace: float, poll: float = 0.5) -> None:
        self.children, self.grace, self.poll = children, grace, poll
        self.stopping = threading.Event()

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stopping.set())

    def run(self) -> int:
        for child in self.children:
            child.start()
        while not self.stopping.wait(self.poll):
            for child in self.children:
                self._watch(child)
        return self.stop()

    def _watch(self, child: Child) -> None:
        now = time.monotonic()
        if child.restart_at:
            if now >= child.restart_at:
                child.restart_at = 0.0
                child.restarts += 1
                child.start()
            return
        code = child.died()
        if code is None:
            return
        ran = now - child.started
        child.backoff = 0.0 if ran >= STABLE_AFTER else min(MAX_BACKOFF,
                                                              max(1.0, child.backoff * 2))
        child.restart_at = now + child.backoff
        log.warning("%s (pid %s) exited with %s after %.1f s; restarting in %.0f s",
                    child.name, child.process.pid, code, ran, child.backoff)

    def stop(self) -> int:
        """SIGTERM every child, wait for them up to the grace period, then SIGKILL."""
        running = [c for c in self.children if c.died() is None]
        for child in running:
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %.0f s; killing it", child.name, self.grace)
                child.process.kill()
                child.process.wait()
        return 0


def prepare_metrics_dir(path: Path) -> Path:
    """An empty directory for prometheus-client's per-process files (stale ones removed)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
