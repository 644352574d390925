"""Two requests with one idempotency key at the same time, on PostgreSQL: the helpers the
service and API tests share."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from tests.locking import WAIT_SECONDS, wait_for_a_blocked_transaction


def hold_until_the_other_waits(monkeypatch, owner: Any, name: str) -> None:
    """The first call of ``owner.name`` keeps its transaction open, its writes done but its
    key not stored yet, until another transaction is blocked on a lock (pg_stat_activity),
    or a few seconds pass."""
    first = threading.Lock()
    real = getattr(owner, name)

    def held(*args, **kwargs):
        result = real(*args, **kwargs)
        if first.acquire(blocking=False):
            wait_for_a_blocked_transaction()
        return result

    monkeypatch.setattr(owner, name, held)


def twice_at_once(call: Callable[[], Any]) -> list[Any]:
    """``call()`` from two threads released together; both results (any error fails)."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=WAIT_SECONDS)
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT_SECONDS)
    assert not errors and len(results) == 2, errors
    return results
