"""Claiming queued rows so that several workers never handle the same one."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import Q

LEASE = timedelta(seconds=120)


def claim(model: type[models.Model], now: datetime, *, batch: int,
          lease: timedelta = LEASE, **filters) -> list[int]:
    """Lease up to ``batch`` due, queued rows of ``model``; returns their ids.

    ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's ``BEGIN IMMEDIATE``
    serialises claims), then a conditional update that sets the lease: a row leased by
    another worker is neither selected nor updated.
    """
    live = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    with transaction.atomic():
        ids = list(model.objects.filter(live, due, status="queued", **filters)
                   .order_by("next_attempt_at", "id")
                   .select_for_update(skip_locked=True)
                   .values_list("pk", flat=True)[:batch])
        if ids:
            model.objects.filter(live, pk__in=ids).update(claimed_until=now + lease)
    return ids


def backoff(attempts: int, *, base: float = 60.0, cap: float = 6 * 3600.0) -> timedelta:
    """Exponential backoff after ``attempts`` failed tries: 1 min, 2, 4, … capped at 6 h."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
