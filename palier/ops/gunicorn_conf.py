"""gunicorn settings for ``palier serve --prod`` (loaded as ``python:palier.ops.gunicorn_conf``).

Command-line options given by the supervisor (bind, workers, worker class) take precedence.
"""

from __future__ import annotations

import gc
import os

from palier.ops.logs import gunicorn_logconfig

graceful_timeout = int(os.environ.get("PALIER_GRACEFUL_TIMEOUT", "30"))
timeout = 60
keepalive = 5
# Each web process listens on its own SO_REUSEPORT socket, so the kernel spreads new
# connections evenly: on one shared socket, the process that wins the accepts keeps its
# clients' keep-alive connections, and one process served 90 % of a load test's requests
# (one core busy, the other idle). A process opens its socket only once it has loaded what
# it serves with (``post_fork`` closes the one gunicorn opened, ``post_worker_init`` opens
# it): the kernel would otherwise queue connections for seconds on a process still loading.
# Caveat: a second server on the same port binds silently.
reuse_port = True
limit_request_line = 8190
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus'
if os.environ.get("PALIER_LOG_FORMAT", "text") == "json":
    logconfig_dict = gunicorn_logconfig(os.environ.get("PALIER_LOG_LEVEL", "INFO"))


def child_exit(server, worker) -> None:
    """A web process ended (or was killed): merge its metrics into the totals."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker) -> None:
    """Close the new process's own socket until it can serve (see ``reuse_port``)."""
    if worker.cfg.reuse_port:
        for listener in worker.sockets:
            listener.close()
        worker.sockets = []


def _listen(worker) -> None:
    """Open the process's own ``SO_REUSEPORT`` socket(s), now that it can serve."""
    from gunicorn import sock, util

    if worker.cfg.reuse_port and not worker.sockets:
        worker.sockets = sock.create_sockets(worker.cfg, worker.log)
        for listener in worker.sockets:
            util.close_on_exec(listener)
        worker.wait_fds = [*worker.sockets, worker.PIPE[0]]


def post_worker_init(worker) -> None:
    """Load the knowledge embedding model and the in-memory search index before the first
    request rather than during it (seconds at 100,000 articles; the model is a no-op when
    PALIER_KB_MODEL=off), then freeze them out of the garbage collector's way. A database not
    ready yet only defers the index to the first search."""
    from django.db import DatabaseError, connection

    from palier.knowledge import index

    index.model()
    try:
        index.memory.current()
    except DatabaseError:
        worker.log.warning("knowledge index not preloaded: the database is not ready")
    finally:
        connection.close()  # request threads open their own
    # What is loaded now lives as long as the process: out of the collector's sight, a full
    # collection no longer walks it (pauses of 70-100 ms on a request otherwise).
    gc.collect()
    gc.freeze()
    _listen(worker)
