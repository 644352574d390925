"""``/metrics``: requests by route and status, and desk gauges computed at scrape time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from palier.core import clock
from palier.ops import heartbeat
from palier.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_requests_are_counted_by_route_method_and_status(client):
    before = scrape(client).get(
        ("palier_http_requests_total", (("method", "GET"), ("route", "/healthz"),
                                        ("status", "200"))), 0)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page")
    after = scrape(client)
    key = ("palier_http_requests_total", (("method", "GET"), ("route", "/healthz"),
                                          ("status", "200")))
    assert after[key] == before + 2
    assert after[("palier_http_requests_total", (("method", "GET"), ("route", "unmatched"),
                                                 ("status", "404")))] >= 1
    assert after[("palier_http_request_duration_seconds_count",
                  (("method", "GET"), ("route", "/healthz")))] >= 2


def test_api_routes_are_labelled_by_pattern_not_by_id(client, desk):
    from palier.accounts.services import create_token

    _, secret = create_token(desk.a.l1, name="m")
    ticket = desk.open(desk.a)
    client.get(f"/api/v1/tickets/{ticket.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    routes = {dict(labels).get("route") for (name, labels) in scrape(client)
              if name == "palier_http_requests_total"}
    assert f"/api/v1/tickets/{ticket.pk}" not in routes
    assert "/api/v1/tickets/<ticket_id>" in routes


def test_queue_depth_per_level_and_breached_tickets(client, desk):
    first, second = desk.open(desk.a), desk.open(desk.b)
    Ticket.objects.filter(pk=second.pk).update(resolution_breached_at=clock.now())
    samples = scrape(client)
    assert samples[("palier_queue_depth", (("level", "L1"),))] == 2
    assert samples[("palier_sla_breached_tickets",
                    (("level", "L1"), ("target", "resolution")))] == 1
    assert samples[("palier_sla_breached_tickets",
                    (("level", "L1"), ("target", "response")))] == 0
    assert first.pk


def test_worker_lag_is_how_late_the_most_overdue_sla_check_is(client, desk):
    ticket = desk.open(desk.a)
    Ticket.objects.update(next_sla_check_at=None)
    assert scrape(client)[("palier_sla_worker_lag_seconds", ())] == 0
    Ticket.objects.filter(pk=ticket.pk).update(
        next_sla_check_at=clock.now() - timedelta(seconds=90))
    assert 90 <= scrape(client)[("palier_sla_worker_lag_seconds", ())] < 120


def test_heartbeat_age_is_exported(client):
    assert scrape(client)[("palier_worker_heartbeat_age_seconds", ())] == -1
    heartbeat.beat()
    assert 0 <= scrape(client)[("palier_worker_heartbeat_age_seconds", ())] < 5


def test_the_desk_gauges_cost_a_few_indexed_queries(client, desk, django_assert_max_num_queries):
    for _ in range(3):
        desk.open(desk.a)
    with django_assert_max_num_queries(3):
        client.get("/metrics")


def test_metrics_are_refused_to_addresses_outside_the_allowed_networks(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
