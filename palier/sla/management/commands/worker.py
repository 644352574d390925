"""``palier worker``: fire SLA warnings and breaches, and run the apps' background jobs."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from palier.sla.worker import Options, Worker, crash_after_from_env, job_names, unmatched


class Command(BaseCommand):
    help = ("Runs the background worker: claims tickets whose SLA warnings or breaches are due "
            "and fires each exactly once, and runs the apps' background jobs (notifications, "
            "mail polling, report facts, embeddings, triage training). Any number of workers "
            "may run side by side.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true",
                            help="fire everything due now, then exit (for cron and tests)")
        parser.add_argument("--batch", type=int, default=500,
                            help="tickets claimed at a time (default 500)")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds to sleep when idle (default 1)")
        parser.add_argument("--lease", type=float, default=30.0,
                            help="seconds a claim is held before another worker may take it "
                                 "(default 30)")
        parser.add_argument("--exit-with-parent", action="store_true",
                            help="exit when the process that started this one is gone")
        parser.add_argument("--jobs", default="*",
                            help="comma-separated job names or patterns this worker runs "
                                 "(default: all), e.g. 'sla.alarms,channels.*'")

    def handle(self, *args, once: bool, batch: int, interval: float, lease: float,
               exit_with_parent: bool, jobs: str, **options) -> None:
        if batch < 1 or interval <= 0 or lease <= 0:
            raise CommandError("--batch, --interval and --lease must be positive.")
        patterns = tuple(p.strip() for p in jobs.split(",") if p.strip())
        unknown = unmatched(patterns)
        if not patterns or unknown:
            raise CommandError(f"--jobs {jobs!r}: {', '.join(unknown) or 'nothing'} matches no "
                               f"job; the jobs are {', '.join(job_names())}.")
        verbose = options["verbosity"] >= 1
        worker = Worker(Options(batch=batch, interval=interval, lease=timedelta(seconds=lease),
                                once=once, exit_with_parent=exit_with_parent, jobs=patterns,
                                crash_after=crash_after_from_env()),
                        report=self._report if verbose else lambda _: None)
        worker.install_signal_handlers()
        if verbose and not once:
            self._report(f"worker started (batch {batch}, lease {lease:g} s)")
        totals = worker.run()
        if verbose:
            self._report(f"worker stopped: {totals.warnings} warnings and {totals.breaches} "
                         f"breaches fired on {totals.tickets} tickets")

    def _report(self, text: str) -> None:
        self.stdout.write(f"palier worker: {text}")
        self.stdout.flush()
