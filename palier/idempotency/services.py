"""Opening a ticket once per idempotency key, so that clients may retry safely.

A client that lost the answer to a create (a reset connection, a 503 while the database
restarted) cannot know whether the ticket was opened. It sends the same request again with
the same key: the first time opens the ticket and stores the key with it in one transaction;
a repeat with the same fields opens nothing, journals nothing, and answers with that ticket.
Keys belong to the user who sent them and are forgotten after ``TTL``.

Two requests with the same key at the same time: the unique constraint on (user, key) makes
the second one wait for the first one's transaction, fail its insert and replay the ticket
the first one opened (its own ticket is rolled back with it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import DomainError, ValidationFailed
from palier.idempotency.models import IdempotencyKey
from palier.tickets.models import Ticket
from palier.tickets.selectors import access_ticket
from palier.tickets.services import open_ticket

TTL = timedelta(hours=24)
PURGE_EVERY_SECONDS = 300.0
PURGE_BATCH = 5000
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,100}")


@dataclass(frozen=True)
class Opened:
    """The ticket a create answers with; ``replayed``: opened by an earlier request."""

    ticket: Ticket
    replayed: bool


def check_key(key: str) -> str:
    """The key if it is 1–100 printable ASCII characters; otherwise a 400 saying why."""
    if not KEY_PATTERN.fullmatch(key):
        raise DomainError("The Idempotency-Key header must be 1 to 100 printable ASCII "
                          "characters.", code="idempotency_key_invalid")
    return key


def fingerprint(fields: dict) -> str:
    """SHA-256 of the request's fields, independent of their order."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def open_ticket_once(actor: User, key: str | None, **fields) -> Opened:
    """``open_ticket(actor, **fields)``, at most once per (actor, key) within ``TTL``.

    Without a key it simply opens the ticket. The same key with other fields is a 422
    ``idempotency_key_reused``."""
    if key is None:
        return Opened(open_ticket(actor, **fields), replayed=False)
    check_key(key)
    digest = fingerprint(fields)
    earlier = _earlier(actor, key)
    if earlier is not None:
        return _replay(actor, earlier, digest)
    try:
        with transaction.atomic():
            ticket = open_ticket(actor, **fields)
            IdempotencyKey.objects.create(user=actor, key=key, fingerprint=digest,
                                          ticket=ticket, created_at=clock.now())
    except IntegrityError:
        earlier = _earlier(actor, key)  # a concurrent request with this key committed first
        if earlier is None:
            raise
        return _replay(actor, earlier, digest)
    return Opened(ticket, replayed=False)


def _earlier(actor: User, key: str) -> IdempotencyKey | None:
    """The live record of this key; an expired one not purged yet is deleted."""
    found = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if found is not None and found.created_at < clock.now() - TTL:
        IdempotencyKey.objects.filter(pk=found.pk).delete()
        return None
    return found


def _replay(actor: User, earlier: IdempotencyKey, digest: str) -> Opened:
    if earlier.fingerprint != digest:
        raise ValidationFailed(
            "This Idempotency-Key was already used for a different request; send a new key "
            "for a new ticket.", code="idempotency_key_reused")
    return Opened(access_ticket(actor, earlier.ticket_id), replayed=True)


def purge_expired() -> int:
    """Forget keys older than ``TTL`` (a worker job), a batch at a time; how many went."""
    cutoff = clock.now() - TTL
    ids = list(IdempotencyKey.objects.filter(created_at__lt=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:PURGE_BATCH])
    if not ids:
        return 0
    deleted, _ = IdempotencyKey.objects.filter(pk__in=ids).delete()
    return deleted
