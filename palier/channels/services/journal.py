"""The journal reader: turns new ``TicketEvent`` rows into notifications and webhook
deliveries, exactly once, without touching the tickets app.

The reader keeps a durable cursor (``JournalCursor``): the highest event id seen and the ids
skipped below it. On PostgreSQL a transaction can commit a lower id after a higher one was
read; such a gap is remembered and re-checked on every scan for ``GAP_PATIENCE`` before it is
given up as a rolled-back insert. The cursor row is locked for the whole scan (``SKIP
LOCKED``: a second worker simply skips the round), and the queued rows have unique keys, so
a re-read after a crash queues nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from palier.channels.models import JournalCursor, WebhookSubscription
from palier.channels.services import outbound, webhooks
from palier.channels.services.recipients import recipients_for
from palier.core import clock
from palier.tickets.models import TicketEvent

log = logging.getLogger("palier.channels")
CURSOR = "channels"
BATCH = 200
GAP_PATIENCE = timedelta(minutes=10)
MAX_PENDING = 5000


def scan(batch: int = BATCH) -> int:
    """Handle the next events of the journal; returns how many were handled."""
    JournalCursor.objects.get_or_create(name=CURSOR)
    now = clock.now()
    with transaction.atomic():
        cursor = (JournalCursor.objects.select_for_update(skip_locked=True)
                  .filter(name=CURSOR).first())
        if cursor is None:  # another worker is reading the journal right now
            return 0
        pending = {int(k): v for k, v in (cursor.pending or {}).items()}
        events = list(TicketEvent.objects
                      .filter(Q(pk__gt=cursor.position) | Q(pk__in=sorted(pending)))
                      .select_related("ticket", "ticket__requester", "ticket__client",
                                      "ticket__group", "ticket__level", "actor")
                      .order_by("pk")[:batch])
        max_age = settings.PALIER_NOTIFY_MAX_AGE_HOURS
        stale = now - timedelta(hours=max_age) if max_age else None
        subscriptions = webhooks.active_subscriptions() if events else []
        for event in events:
            if stale is None or event.created_at >= stale:
                _handle(event, subscriptions)
        position = _advance(cursor.position, pending, [e.pk for e in events], now)
        cursor.position, cursor.pending, cursor.updated_at = position, {
            str(k): v for k, v in pending.items()}, now
        cursor.save(update_fields=["position", "pending", "updated_at"])
    return len(events)


def skip_history() -> int:
    """Start reading after the latest event (e.g. after loading a demo history); returns
    the new position."""
    latest = TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    JournalCursor.objects.update_or_create(name=CURSOR, defaults={"position": latest,
                                                                  "pending": {}})
    return latest


def _advance(position: int, pending: dict[int, str], ids: list[int], now: datetime) -> int:
    """The new highest id seen; ``pending`` gains the gaps below it and loses the ids found
    and the gaps waited on for longer than ``GAP_PATIENCE``. A cursor that never read
    anything (position 0) starts at the first id it sees: ids below it are not gaps."""
    expected = position + 1 if position else (ids[0] if ids else 1)
    for pk in ids:
        if pk in pending:
            del pending[pk]
            continue
        for missing in range(expected, pk):
            pending.setdefault(missing, now.isoformat())
        expected = max(expected, pk + 1)
        position = max(position, pk)
    limit = now - GAP_PATIENCE
    for pk, seen in list(pending.items()):
        if datetime.fromisoformat(seen) < limit:
            log.info("Journal id %s never committed; no longer waiting for it.", pk)
            del pending[pk]
    for pk in sorted(pending)[:-MAX_PENDING or None]:
        del pending[pk]
    return position


def _handle(event: TicketEvent, subscriptions: list[WebhookSubscription]) -> None:
    """Queue the event's notifications and webhook deliveries (to the active
    ``subscriptions`` read for the batch). A failure on one event is logged and leaves the
    others unharmed (it runs in a savepoint)."""
    try:
        with transaction.atomic():
            outbound.queue(event, recipients_for(event))
            webhooks.queue(event, subscriptions)
    except Exception:
        log.exception("Journal event %s could not be turned into notifications.", event.pk)
