"""Reads, always scoped to the acting user.

Requesters see their own tickets (a client manager: the whole client's); agents see the
tickets of the clients they serve; nobody sees another client's data. What an agent may
*change* is narrower and checked by ``ensure_can_work``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import Expression

from palier.accounts.models import Agent, Level, Role, User
from palier.core import cache
from palier.core.errors import NotFound, PermissionDenied
from palier.tickets.models import (
    ACTIVE_STATUSES,
    PENDING_STATUSES,
    Attachment,
    Ticket,
    TicketEvent,
    Worklog,
)

QUEUE_PAGE = 50


@dataclass(frozen=True)
class Scope:
    """What an actor may see: the clients, and for agents their groups."""

    client_ids: frozenset[int]
    group_ids: frozenset[int]
    agent_id: int | None
    whole_desk: bool  # managers and administrators work on every group of their clients


def scope_of(actor: User) -> Scope:
    """The actor's scope, computed once per user object."""
    cached = getattr(actor, "_palier_scope", None)
    if cached is not None:
        return cached
    scope = Scope(frozenset(), frozenset(), None, False)
    if actor.is_authenticated and actor.is_active:
        if actor.is_desk_staff:
            # One query: the agent's (client, group) pairs; small for any real agent. Kept
            # in the short per-process cache: a change of an agent's clients or groups
            # reaches every process within PALIER_CONFIG_CACHE_SECONDS.
            rows = cache.cached(f"agent-scope:{actor.pk}", lambda: list(
                Agent.objects.filter(user=actor).values_list("id", "clients", "groups")))
            if rows:
                scope = Scope(
                    frozenset(client for _, client, _ in rows if client is not None),
                    frozenset(group for _, _, group in rows if group is not None),
                    rows[0][0],
                    actor.is_manager,
                )
        elif actor.client_id:
            scope = Scope(frozenset({actor.client_id}), frozenset(), None, False)
    actor._palier_scope = scope
    return scope


def visible_tickets(actor: User, *, newest_first: bool = False) -> QuerySet[Ticket]:
    """Every ticket the actor may read.

    ``newest_first``: the caller orders by id, descending. SQLite would then read the
    scope's clients through their index and sort all their tickets (seconds at 1M rows);
    the client condition is made unindexable there so that it walks the ids backwards
    and stops at the page (PostgreSQL's planner finds that plan by itself)."""
    scope = scope_of(actor)
    if not scope.client_ids:
        return Ticket.objects.none()
    if newest_first and connection.vendor == "sqlite":
        tickets = Ticket.objects.alias(scope_client=Unindexed("client_id")).filter(
            scope_client__in=scope.client_ids)
    else:
        tickets = Ticket.objects.filter(client_id__in=scope.client_ids)
    if actor.role == Role.REQUESTER and not actor.is_client_manager:
        tickets = tickets.filter(requester=actor)
    return tickets


class Unindexed(Func):
    """``+column``: the same value, which SQLite will not look up through an index."""

    template = "+%(expressions)s"
    output_field = BigIntegerField()


def access_ticket(actor: User, ticket_id: int, *, for_update: bool = False) -> Ticket:
    """Fetch and authorize in one step; anything out of scope is simply not found."""
    tickets = visible_tickets(actor)
    # Under a lock, no join: PostgreSQL's re-check after a concurrent level change would
    # pair the new row with the old level and drop it (a NotFound instead of a Conflict).
    tickets = tickets.select_for_update() if for_update else tickets.select_related("level")
    try:
        return tickets.get(pk=ticket_id)
    except Ticket.DoesNotExist:
        raise NotFound(f"Ticket {ticket_id} was not found.") from None


def access_ticket_by_number(actor: User, number: str) -> Ticket:
    ticket = visible_tickets(actor).filter(number=number.upper()).first()
    if ticket is None:
        raise NotFound(f"Ticket {number} was not found.")
    return ticket


def can_work(actor: User, ticket: Ticket) -> bool:
    """Whether a staff user may act on the ticket: their group's, theirs, or a manager's."""
    scope = scope_of(actor)
    if scope.agent_id is None or ticket.client_id not in scope.client_ids:
        return False
    return (scope.whole_desk or ticket.group_id in scope.group_ids
            or ticket.assignee_id == scope.agent_id)


def ensure_can_work(actor: User, ticket: Ticket) -> None:
    if not can_work(actor, ticket):
        raise PermissionDenied(
            f"{ticket.number} is in another group's queue; only that group or a manager "
            "may act on it."
        )


def queue_for(actor: User, level: Level | int, *, limit: int = QUEUE_PAGE,
              after: tuple | None = None) -> list[Ticket]:
    """A level's queue: its active tickets the actor may see, soonest due first."""
    level_id = level if isinstance(level, int) else level.pk
    tickets = visible_tickets(actor).filter(active_condition(), level_id=level_id)
    return _page(tickets, limit, after)


def group_queue(actor: User, group_id: int, *, limit: int = QUEUE_PAGE,
                after: tuple | None = None) -> list[Ticket]:
    tickets = visible_tickets(actor).filter(active_condition(), group_id=group_id)
    return _page(tickets, limit, after)


