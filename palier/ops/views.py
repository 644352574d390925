"""Operations endpoints: ``/healthz``, ``/readyz`` and ``/metrics``."""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from palier.ops import health, metrics


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving (no dependency is checked), and which process it is:
    behind a balancer or ``palier serve --prod``, a caller can tell when all are serving."""
    return JsonResponse({"status": "ok", "process": os.getpid()})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, migrations are applied and a worker beat recently."""
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    return JsonResponse(
        {"status": "ready" if ready else "not ready",
         "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}},
        status=200 if ready else 503)


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, for the addresses allowed in ``PALIER_METRICS_ALLOW``."""
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        return HttpResponse("Metrics are not served to this address.\n", status=403,
                            content_type="text/plain")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.PALIER_METRICS_ALLOW)
