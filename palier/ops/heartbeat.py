"""The worker heartbeat: each ``palier worker`` process stamps its row every few seconds, so
``/readyz`` and ``/metrics`` can tell whether background work is running."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings

from palier.core import clock
from palier.ops.models import WorkerHeartbeat

PERIOD_SECONDS = 5.0
#: Rows of workers gone this long are removed by the next beat.
FORGET_AFTER = timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat() -> int:
    """Stamp this worker's heartbeat; returns 0 (a beat is not work that needs a rerun)."""
    now = clock.now()
    updated = WorkerHeartbeat.objects.filter(worker=worker_name()).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(worker=worker_name(),
                                                 defaults={"beat_at": now, "started_at": now})
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return 0


def last_beat() -> datetime | None:
    """When any worker last beat (None: never)."""
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def max_age() -> timedelta:
    return timedelta(seconds=settings.PALIER_HEARTBEAT_MAX_AGE_SECONDS)