def my_tickets(actor: User, *, limit: int = QUEUE_PAGE) -> list[Ticket]:
    scope = scope_of(actor)
    if scope.agent_id is None:
        return []
    tickets = visible_tickets(actor).filter(active_condition(), assignee_id=scope.agent_id)
    return _page(tickets, limit, None)


def original_of(actor: User, ticket: Ticket) -> Ticket | None:
    """The ticket a merged duplicate was merged into, if the actor may see it."""
    if ticket.merged_into_id is None:
        return None
    return visible_tickets(actor).filter(pk=ticket.merged_into_id).first()


def followed(actor: User, ticket: Ticket) -> Ticket:
    """Where the request of ``ticket`` is followed: through merges (a duplicate's original,
    and on if that was merged too), as far as the actor may see."""
    seen = {ticket.pk}
    while (original := original_of(actor, ticket)) is not None and original.pk not in seen:
        seen.add(original.pk)
        ticket = original
    return ticket


def requesters_other_open_tickets(actor: User, ticket: Ticket, *, limit: int = 5
                                  ) -> list[Ticket]:
    """The requester's other active tickets the actor may see, newest first: where a
    duplicate would have its original."""
    tickets = (visible_tickets(actor).filter(active_condition(), requester_id=ticket.requester_id)
               .exclude(pk=ticket.pk).only("id", "number", "title", "status", "created_at"))
    return list(tickets.order_by("-created_at", "-id")[:limit])


class StatusIn(Expression):
    """``status IN ('a', 'b', …)`` with the statuses written literally, as the partial queue
    indexes are, and the column under the query's own alias (so it also holds inside a
    subquery, where the table is renamed)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, statuses: Iterable[str], status=None) -> None:
        super().__init__()
        self.statuses = sorted(getattr(status, "value", status) for status in statuses)
        self.status = status if status is not None else F("status")

    def get_source_expressions(self) -> list:
        return [self.status]

    def set_source_expressions(self, exprs) -> None:
        (self.status,) = exprs

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        column, params = compiler.compile(self.status)
        statuses = ", ".join(f"'{status}'" for status in self.statuses)
        return f"({column} IN ({statuses}))", params


def active_condition() -> StatusIn:
    """``status IN ('escalated', …)`` written literally, as the partial queue indexes are.

    SQLite only uses a partial index when the query repeats its condition term for term; a
    bound-parameter ``IN (?, ?, …)`` would make it sort every ticket the level ever had.
    """
    return StatusIn(ACTIVE_STATUSES)


def pending_condition() -> StatusIn:
    """Waiting on the requester or a vendor, written as the pending queue's index is."""
    return StatusIn(PENDING_STATUSES)


def _page(tickets: QuerySet[Ticket], limit: int, after: tuple | None) -> list[Ticket]:
    """Keyset pagination on (due_at, id): stable and fast at any depth."""
    if after is not None:
        due, pk = after
        tickets = tickets.filter(Q(due_at__gt=due) | Q(due_at=due, id__gt=pk))
    tickets = tickets.select_related("level", "group", "client", "category", "assignee__user")
    return list(tickets.order_by("due_at", "id")[:limit])


def journal(actor: User, ticket_id: int) -> QuerySet[TicketEvent]:
    """The ticket's journal as the actor may read it (requesters see public entries only)."""
    ticket = access_ticket(actor, ticket_id)
    events = TicketEvent.objects.filter(ticket=ticket).select_related("actor")
    if not actor.is_desk_staff:
        events = events.filter(public=True)
    return events.order_by("created_at", "id")


def attachments(actor: User, ticket_id: int) -> QuerySet[Attachment]:
    """The ticket's attachments the actor may read (requesters: public ones)."""
    ticket = access_ticket(actor, ticket_id)
    files = Attachment.objects.filter(ticket=ticket)
    return files if actor.is_desk_staff else files.filter(public=True)


def access_attachment(actor: User, attachment_id: int) -> Attachment:
    files = Attachment.objects.filter(pk=attachment_id, ticket__in=visible_tickets(actor))
    if not actor.is_desk_staff:
        files = files.filter(public=True)
    attachment = files.first()
    if attachment is None:
        raise NotFound(f"Attachment {attachment_id} was not found.")
    return attachment


def worklog(actor: User, ticket_id: int) -> QuerySet[Worklog]:
    """Time logged on the ticket (desk staff only)."""
    ticket = access_ticket(actor, ticket_id)
    if not actor.is_desk_staff:
        raise PermissionDenied("The worklog is internal to the desk.")
    return Worklog.objects.filter(ticket=ticket).select_related("level")


def requesters_like(actor: User, client_id: int, typed: str, *, limit: int = 10
                    ) -> list[User]:
    """Active requesters of a client the agent serves whose e-mail starts with, or whose
    name contains, what was typed (finding the caller while recording a call)."""
    typed = typed.strip()
    if (not actor.is_desk_staff or client_id not in scope_of(actor).client_ids
            or len(typed) < 2):
        return []
    return list(User.objects.filter(client_id=client_id, role=Role.REQUESTER, is_active=True)
                .filter(Q(email__istartswith=typed) | Q(full_name__icontains=typed))
                .only("email", "full_name").order_by("email")[:limit])
