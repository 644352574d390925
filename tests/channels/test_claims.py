"""Several workers never handle the same queued row (PostgreSQL: SKIP LOCKED)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from palier.channels.models import OutboundMessage, WebhookDelivery
from palier.channels.services import claims, journal
from palier.core import clock


def test_backoff_doubles_and_is_capped():
    assert [claims.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert claims.backoff(50).total_seconds() == 6 * 3600


@pytest.mark.django_db
def test_a_claimed_row_is_not_claimed_again(desk):
    desk.open(desk.a)
    journal.scan()
    now = clock.now()
    first = claims.claim(OutboundMessage, now, batch=10)
    assert len(first) == 1
    assert claims.claim(OutboundMessage, now, batch=10) == []
    assert claims.claim(OutboundMessage, now + claims.LEASE * 2, batch=10) == first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_disjoint_rows(desk):
    for n in range(12):
        desk.open(desk.a, title=f"Ticket {n}")
    journal.scan()
    total = OutboundMessage.objects.count()
    now, results, barrier = clock.now(), [], threading.Barrier(4)

    def work() -> None:
        try:
            barrier.wait()
            while ids := claims.claim(OutboundMessage, now, batch=2):
                results.append(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [pk for ids in results for pk in ids]
    assert len(claimed) == len(set(claimed)) == total
    assert WebhookDelivery.objects.count() == 0
