"""CSAT: the requester rates the resolution of their ticket, once."""

from __future__ import annotations

from django.db import transaction

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from palier.tickets.models import EventKind, Satisfaction, Ticket, TicketStatus
from palier.tickets.services.base import lock, record, save

SCORES = range(1, 6)


def rate_resolution(actor: User, ticket_id: int, *, score: int, comment: str = "",
                    version: int | None = None) -> Satisfaction:
    """Record the requester's score (1–5) and comment on a resolved or closed ticket."""
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise ValidationFailed("The score is a whole number from 1 to 5.",
                               fields={"score": "invalid"})
    comment = (comment or "").strip()
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=False)
        _check_can_rate(actor, ticket)
        rating = Satisfaction.objects.create(
            ticket=ticket, score=score, comment=comment, rated_by=actor,
            level_id=ticket.level_id, created_at=clock.now(),
        )
        save(ticket)
        record(ticket, EventKind.SATISFACTION, actor, body=comment, public=True, score=score,
               level=ticket.level.code)
    return rating


def _check_can_rate(actor: User, ticket: Ticket) -> None:
    if ticket.requester_id != actor.pk:
        raise PermissionDenied("Only the ticket's requester rates its resolution.")
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise IllegalTransition(f"{ticket.number} is not resolved yet; it cannot be rated.")
    if Satisfaction.objects.filter(ticket=ticket).exists():
        raise Conflict(f"{ticket.number} has already been rated.")
