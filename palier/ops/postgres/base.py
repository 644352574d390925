"""Django's PostgreSQL backend, waiting for a restarting server instead of failing at once.

While PostgreSQL restarts (a minor-version upgrade, a fail-over, ``pg_ctl restart``) it
refuses new connections for a second or two: "the database system is shutting down",
"... is starting up", or the port is closed. A request that needed a fresh connection in that
window would answer 500 although nothing is wrong with it. This backend retries such a
connection attempt with a short back-off for up to ``PALIER_DB_CONNECT_WAIT`` seconds
(default 10; 0 turns it off). Only opening a connection is retried — nothing has been sent
yet, so no statement can run twice; a connection lost in the middle of a transaction still
fails that request, and its transaction rolls back. Any other error (a wrong password, a
missing database) is raised at once. Timestamps are read with psycopg's C loader
(``timestamps``).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db.backends.postgresql import base

from palier.ops.postgres.timestamps import use_fast_timestamps

log = logging.getLogger("palier.db")

# What libpq says while the server cannot take connections yet (SQLSTATE 57P03) or is down.
TRANSIENT = ("57P03", "the database system is shutting down",
             "the database system is starting up",
             "the database system is not yet accepting connections",
             "the database system is in recovery mode", "Connection refused")
MAX_DELAY = 1.0


def is_transient(exc: Exception) -> bool:
    """Whether a failed connection attempt is worth retrying: the server is (re)starting."""
    text = f"{getattr(exc, 'sqlstate', '') or ''} {exc}"
    return any(marker in text for marker in TRANSIENT)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + getattr(settings, "PALIER_DB_CONNECT_WAIT", 10)
        delay = 0.1
        while True:
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError as exc:
                if not is_transient(exc) or time.monotonic() + delay > deadline:
                    raise
                log.warning("PostgreSQL is not accepting connections (%s); retrying in %.1f s",
                            str(exc).strip().splitlines()[-1][:200], delay)
                time.sleep(delay)
                delay = min(MAX_DELAY, delay * 2)

    def init_connection_state(self):
        super().init_connection_state()  # sets the session time zone
        use_fast_timestamps(self.connection, self.timezone)
