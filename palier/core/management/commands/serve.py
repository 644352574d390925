"""``palier serve``: serve Palier with gunicorn (several worker processes).

``--prod`` runs the production stack under one supervisor: gunicorn with N web processes,
M ``palier worker`` processes restarted when they die, Prometheus metrics aggregated across
processes, JSON logs, and a graceful stop on SIGTERM (see ``palier.ops.supervisor``).
"""

from __future__ import annotations

import importlib.util
import logging.config
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Background workers run this much nicer than the web processes: on a busy machine the
# requests people wait on get the CPU first, and jobs (SLA alarms, embeddings, reports) use
# what is left; they still get all of it when the requests leave it idle.
BACKGROUND_NICENESS = 10
WORKER_CLASSES = {"gthread": "gthread", "uvicorn": "uvicorn_worker.UvicornWorker",
                  "sync": "sync"}


class Command(BaseCommand):
    help = "Serves Palier over HTTP with gunicorn (--prod: with background workers)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2,
                            help="web processes (default 2)")
        parser.add_argument("--prod", action="store_true",
                            help="production: supervised web and background workers, metrics, "
                                 "JSON logs, graceful shutdown")
        parser.add_argument("--background-workers", type=int, default=1,
                            help="with --prod: palier worker processes (default 1)")
        parser.add_argument("--worker-class", choices=sorted(WORKER_CLASSES), default="gthread",
                            help="with --prod: gunicorn worker class (default gthread)")
        parser.add_argument("--threads", type=int, default=4,
                            help="with --prod and gthread: threads per web process (default 4)")

    def handle(self, *args, host: str, port: int, workers: int, prod: bool, **options) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if prod:
            sys.exit(self._prod(host, port, workers, **options))
        argv = [sys.executable, "-m", "gunicorn", "palier.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(workers),
                "--access-logfile", "-", "--graceful-timeout", "20",
                "--limit-request-line", "8190"]
        self.stdout.write(f"Palier is serving on http://{host}:{port}/ ({workers} workers)")
        sys.stdout.flush()
        os.execv(sys.executable, argv)

    def _prod(self, host: str, port: int, workers: int, *, background_workers: int,
              worker_class: str, threads: int, **options) -> int:
        from palier.ops import supervisor

        if background_workers < 0 or threads < 1:
            raise CommandError("--background-workers must be 0 or more and --threads 1 or more.")
        if "PALIER_LOG_FORMAT" not in os.environ:  # JSON by default, here and in children
            os.environ["PALIER_LOG_FORMAT"] = "json"
            logging.config.dictConfig(
                {**settings.LOGGING, "handlers": {"console": {
                    "class": "logging.StreamHandler", "formatter": "json"}}})
        grace = float(os.environ.get("PALIER_GRACEFUL_TIMEOUT", "30"))
        metrics_dir = supervisor.prepare_metrics_dir(settings.DATA_DIR / "prometheus")
        if worker_class == "uvicorn" and importlib.util.find_spec("uvicorn_worker") is None:
            raise CommandError("--worker-class uvicorn needs the uvicorn-worker package "
                               "(pip install uvicorn-worker).")
        from palier.knowledge import index

        index.prepare_model()  # once here, not once in each web process starting together
        app = "palier.asgi:application" if worker_class == "uvicorn" else "palier.wsgi:application"
        web = [sys.executable, "-m", "gunicorn", app, "-c", "python:palier.ops.gunicorn_conf",
               "--bind", f"{host}:{port}", "--workers", str(workers),
               "--worker-class", WORKER_CLASSES[worker_class], "--threads", str(threads)]
        children = [supervisor.Child("web", web, supervisor.child_env(
            PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)))]
        worker = [sys.executable, "-m", "palier", "worker", "--verbosity", "0"]
        children += [supervisor.Child(f"worker-{i + 1}", worker, supervisor.child_env(),
                                      nice=BACKGROUND_NICENESS)
                     for i in range(background_workers)]
        boss = supervisor.Supervisor(children, grace=grace + 5)
        boss.install_signal_handlers()
        self.stdout.write(f"Palier is serving on http://{host}:{port}/ ({workers} web processes "
                          f"× {worker_class}, {background_workers} background workers)")
        sys.stdout.flush()
        return boss.run()
