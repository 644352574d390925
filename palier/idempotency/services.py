"""Writes done once per idempotency key, so that clients may retry safely.

A client that lost the answer to a write (a reset connection, a 503 while the database
restarted) cannot know whether it was done. It sends the same request again with the same
key: the first time does the write and stores the key with what it answered in the write's
own transaction; a repeat with the same operation and fields writes nothing, journals
nothing, and gets the stored answer again. Keys belong to the user who sent them and are
forgotten after ``TTL``. A refused write (``DomainError``) stores nothing: the client may
fix the cause and send the key again.

Two requests with the same key at the same time: the second waits for the first's
transaction (on the ticket's row lock, or on the unique constraint on (user, key)), then
either fails its insert or is refused by the state the first left; either way it is rolled
back and replays what the first answered.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

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
OPEN_TICKET = "open_ticket"


@dataclass(frozen=True)
class Answer:
    """What a write answered, stored with its key: the ticket it concerns, the HTTP status,
    the JSON body (None: the caller shows the ticket as it is now)."""

    ticket_id: int
    status: int
    body: Any = None


@dataclass(frozen=True)
class Done:
    """``answer`` to give; ``result``: what the write returned (None when ``replayed``)."""

    answer: Answer
    replayed: bool
    result: Any = None


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


def once(actor: User, key: str, operation: str, fields: dict,
         write: Callable[[], tuple[Any, Answer]]) -> Done:
    """``write()`` at most once per (actor, key) within ``TTL``; it returns its result and
    its answer, stored with the key in its transaction. A repeat of the same ``operation``
    with the same ``fields`` replays the answer; with others it is a 422
    ``idempotency_key_reused``."""
    check_key(key)
    digest = fingerprint(fields)
    earlier = _earlier(actor, key)
    if earlier is not None:
        return _replay(earlier, operation, digest)
    try:
        with transaction.atomic():
            result, answer = write()
            IdempotencyKey.objects.create(
                user=actor, key=key, operation=operation, fingerprint=digest,
                ticket_id=answer.ticket_id, status=answer.status, response=answer.body,
                created_at=clock.now())
    except (IntegrityError, DomainError):
        earlier = _earlier(actor, key)  # a concurrent request with this key committed first
        if earlier is None:
            raise
        return _replay(earlier, operation, digest)
    return Done(answer, replayed=False, result=result)


def open_ticket_once(actor: User, key: str | None, **fields) -> Opened:
    """``open_ticket(actor, **fields)``, at most once per (actor, key) within ``TTL``.

    Without a key it simply opens the ticket. A replay answers with the ticket as it is
    now."""
    if key is None:
        return Opened(open_ticket(actor, **fields), replayed=False)

    def write() -> tuple[Ticket, Answer]:
        ticket = open_ticket(actor, **fields)
        return ticket, Answer(ticket.pk, 201)

    done = once(actor, key, OPEN_TICKET, fields, write)
    if done.replayed:
        return Opened(access_ticket(actor, done.answer.ticket_id), replayed=True)
    return Opened(done.result, replayed=False)


def _earlier(actor: User, key: str) -> IdempotencyKey | None:
    """The live record of this key; an expired one not purged yet is deleted."""
    found = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if found is not None and found.created_at < clock.now() - TTL:
        IdempotencyKey.objects.filter(pk=found.pk).delete()
        return None
    return found


def _replay(earlier: IdempotencyKey, operation: str, digest: str) -> Done:
    if (earlier.operation, earlier.fingerprint) != (operation, digest):
        raise ValidationFailed(
            "This Idempotency-Key was already used for a different request; send a new key "
            "for a new request.", code="idempotency_key_reused")
    return Done(Answer(earlier.ticket_id, earlier.status, earlier.response), replayed=True)


def purge_expired() -> int:
    """Forget keys older than ``TTL`` (a worker job), a batch at a time; how many went."""
    cutoff = clock.now() - TTL
    ids = list(IdempotencyKey.objects.filter(created_at__lt=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:PURGE_BATCH])
    if not ids:
        return 0
    deleted, _ = IdempotencyKey.objects.filter(pk__in=ids).delete()
    return deleted
