"""Journal entries written on behalf of the notification channels."""

from __future__ import annotations

from django.db import transaction

from palier.core.errors import NotFound
from palier.tickets.models import EventKind, Ticket, TicketEvent
from palier.tickets.services.base import record


def record_notification_failure(ticket_id: int, *, recipient: str, notification: str,
                                reason: str, attempts: int) -> TicketEvent:
    """Journal that a notification could not be delivered (internal, by the system)."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            raise NotFound(f"Ticket {ticket_id} was not found.")
        return record(ticket, EventKind.NOTIFICATION_FAILED, None,
                      body=f"The {notification} notification to {recipient} could not be "
                           f"delivered: {reason}",
                      recipient=recipient, notification=notification, attempts=attempts)
