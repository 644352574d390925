"""Prometheus metrics: HTTP requests (recorded per process by ``MetricsMiddleware``) and desk
gauges computed at scrape time (``DeskCollector``) from cheap indexed queries.

Under ``palier serve --prod`` several gunicorn processes record requests; the
``PROMETHEUS_MULTIPROC_DIR`` set by the supervisor lets ``/metrics`` add them up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from palier.core import clock
from palier.ops import heartbeat
from palier.tickets.models import ACTIVE_STATUSES, Ticket

REQUESTS = Counter("palier_http_requests", "HTTP requests served.",
                   ["route", "method", "status"])
LATENCY = Histogram("palier_http_request_duration_seconds", "Time to serve a request.",
                    ["route", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10))
_BREACH_FIELDS = {"response": "response_breached_at", "resolution": "resolution_breached_at",
                  "ola": "ola_breached_at"}


def route_of(request: HttpRequest) -> str:
    """The URL pattern that served the request (bounded cardinality), or ``unmatched``."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else "unmatched"


class MetricsMiddleware:
    """Counts requests and times them by route, method and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        return response


class DeskCollector(Collector):
    """Queue depths per level, tickets in breach, worker lag and heartbeat age."""

    def collect(self) -> Iterator[Metric]:
        yield from self._queues()
        now = clock.now()
        lag = GaugeMetricFamily("palier_sla_worker_lag_seconds",
                                "How late the most overdue SLA check is (0: none overdue).")
        oldest = (Ticket.objects.filter(next_sla_check_at__isnull=False)
                  .aggregate(oldest=Min("next_sla_check_at"))["oldest"])
        lag.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        yield lag
        beat = GaugeMetricFamily("palier_worker_heartbeat_age_seconds",
                                 "Seconds since a worker last beat (-1: never).")
        last = heartbeat.last_beat()
        beat.add_metric([], (now - last).total_seconds() if last else -1.0)
        yield beat

    def _queues(self) -> Iterator[Metric]:
        active = Ticket.objects.filter(status__in=ACTIVE_STATUSES)
        breached = {f"{target}_breached": Count("id", filter=Q(**{f"{field}__isnull": False}))
                    for target, field in _BREACH_FIELDS.items()}
        rows = active.values("level__code").annotate(depth=Count("id"), **breached)
        depth = GaugeMetricFamily("palier_queue_depth", "Active tickets per support level.",
                                  labels=["level"])
        breach = GaugeMetricFamily("palier_sla_breached_tickets",
                                   "Active tickets whose SLA/OLA target is breached.",
                                   labels=["level", "target"])
        for row in rows:
            depth.add_metric([row["level__code"]], row["depth"])
            for target in _BREACH_FIELDS:
                breach.add_metric([row["level__code"], target], row[f"{target}_breached"])
        yield depth
        yield breach


def exposition() -> tuple[bytes, str]:
    """The metrics page: this process's (or all processes') requests and the desk gauges."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    desk = CollectorRegistry()
    desk.register(DeskCollector())
    return body + generate_latest(desk), CONTENT_TYPE_LATEST
