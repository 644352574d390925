"""Outbound mail: queue one message per notification owed, send the due ones.

``queue`` runs inside the journal reader's transaction; ``send_due`` is a worker job that
claims queued messages (no two workers send the same one), sends them through Django's
SMTP backend, and retries with exponential backoff. A message refused for good, or still
failing after ``PALIER_NOTIFY_MAX_ATTEMPTS`` tries, is marked failed and journaled on the
ticket (``NOTIFICATION_FAILED``).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from palier.channels.models import Delivery, OutboundMessage
from palier.channels.services import compose
from palier.channels.services.claims import backoff, claim
from palier.channels.services.recipients import Recipient
from palier.core import clock
from palier.tickets.models import TicketEvent
from palier.tickets.services.notifications import record_notification_failure

log = logging.getLogger("palier.channels")
BATCH = 50


def queue(event: TicketEvent, recipients: list[Recipient]) -> int:
    """Queue the notifications; one per (event, recipient, kind), whoever calls twice."""
    if not recipients:
        return 0
    in_reply_to, references = compose.threading(event.ticket)
    now = clock.now()
    rows = []
    for r in recipients:
        language, subject, body = compose.render(event, r)
        rows.append(OutboundMessage(
            event=event, ticket=event.ticket, kind=r.kind, recipient=r.address.lower(),
            user=r.user, language=language, subject=subject, body=body,
            message_id=compose.message_id(event.ticket, event, r.kind, r.address),
            in_reply_to=in_reply_to, references=references, created_at=now,
            next_attempt_at=now))
    OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send_due(batch: int = BATCH) -> int:
    """Send the queued messages whose time has come; returns how many were tried."""
    ids = claim(OutboundMessage, clock.now(), batch=batch)
    if not ids:
        return 0
    messages = OutboundMessage.objects.filter(pk__in=ids).order_by("pk")
    connection = get_connection(fail_silently=False)
    try:
        for message in messages:
            _send_one(connection, message)
    finally:
        try:
            connection.close()
        except Exception:  # a broken connection cannot be closed cleanly; it is gone anyway
            log.debug("SMTP connection close failed", exc_info=True)
    return len(ids)


def _send_one(connection, message: OutboundMessage) -> None:
    mail = EmailMessage(
        subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient], connection=connection,
        headers={
            "Message-ID": message.message_id, "In-Reply-To": message.in_reply_to,
            "References": message.references, "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All", "Content-Language": message.language,
        })
    try:
        mail.send()
    except Exception as exc:  # SMTP, socket and DNS errors alike: retry or give up
        _failed(message, exc)
        return
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Delivery.SENT, sent_at=clock.now(), attempts=message.attempts + 1,
        claimed_until=None, last_error="")


def _permanent(exc: Exception) -> bool:
    """A 5xx answer or refused recipients: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _failed(message: OutboundMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    now = clock.now()
    if _permanent(exc) or attempts >= settings.PALIER_NOTIFY_MAX_ATTEMPTS:
        with transaction.atomic():
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=Delivery.FAILED, attempts=attempts, last_error=error,
                claimed_until=None, next_attempt_at=None)
            record_notification_failure(message.ticket_id, recipient=message.recipient,
                                        notification=message.kind, reason=error,
                                        attempts=attempts)
        log.warning("Notification %s to %s failed for good: %s", message.pk,
                    message.recipient, error)
        return
    OutboundMessage.objects.filter(pk=message.pk).update(
        attempts=attempts, last_error=error, claimed_until=None,
        next_attempt_at=now + backoff(attempts))
