"""Threads racing on PostgreSQL: released together, and held until another transaction is
blocked on a lock."""

from __future__ import annotations

import threading
from collections.abc import Callable

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


def race(*calls: Callable[[], object]) -> tuple[list, list[Exception]]:
    """Run the calls in threads released together; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results: list = []
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait(timeout=WAIT_SECONDS)
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
