"""The named queues agents work from: mine, my level, unassigned, breaching soon, pending
and recently resolved, each over the filter selector and the actor's scope, in its order.

Each queue's condition is written so that the partial queue indexes serve it
(``docs/architecture.md``, Data and scale).
"""

from __future__ import annotations

from django.db.models import QuerySet

from palier.accounts.models import Group, User
from palier.tickets.filters import TicketFilters, breaching_within, filter_tickets
from palier.tickets.models import Ticket, TicketStatus
from palier.tickets.selectors import active_condition, pending_condition, scope_of
from palier.tickets.services import directory

NAMES = ("mine", "level", "unassigned", "breaching", "pending", "resolved")
BREACHING_MINUTES = 120
ORDERS = {
    "due": ("due_at", "id"),
    "priority": ("priority", "due_at", "id"),
    "created": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


def named_queue(actor: User, name: str, filters: TicketFilters, sort: str = "",
                ) -> QuerySet[Ticket]:
    """The whole queue ``name`` for ``actor``, its reference rows joined, in order
    (``sort``, one of ``ORDERS``; recently resolved: latest first)."""
    if name not in NAMES:
        raise ValueError(f"No queue is called {name!r}.")
    tickets = _narrow(actor, name, filter_tickets(actor, filters))
    order = ("-resolved_at", "-id") if name == "resolved" else ORDERS[sort or "due"]
    return (tickets.select_related("level", "group", "client", "assignee__user")
            .order_by(*order))


def _narrow(actor: User, name: str, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    scope = scope_of(actor)
    if name == "mine":
        return tickets.filter(active_condition(), assignee_id=scope.agent_id or 0)
    if name == "level":
        return tickets.filter(active_condition(), level_id=lowest_level(actor))
    if name == "breaching":
        return tickets.filter(active_condition(), breaching_within(BREACHING_MINUTES))
    if name == "unassigned":
        tickets = tickets.filter(active_condition(), assignee__isnull=True)
    elif name == "pending":  # pending statuses are active: repeating it misleads planners
        tickets = tickets.filter(pending_condition())
    else:
        tickets = tickets.filter(status=TicketStatus.RESOLVED)
    return tickets if scope.whole_desk else tickets.filter(group_id__in=scope.group_ids)


def lowest_level(actor: User) -> int:
    """The lowest level the agent works at (managers: the first level)."""
    level = (Group.objects.filter(pk__in=scope_of(actor).group_ids).order_by("level__rank")
             .values_list("level_id", flat=True).first())
    return level or next(iter(directory.levels()))
