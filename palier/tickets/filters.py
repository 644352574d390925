"""The ticket list's filters: a selector over ``visible_tickets``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import ValidationFailed
from palier.tickets.models import ACTIVE_STATUSES, Ticket
from palier.tickets.selectors import active_condition, scope_of, visible_tickets
from palier.tickets.services import directory

NUMBER = re.compile(r"^(INC|REQ)-\d{1,9}$", re.IGNORECASE)


@dataclass(frozen=True)
class TicketFilters:
    status: list[str] | None = None
    level: str | None = None          # a level code, e.g. "L2"
    group: int | None = None
    assignee: str | None = None       # an agent id, "me" or "none"
    client: int | None = None
    priority: list[str] | None = None
    category: int | None = None
    kind: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    q: str | None = None
    breaching_within: int | None = None  # minutes: an SLA or OLA target falls due by then


def filter_tickets(actor: User, filters: TicketFilters, *,
                   newest_first: bool = False) -> QuerySet[Ticket]:
    """The actor's visible tickets narrowed by ``filters`` (unordered; ``newest_first``:
    the caller orders by descending id, see ``visible_tickets``)."""
    tickets = visible_tickets(actor, newest_first=newest_first)
    level_id = None
    if filters.level:  # the id from the directory cache: no join with the levels
        codes = {level.code: pk for pk, level in directory.levels().items()}
        level_id = codes.get(filters.level.strip().upper())
        if level_id is None:
            return tickets.none()
    exact = {
        "status__in": filters.status, "level_id": level_id, "group_id": filters.group,
        "client_id": filters.client, "priority__in": filters.priority,
        "category_id": filters.category, "kind": filters.kind,
        "created_at__gte": filters.created_after, "created_at__lt": filters.created_before,
    }
    tickets = tickets.filter(**{k: v for k, v in exact.items() if v not in (None, [], "")})
    if filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee == "me":
        tickets = tickets.filter(assignee_id=scope_of(actor).agent_id or 0)
    elif filters.assignee:
        try:
            assignee_id = int(filters.assignee)
        except ValueError:
            raise ValidationFailed('The assignee is an agent id, "me" or "none".',
                                   fields={"assignee": "invalid"}) from None
        tickets = tickets.filter(assignee_id=assignee_id)
    if filters.breaching_within:
        tickets = tickets.filter(breaching_within(filters.breaching_within))
    text = (filters.q or "").strip()
    if NUMBER.match(text):
        prefix, digits = text.upper().split("-")
        tickets = tickets.filter(number=f"{prefix}-{int(digits):06d}")
    elif text:
        tickets = tickets.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return tickets


def breaching_within(minutes: int) -> Q:
    """Active tickets whose running first-response, resolution or OLA target falls due in
    the next ``minutes`` (not those already overdue, nor those whose clock is paused).

    Written as the union of one range scan per target over the partial indexes on active
    tickets (``ticket_active_*_due``): a short window reads few rows at any table size,
    where an OR of the three ranges would read every active ticket."""
    now = clock.now()
    until = now + timedelta(minutes=minutes)

    def due(field: str) -> QuerySet[Ticket]:
        return (Ticket.objects.filter(active_condition(), **{f"{field}__gt": now,
                                                             f"{field}__lte": until})
                .order_by().values("id"))

    soon = due("response_due_at").filter(first_response_at__isnull=True).union(
        due("due_at"), due("ola_due_at"))
    return Q(status__in=ACTIVE_STATUSES, sla_paused=False, pk__in=soon)
