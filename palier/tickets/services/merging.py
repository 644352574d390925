"""Merging a duplicate: it closes into its original, which carries on with its text."""

from __future__ import annotations

from django.db import transaction

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import IllegalTransition, ValidationFailed
from palier.tickets.lifecycle import ACTIVE, Action
from palier.tickets.models import EventKind, Ticket
from palier.tickets.services.base import lock, move, record, save


def merge(actor: User, ticket_id: int, *, into_id: int, version: int | None = None) -> Ticket:
    """Close ticket ``ticket_id`` as a duplicate of ``into_id`` and return the duplicate.

    Both tickets belong to one client and the original is still active. The duplicate's
    requester is told where the request is followed (``merged``, public); the original
    gets the duplicate's description and requester as an internal ``duplicate_merged``
    event, so nothing the duplicate said is lost. The duplicate's SLA clock stops as on
    closing. The caller must be able to work the duplicate and see the original.
    """
    with transaction.atomic():
        duplicate, original = _lock_both(actor, ticket_id, into_id, version)
        if into_id == ticket_id:
            raise ValidationFailed("A ticket cannot be merged into itself.",
                                   code="merge_into_itself", fields={"into": "same_ticket"})
        if original.client_id != duplicate.client_id:
            raise ValidationFailed(
                f"{original.number} belongs to another client; only tickets of one client "
                "merge.", code="merge_other_client", fields={"into": "other_client"})
        if original.status not in ACTIVE:
            raise IllegalTransition(f"{original.number} is {original.status}; merge into an "
                                    "active ticket.", code="original_not_active")
        move(duplicate, Action.MERGE)
        duplicate.merged_into, duplicate.closed_at = original, clock.now()
        save(duplicate, "status", "merged_into", "closed_at")
        record(duplicate, EventKind.MERGED, actor, public=True, into=original.number,
               into_id=original.pk)
        save(original)
        record(original, EventKind.DUPLICATE_MERGED, actor, body=duplicate.description,
               duplicate=duplicate.number, duplicate_id=duplicate.pk,
               title=duplicate.title, requester=duplicate.requester.email)
    return duplicate


def _lock_both(actor: User, ticket_id: int, into_id: int,
               version: int | None) -> tuple[Ticket, Ticket]:
    """Lock both rows in id order (two merges crossing each other cannot deadlock); the
    caller must be able to work the duplicate and see the original."""
    locked = {pk: lock(actor, pk, version if pk == ticket_id else None, work=pk == ticket_id)
              for pk in sorted({ticket_id, into_id})}
    return locked[ticket_id], locked[into_id]
