"""Liveness and readiness checks behind ``/healthz`` and ``/readyz``.

Readiness means this process can serve real traffic: the database answers, every migration
is applied, and a worker beat recently (SLA alarms and notifications are being fired).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from palier.core import clock
from palier.ops import heartbeat

_migrated = False  # once all migrations are seen applied, a process stops re-checking


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"unreachable: {type(exc).__name__}")
    return Check("database", True, connection.vendor)


def migrations() -> Check:
    global _migrated
    if _migrated:
        return Check("migrations", True, "applied")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check("migrations", False, f"unknown: {type(exc).__name__}")
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied (run palier migrate)")
    _migrated = True
    return Check("migrations", True, "applied")


def worker() -> Check:
    try:
        last = heartbeat.last_beat()
    except DatabaseError as exc:
        return Check("worker", False, f"unknown: {type(exc).__name__}")
    if last is None:
        return Check("worker", False, "no worker has ever beaten (start palier worker)")
    age = (clock.now() - last).total_seconds()
    if age > heartbeat.max_age().total_seconds():
        return Check("worker", False, f"last beat {age:.0f} s ago")
    return Check("worker", True, f"last beat {age:.0f} s ago")


def readiness() -> list[Check]:
    """All readiness checks; the later ones are skipped when the database is down."""
    first = database()
    if not first.ok:
        return [first]
    return [first, migrations(), worker()]


def reset() -> None:
    """Forget the cached migration result (tests)."""
    global _migrated
    _migrated = False
