"""Webhooks: signed, retried with backoff, delivered once, SSRF-guarded, auto-disabled."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palier.channels import netguard
from palier.channels.models import (
    Delivery,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from palier.channels.services import journal, webhooks

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A real HTTP endpoint on loopback that fails ``fail`` times, then accepts."""

    def __init__(self, fail: int = 0) -> None:
        self.fail, self.calls, self.accepted = fail, 0, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls += 1
                if receiver.calls <= receiver.fail:
                    self.send_response(503)
                else:
                    receiver.accepted.append((dict(self.headers), body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/palier"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(fail: int = 0) -> Receiver:
        made.append(Receiver(fail))
        return made[-1]
    yield make
    for r in made:
        r.close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The reference implementation a receiver would write."""
    timestamp = headers["X-Palier-Timestamp"]
    expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Palier-Signature"])


def subscribe(url: str, client=None, **extra) -> WebhookSubscription:
    extra.setdefault("allow_private_network", True)
    return WebhookSubscription.objects.create(name="ops", url=url, secret=SECRET,
                                              client=client, **extra)


def test_a_delivery_is_signed_and_verifies(desk, receiver):
    r = receiver()
    subscribe(r.url)
    ticket = desk.open(desk.a)
    journal.scan()
    assert webhooks.deliver_due() == 1
    [(headers, body)] = r.accepted
    assert verify(SECRET, headers, body)
    assert not verify("another secret", headers, body)
    assert not verify(SECRET, headers, body.replace(b"created", b"resolved"))
    payload = json.loads(body)
    assert payload["kind"] == "created" and payload["ticket"]["number"] == ticket.number
    assert headers["X-Palier-Event"] == "created"


def test_a_receiver_failing_three_times_gets_the_event_exactly_once(desk, receiver):
    r = receiver(fail=3)
    subscribe(r.url)
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        desk.open(desk.a)
        journal.scan()
        for _ in range(12):
            webhooks.deliver_due()
            clock.shift(600)
    assert r.calls == 4 and len(r.accepted) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Delivery.SENT and delivery.attempts == 4
    log = list(WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code",
                                                                            flat=True))
    assert log == [503, 503, 503, 204]
    assert WebhookSubscription.objects.get().consecutive_failures == 0


def test_retries_back_off_exponentially(desk, receiver):
    r = receiver(fail=10)
    subscribe(r.url)
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        desk.open(desk.a)
        journal.scan()
        webhooks.deliver_due()
        for _ in range(3):
            clock.move_to(WebhookDelivery.objects.get().next_attempt_at)
            webhooks.deliver_due()
    attempts = list(WebhookAttempt.objects.order_by("at").values_list("at", flat=True))
    spacing = [(b - a).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert spacing == [30, 60, 120]


def test_only_the_chosen_events_and_the_subscriptions_client(desk, receiver):
    r = receiver()
    subscribe(r.url, client=desk.b.client, event_kinds=["resolved"])
    desk.open(desk.a)
    desk.open(desk.b)
    journal.scan()
    assert webhooks.deliver_due() == 0 and WebhookDelivery.objects.count() == 0


def test_the_journal_reads_the_subscriptions_once_per_batch(desk, receiver):
    r = receiver()
    subscribe(r.url, client=desk.a.client)
    subscribe(r.url, client=desk.b.client, event_kinds=["resolved"])
    subscribe(r.url)  # the whole desk
    for _ in range(3):
        desk.open(desk.a)
    desk.open(desk.b)
    with CaptureQueriesContext(connection) as queries:
        journal.scan()
    reads = [q["sql"] for q in queries.captured_queries
             if 'FROM "channels_webhooksubscription"' in q["sql"]]
    assert len(reads) == 1
    assert WebhookDelivery.objects.count() == 3 * 2 + 1  # a's: its client's and the desk's


def test_an_idle_round_builds_no_http_client(desk, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an HTTP client was built with nothing to deliver")

    monkeypatch.setattr(webhooks.httpx, "Client", refuse)
    assert webhooks.deliver_due() == 0


def test_loopback_is_refused_without_the_admin_flag(desk, receiver):
    r = receiver()
    subscribe(r.url, allow_private_network=False)
    desk.open(desk.a)
    journal.scan()
    webhooks.deliver_due()
    assert r.calls == 0
    [attempt] = WebhookAttempt.objects.all()
    assert "non-public address" in attempt.error


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://10.1.2.3/", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/",
                                 "http://192.168.0.1/", "ftp://example.com/",
                                 "http://user:pw@example.com/"])
def test_netguard_refuses_internal_and_odd_urls(url):
    with pytest.raises(netguard.Refused):
        netguard.check_url(url, allow_private=False)


def test_a_subscription_is_disabled_after_repeated_failures(desk, receiver, settings):
    settings.PALIER_WEBHOOK_DISABLE_AFTER = 3
    r = receiver(fail=100)
    sub = subscribe(r.url)
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        desk.open(desk.a)
        desk.open(desk.a)
        journal.scan()
        for _ in range(4):
            webhooks.deliver_due()
            clock.shift(3600)
    sub.refresh_from_db()
    assert not sub.is_active and sub.disabled_at is not None
    assert r.calls == 3


def test_the_request_goes_to_the_address_that_was_checked(monkeypatch):
    import ipaddress

    monkeypatch.setattr(netguard, "addresses",
                        lambda host, port: [ipaddress.ip_address("93.184.215.14")])
    pinned = netguard.check_url("https://hooks.example.com:8443/in?x=1", allow_private=False)
    assert pinned.url == "https://93.184.215.14:8443/in?x=1"
    assert (pinned.hostname, pinned.host_header) == ("hooks.example.com",
                                                    "hooks.example.com:8443")


def test_a_name_resolving_to_loopback_is_refused(desk, receiver):
    r = receiver()
    subscribe(r.url.replace("127.0.0.1", "localhost"), allow_private_network=False)
    desk.open(desk.a)
    journal.scan()
    webhooks.deliver_due()
    assert r.calls == 0 and "non-public" in WebhookAttempt.objects.get().error
