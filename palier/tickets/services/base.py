"""Shared steps of every ticket write: lock, transition, save, journal."""

from __future__ import annotations

from typing import Any

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import Conflict, NotFound, ValidationFailed
from palier.sla.services import refresh_after, start_clock
from palier.tickets import lifecycle
from palier.tickets.models import EventKind, Ticket, TicketEvent
from palier.tickets.selectors import access_ticket, ensure_can_work


def lock(actor: User | None, ticket_id: int, version: int | None, *,
         work: bool = True) -> Ticket:
    """Fetch the ticket under a row lock, authorize, and check the caller's version.

    Call inside ``transaction.atomic()``. A stale ``version`` means someone else acted
    first: the caller gets ``Conflict`` and nothing is written. ``actor=None`` is the
    system (the SLA worker's automatic actions): it is not scoped to any client. Surfaces
    always pass the signed-in user.
    """
    if actor is None:
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            raise NotFound(f"Ticket {ticket_id} was not found.")
    else:
        ticket = access_ticket(actor, ticket_id, for_update=True)
    if version is not None and ticket.version != version:
        raise Conflict(
            f"{ticket.number} was changed by someone else (version {ticket.version}, "
            f"you had {version}); reload it and try again."
        )
    if work and actor is not None:
        ensure_can_work(actor, ticket)
    return ticket


def move(ticket: Ticket, action: lifecycle.Action) -> None:
    """Apply the lifecycle transition to the ticket in memory."""
    ticket.status = lifecycle.transition(ticket.status, action)


def save(ticket: Ticket, *fields: str) -> None:
    """Persist the named fields, bumping the version and the update time."""
    ticket.version += 1
    ticket.updated_at = clock.now()
    ticket.save(update_fields=[*fields, "version", "updated_at"])


def record(ticket: Ticket, kind: EventKind, actor: User | None, *, body: str = "",
           public: bool = False, **data: Any) -> TicketEvent:
    """Append one journal event; the SLA clock follows it when the event can move it."""
    event = TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=actor, created_at=clock.now(), public=public,
        body=body, data={k: v for k, v in data.items() if v is not None},
    )
    refresh_after(ticket, event)
    return event


def record_creation(ticket: Ticket, actor: User | None, **data: Any) -> TicketEvent:
    """Insert a new ticket and its ``created`` event (its description, public), with its SLA
    clock already started from that event."""
    event = TicketEvent(kind=EventKind.CREATED, actor=actor, created_at=ticket.created_at,
                        public=True, body=ticket.description,
                        data={k: v for k, v in data.items() if v is not None})
    start_clock(ticket, event)
    ticket.save(force_insert=True)
    event.ticket = ticket
    event.save(force_insert=True)
    return event


def require_text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(f"{label} is required.", fields={field: "required"})
    return text
