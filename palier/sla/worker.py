"""``palier worker``: the background loop that fires SLA warnings and breaches, and runs
the other apps' jobs.

Any number of workers may run at once, on one machine or several: each job claims its work
with a conditional update (``palier.sla.firing``), so nothing fires twice. The loop runs every
job until none has work, then sleeps ``interval`` seconds. Besides the SLA sweep it runs the
jobs other apps registered in ``palier.core.jobs``, each at most once per its period. SIGTERM
and SIGINT stop it after the batch in hand; ``exit_with_parent`` stops it when
the process that started it is gone (``palier demo``).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from fnmatch import fnmatchcase

from django.db import DatabaseError, close_old_connections, connection

from palier.core import clock, jobs
from palier.sla import firing

log = logging.getLogger("palier.worker")
CRASH_AFTER_ENV = "PALIER_WORKER_CRASH_AFTER"
SLA_ALARMS = "sla.alarms"  # the SLA sweep's name, beside the registered jobs'


@dataclass
class Options:
    batch: int = firing.BATCH
    interval: float = 1.0
    lease: timedelta = firing.LEASE
    once: bool = False
    exit_with_parent: bool = False
    #: Which jobs this worker runs: shell-style patterns over the job names (all by default),
    #: so a deployment can dedicate workers, e.g. ``("sla.alarms", "channels.*")``.
    jobs: tuple[str, ...] = ("*",)
    #: Test hook: SIGKILL this process once this many claimed tickets are about to commit.
    crash_after: int | None = None


@dataclass
class Totals:
    tickets: int = 0
    warnings: int = 0
    breaches: int = 0
    batches: int = 0
    seen: int = field(default=0, repr=False)


Report = Callable[[str], None]


class Worker:
    """Runs the jobs until stopped (or, with ``once``, until none has work)."""

    def __init__(self, options: Options, *, report: Report | None = None) -> None:
        self.options, self.report = options, report or log.info
        self.totals = Totals()
        self.stopping = threading.Event()
        sweep = (self.sla_sweep,) if self.selected(SLA_ALARMS) else ()
        self.jobs: Sequence[Callable[[], int]] = (*sweep, self.registered_jobs)
        self.last_run: dict[str, float] = {}

    def selected(self, name: str) -> bool:
        return any(fnmatchcase(name, pattern) for pattern in self.options.jobs)

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stopping.set())

    def run(self) -> Totals:
        parent = os.getppid()
        while not self.stopping.is_set():
            worked = self._round()
            if worked:
                continue
            if self.options.once or (self.options.exit_with_parent and os.getppid() != parent):
                break
            self.stopping.wait(self.options.interval)
        return self.totals

    def _round(self) -> int:
        if not connection.in_atomic_block:  # (a test runs the loop inside its transaction)
            close_old_connections()
        try:
            return sum(job() for job in self.jobs)
        except DatabaseError:
            log.exception("The worker lost its database; retrying.")
            connection.close()
            self.stopping.wait(self.options.interval)
            return 0

    def sla_sweep(self) -> int:
        """Claim one batch of due tickets and fire their alarms; returns the tickets held."""
        now = clock.now()
        ids = firing.claim(now, batch=self.options.batch, lease=self.options.lease)
        if not ids:
            return 0
        fired = firing.fire(ids, now, before_commit=self._before_commit)
        breaches = sum(f.alarm.is_breach for f in fired)
        totals = self.totals
        totals.tickets, totals.batches = totals.tickets + len(ids), totals.batches + 1
        totals.breaches += breaches
        totals.warnings += len(fired) - breaches
        if fired:
            self.report(f"fired {len(fired) - breaches} warnings and {breaches} breaches "
                        f"on {len(ids)} tickets")
        return len(ids)

    def registered_jobs(self) -> int:
        """Run each registered job whose period has elapsed; a failing job is logged only."""
        worked = 0
        for job in jobs.registered():
            if not self.selected(job.name):
                continue
            now = time.monotonic()
            if job.every and now - self.last_run.get(job.name, -job.every) < job.every:
                continue
            self.last_run[job.name] = now
            try:
                worked += int(job.run() or 0)
            except DatabaseError:
                raise
            except Exception:
                log.exception("Background job %s failed; it will run again.", job.name)
        return worked

    def _before_commit(self, tickets: int) -> None:
        self.totals.seen += tickets
        limit = self.options.crash_after
        if limit is not None and self.totals.seen >= limit:
            os.kill(os.getpid(), signal.SIGKILL)


def job_names() -> list[str]:
    """Every job a worker can run, by name."""
    return [SLA_ALARMS, *(job.name for job in jobs.registered())]


def unmatched(patterns: tuple[str, ...]) -> list[str]:
    """The patterns that select no job (a typo would leave a worker idle)."""
    names = job_names()
    return [p for p in patterns if not any(fnmatchcase(name, p) for name in names)]


def crash_after_from_env() -> int | None:
    raw = os.environ.get(CRASH_AFTER_ENV, "").strip()
    return int(raw) if raw else None


def spawn(*args: str) -> subprocess.Popen:
    """Start ``palier worker`` as a child process that exits with this process."""
    return subprocess.Popen([sys.executable, "-m", "palier", "worker", "--exit-with-parent",
                             *args])
