"""One worker at a time for jobs whose work cannot be claimed row by row.

On PostgreSQL, ``alone(name)`` opens a transaction and takes the transaction-level advisory
lock named ``name`` if it is free (``pg_try_advisory_xact_lock``); it yields whether this
worker got it. The lock goes with the transaction, so a killed worker frees it at once.
SQLite serialises its writers on one machine: there every caller gets it, and no
transaction is opened (an immediate one would hold the write lock for the whole job).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big",
                          signed=True)


@contextmanager
def alone(name: str) -> Iterator[bool]:
    """True when no other transaction holds ``name`` (inside one, on PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
            got = bool(cursor.fetchone()[0])
        yield got
