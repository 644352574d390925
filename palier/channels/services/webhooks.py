"""Webhooks: queue one delivery per (subscription, event), deliver the due ones.

Each delivery is signed (``palier.channels.signing``), checked against SSRF
(``palier.channels.netguard``), posted with ``httpx`` with timeouts and no redirects,
logged (``WebhookAttempt``), and retried with exponential backoff until it succeeds or
``PALIER_WEBHOOK_MAX_ATTEMPTS`` is reached. A subscription failing
``PALIER_WEBHOOK_DISABLE_AFTER`` times in a row is disabled.
"""

from __future__ import annotations

import json
import time

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F

from palier.channels import netguard, signing
from palier.channels.models import Delivery, WebhookAttempt, WebhookDelivery, WebhookSubscription
from palier.channels.services.claims import backoff, claim
from palier.core import clock
from palier.tickets.models import TicketEvent

BATCH = 50
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def payload(event: TicketEvent) -> dict:
    ticket = event.ticket
    return {
        "id": event.pk, "kind": event.kind, "created_at": event.created_at.isoformat(),
        "public": event.public, "body": event.body if event.public else "",
        "ticket": {"id": ticket.pk, "number": ticket.number, "title": ticket.title,
                   "status": ticket.status, "priority": ticket.priority,
                   "level": ticket.level.code, "client": ticket.client.code},
    }


def active_subscriptions() -> list[WebhookSubscription]:
    """Every active subscription, read once for a batch of events (``queue``)."""
    return list(WebhookSubscription.objects.filter(is_active=True).order_by("pk"))


def queue(event: TicketEvent, subscriptions: list[WebhookSubscription]) -> int:
    """One delivery per active subscription (of ``active_subscriptions``) of the desk or of
    the ticket's client that wants this kind of event."""
    client_id = event.ticket.client_id
    wanted = [s for s in subscriptions if s.client_id in (None, client_id)
              and (not s.event_kinds or event.kind in s.event_kinds)]
    if not wanted:
        return 0
    now, body = clock.now(), payload(event)
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event=event, payload=body, created_at=now,
                         next_attempt_at=now) for s in wanted], ignore_conflicts=True)
    return len(wanted)


def deliver_due(batch: int = BATCH) -> int:
    ids = claim(WebhookDelivery, clock.now(), batch=batch)
    if not ids:  # the usual round: no HTTP client (building one loads the CA bundle, ~20 ms)
        return 0
    deliveries = WebhookDelivery.objects.filter(pk__in=ids).select_related("subscription")
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        for delivery in deliveries.order_by("pk"):
            _deliver(client, delivery)
    return len(ids)


def _deliver(client: httpx.Client, delivery: WebhookDelivery) -> None:
    sub = delivery.subscription
    sub.refresh_from_db(fields=["is_active"])  # an earlier delivery of the batch may disable it
    if not sub.is_active:
        _finish(delivery, Delivery.FAILED, error="The subscription is disabled.")
        return
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    started, code, error = time.monotonic(), None, ""
    try:
        pinned = netguard.check_url(sub.url, allow_private=sub.allow_private_network)
        headers = {"Host": pinned.host_header, "Content-Type": "application/json",
                   "User-Agent": "Palier-Webhooks/1",
                   "X-Palier-Event": delivery.payload.get("kind", ""),
                   "X-Palier-Delivery": str(delivery.pk),
                   **signing.headers(sub.secret, int(clock.now().timestamp()), body)}
        response = client.post(pinned.url, content=body, headers=headers,
                               extensions={"sni_hostname": pinned.hostname})
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except (netguard.Refused, httpx.HTTPError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
    WebhookAttempt.objects.create(delivery=delivery, at=clock.now(), status_code=code,
                                  error=error,
                                  duration_ms=int((time.monotonic() - started) * 1000))
    if error:
        _failure(delivery, sub)
    else:
        WebhookSubscription.objects.filter(pk=sub.pk).update(consecutive_failures=0)
        _finish(delivery, Delivery.SENT)


def _finish(delivery: WebhookDelivery, status: str, error: str = "") -> None:
    now = clock.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, attempts=delivery.attempts + 1, claimed_until=None,
        next_attempt_at=None, delivered_at=now if status == Delivery.SENT else None)
    if error:
        WebhookAttempt.objects.create(delivery=delivery, at=now, error=error)


def _failure(delivery: WebhookDelivery, sub: WebhookSubscription) -> None:
    attempts = delivery.attempts + 1
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=sub.pk).update(
            consecutive_failures=F("consecutive_failures") + 1)
        WebhookSubscription.objects.filter(
            pk=sub.pk, is_active=True,
            consecutive_failures__gte=settings.PALIER_WEBHOOK_DISABLE_AFTER,
        ).update(is_active=False, disabled_at=clock.now())
        if attempts >= settings.PALIER_WEBHOOK_MAX_ATTEMPTS:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.FAILED, attempts=attempts, claimed_until=None,
                next_attempt_at=None)
            return
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, claimed_until=None,
            next_attempt_at=clock.now() + backoff(attempts, base=30.0))
