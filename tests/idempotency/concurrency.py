"""Two requests with one idempotency key at the same time, on PostgreSQL: the helpers the
service and API tests share."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.locking import race, wait_for_a_blocked_transaction


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
    results, errors = race(call, call)
    assert not errors and len(results) == 2, errors
    return results
