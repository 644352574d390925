"""Who is told about a journal event, and in which kind of notification."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from palier.accounts.models import Agent, Group, Role, User
from palier.channels.models import NotificationKind as N
from palier.tickets.models import EventKind, Handoff, Ticket, TicketEvent

STATUS_EVENTS = {EventKind.PENDING, EventKind.RESUMED, EventKind.RESOLVED, EventKind.REOPENED,
                 EventKind.CLOSED, EventKind.MERGED}


@dataclass(frozen=True)
class Recipient:
    """One notification owed: its kind, the address, the user (if any) and the language."""

    kind: str
    address: str
    user: User | None
    language: str


def recipients_for(event: TicketEvent) -> list[Recipient]:
    """Every notification the event calls for, one per (kind, address)."""
    ticket, kind = event.ticket, event.kind
    found: list[Recipient] = []
    if kind == EventKind.CREATED:
        found += _requester(ticket, N.ACKNOWLEDGEMENT)
    elif kind == EventKind.MESSAGE and event.public and event.actor_id != ticket.requester_id:
        found += _requester(ticket, N.REPLY)
    elif kind in STATUS_EVENTS and event.actor_id != ticket.requester_id:
        found += _requester(ticket, N.STATUS)
    if kind == EventKind.RESOLVED:
        found += _requester(ticket, N.SURVEY)
    elif kind == EventKind.ESCALATED:
        found += _escalation(event, ticket)
    elif kind == EventKind.RETURNED:
        found += _returned(event, ticket)
    elif kind in (EventKind.SLA_WARNING, EventKind.SLA_BREACH):
        notice = N.SLA_BREACH if kind == EventKind.SLA_BREACH else N.SLA_WARNING
        found += _users(_assignee_and_managers(ticket), notice)
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in found:
        key = (r.kind, r.address.lower())
        if key not in seen and (r.user is None or r.user.pk != event.actor_id
                                or r.kind == N.ACKNOWLEDGEMENT):
            seen.add(key)
            unique.append(r)
    return unique


def _requester(ticket: Ticket, kind: str) -> list[Recipient]:
    return _users([ticket.requester], kind)


def _users(users, kind: str) -> list[Recipient]:
    return [Recipient(kind, u.email, u, u.language or settings.LANGUAGE_CODE)
            for u in users if u is not None and u.is_active and u.email]


def _group(group: Group | None, ticket: Ticket, kind: str) -> list[Recipient]:
    if group is None:
        return []
    agents = User.objects.filter(agent__groups=group, agent__clients=ticket.client_id,
                                 is_active=True).distinct().order_by("pk")
    found = _users(agents, kind)
    if group.email:
        found.append(Recipient(kind, group.email, None, ticket.client.language))
    return found


def _handoff(event: TicketEvent) -> Handoff | None:
    pk = (event.data or {}).get("handoff")
    return Handoff.objects.filter(pk=pk).select_related("to_group", "from_group",
                                                       "created_by").first() if pk else None


def _escalation(event: TicketEvent, ticket: Ticket) -> list[Recipient]:
    handoff = _handoff(event)
    return _group(handoff.to_group if handoff else ticket.group, ticket, N.ESCALATION)


def _returned(event: TicketEvent, ticket: Ticket) -> list[Recipient]:
    handoff = _handoff(event)
    if handoff is None:
        return []
    if handoff.created_by is not None and handoff.created_by.is_desk_staff:
        return _users([handoff.created_by], N.RETURN)
    return _group(handoff.from_group, ticket, N.RETURN)


def _assignee_and_managers(ticket: Ticket) -> list[User]:
    people = [ticket.assignee.user] if ticket.assignee_id else []
    managers = (Agent.objects.filter(clients=ticket.client_id, user__role=Role.MANAGER)
                .select_related("user").order_by("pk"))
    return people + [a.user for a in managers]
