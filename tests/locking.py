"""Threads racing on PostgreSQL: wait until another transaction is blocked on a lock."""

from __future__ import annotations

import threading

from django.db import connection

WAIT_SECONDS = 10


def wait_for_a_blocked_transaction() -> None:
    """Return once another transaction of this database waits on a lock (pg_stat_activity
    says so), or after ``WAIT_SECONDS``."""
    deadline = threading.Event()
    timer = threading.Timer(WAIT_SECONDS, deadline.set)
    timer.start()
    try:
        with connection.cursor() as cursor:
            while not deadline.is_set():
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND pid <> pg_backend_pid()")
                if cursor.fetchone()[0]:
                    break
    finally:
        timer.cancel()
