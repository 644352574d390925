"""``palier serve``: serve Palier with gunicorn (several worker processes)."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serves Palier over HTTP with gunicorn."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2,
                            help="web processes (default 2)")

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        argv = [sys.executable, "-m", "gunicorn", "palier.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(workers),
                "--access-logfile", "-", "--graceful-timeout", "20",
                "--limit-request-line", "8190"]
        self.stdout.write(f"Palier is serving on http://{host}:{port}/ ({workers} workers)")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
