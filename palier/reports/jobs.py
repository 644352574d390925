"""The worker's report jobs: keep the ticket facts current; send monthly client reports."""

from __future__ import annotations

from datetime import timedelta

from palier.core import clock
from palier.reports import facts, rollups
from palier.reports.models import FactsCursor
from palier.tickets.models import TicketEvent

CURSOR = "ticket_facts"
MAX_EVENTS = 20000
SETTLE = timedelta(seconds=60)


def refresh_facts() -> int:
    """Recompute the facts of tickets with journal events past the cursor.

    The cursor only moves over a prefix of events older than a minute, so an event whose
    transaction committed late (PostgreSQL hands out ids before commit) is still read; a
    ticket read twice is simply recomputed (idempotent). Several workers may race: the cursor
    moves by compare-and-set, and facts and rollups are written under one lock. The daily
    rollups of the tickets' days are recomputed with their facts; when they were never
    built (a new install, or after the migration adding them), they are built first.
    """
    if not rollups.built():
        rollups.rebuild()
    cursor, _ = FactsCursor.objects.get_or_create(name=CURSOR)
    start = cursor.last_event_id
    batch = list(TicketEvent.objects.filter(pk__gt=start).order_by("pk")
                 .values_list("pk", "ticket_id", "created_at")[:MAX_EVENTS])
    if not batch:
        return 0
    written = facts.store(sorted({ticket for _, ticket, _ in batch}))
    settled, top = clock.now() - SETTLE, start
    for pk, _, at in batch:
        if at >= settled:
            break
        top = pk
    if top > start:
        FactsCursor.objects.filter(pk=cursor.pk, last_event_id=start).update(
            last_event_id=top, updated_at=clock.now())
    return written


def send_client_reports() -> int:
    """On the first days of a month, send last month's report to each client once."""
    from palier.reports.client_report import send_due_reports

    return send_due_reports()
