"""Many tickets with alarms due at once, built fast: bulk inserts, then the real refresh."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from palier.core import clock
from palier.sla.services import refresh_many
from palier.tickets.models import EventKind, Ticket, TicketEvent

CHUNK = 1000
#: Opened 22 h ago under the contract's default P3 targets (24×7: response 4 h, resolution
#: 24 h), a ticket owes now: the response breach (its warnings overtaken), the resolution's
#: 75 % (18 h) and 90 % (21.6 h) warnings. Its next alarm is the resolution breach at 24 h.
AGE = timedelta(hours=22)
OWED_NOW = {("response", "breach"), ("resolution", "warning_75"), ("resolution", "warning_90")}


def due_tickets(desk, side: SimpleNamespace, count: int, *,
                now: datetime | None = None) -> list[int]:
    """``count`` tickets of ``side``'s client at L1 whose alarms ``OWED_NOW`` are due."""
    now = now or clock.now()
    opened = now - AGE
    level, group = desk.levels["L1"], desk.groups["sd"]
    ids: list[int] = []
    for start in range(0, count, CHUNK):
        tickets = Ticket.objects.bulk_create(
            Ticket(number=f"BLK-{start + i:07d}", title=f"Bulk {start + i}",
                   client=side.client, contract=side.contract, requester=side.requester,
                   level=level, group=group, priority="P3", created_at=opened,
                   updated_at=opened)
            for i in range(min(CHUNK, count - start)))
        TicketEvent.objects.bulk_create(
            TicketEvent(ticket=t, kind=EventKind.CREATED, created_at=opened, public=True,
                        data={"priority": "P3", "level": level.code}) for t in tickets)
        refresh_many(tickets, now=now)
        ids += [t.pk for t in tickets]
    return ids
