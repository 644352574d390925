"""The desk's change feed: every journal event the actor may read, in the order written,
for integrations that keep a copy of the desk (``GET /api/v1/events?after=``).

A reader keeps the id of the last event it received and asks for what comes after it. Ids
are given when a row is written but become visible when its transaction commits, so a
slow transaction could commit an event below an id already read; the feed therefore holds
each event back until it is ``SETTLE`` old, longer than any desk transaction takes. (The
desk's own consumers, mail and webhooks, track such gaps instead: ``channels.JournalCursor``;
a remote reader can only remember one number.)
"""

from __future__ import annotations

from datetime import timedelta

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import ValidationFailed
from palier.tickets.models import TicketEvent
from palier.tickets.selectors import visible_tickets

SETTLE = timedelta(seconds=5)
MAX_LIMIT = 500


def events_after(actor: User, after: int = 0, *, limit: int = 100) -> list[TicketEvent]:
    """Up to ``limit`` events after the event ``after``, oldest first, on tickets the actor
    may read (requesters: the public entries of their tickets), at least ``SETTLE`` old."""
    if after < 0:
        raise ValidationFailed("after is an event id, 0 or more.", fields={"after": "range"})
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"The limit is from 1 to {MAX_LIMIT}.",
                               fields={"limit": "range"})
    events = TicketEvent.objects.filter(
        pk__gt=after, created_at__lte=clock.now() - SETTLE,
        ticket__in=visible_tickets(actor).values("pk"))
    if not actor.is_desk_staff:
        events = events.filter(public=True)
    return list(events.select_related("ticket").only(
        "id", "kind", "actor_id", "created_at", "public", "body", "data",
        "ticket__id", "ticket__number").order_by("pk")[:limit])
