"""Inbound mail: one raw message → a ticket, a reply on a ticket, ignored, or quarantine.

Each message is recorded once (``InboundMessage.key``: its Message-ID, or the raw hash);
a second delivery of the same message is recognised and changes nothing. Processing runs
in the same transaction as that record, so a crash commits nothing and the message is
received again; any error rolls the ticket writes back and keeps the raw message in the
quarantine with the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from palier.channels.inbound.parse import ParsedMail, Unparseable, key_of, parse
from palier.channels.models import InboundMessage, Mailbox, Outcome
from palier.channels.services import compose
from palier.channels.services.senders import Rejected, requester_for
from palier.channels.services.threads import deliver
from palier.core import clock

log = logging.getLogger("palier.channels")


@dataclass(frozen=True)
class Received:
    record: InboundMessage
    duplicate: bool = False


def receive(raw: bytes, *, mailbox: Mailbox | None = None) -> Received:
    """Process one raw message; never raises for a bad message (it is quarantined)."""
    key = key_of(raw)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMessage.objects.create(key=key, mailbox=mailbox,
                                                       size=len(raw), received_at=clock.now())
        except IntegrityError:
            return Received(InboundMessage.objects.get(key=key), duplicate=True)
        _process(record, raw, mailbox)
    return Received(record)


def replay(record_id: int) -> InboundMessage:
    """Process a quarantined message again (after the cause was fixed in the admin)."""
    with transaction.atomic():
        record = InboundMessage.objects.select_for_update().get(pk=record_id)
        if record.outcome != Outcome.QUARANTINED or record.raw is None:
            return record
        raw = bytes(record.raw)
        record.replayed_at, record.reason = clock.now(), ""
        _process(record, raw, record.mailbox)
    return record


def _process(record: InboundMessage, raw: bytes, mailbox: Mailbox | None) -> None:
    parsed: ParsedMail | None = None
    stored: list = []
    try:
        parsed = parse(raw, compose.is_ours)
        record.sender, record.subject = _text(parsed.sender)[:250], _text(parsed.subject)[:400]
        if parsed.automatic:
            _finish(record, Outcome.IGNORED, parsed.automatic)
            return
        with transaction.atomic():
            user = requester_for(parsed, mailbox)
            outcome, ticket, notes = deliver(parsed, user, mailbox, stored)
        record.ticket = ticket
        _finish(record, outcome, "; ".join(notes))
    except (Unparseable, Rejected) as exc:
        _quarantine(record, raw, str(exc), stored)
    except Exception as exc:  # a domain refusal or a bug: keep the message, tell why
        log.warning("Inbound message %s quarantined", record.key, exc_info=True)
        _quarantine(record, raw, f"{type(exc).__name__}: {getattr(exc, 'detail', exc)}",
                    stored)


def _finish(record: InboundMessage, outcome: str, reason: str = "") -> None:
    record.outcome, record.reason, record.raw = outcome, _text(reason)[:2000], None
    record.save()


def _quarantine(record: InboundMessage, raw: bytes, reason: str, stored: list) -> None:
    for attachment in stored:  # rolled back with the ticket writes: remove their files
        attachment.file.storage.delete(attachment.file.name)
    record.outcome, record.reason, record.raw, record.ticket = (
        Outcome.QUARANTINED, _text(reason)[:2000], raw, None)
    record.save()


def _text(value: str) -> str:
    """Text a database accepts (PostgreSQL refuses NUL characters)."""
    return value.replace("\x00", "")
