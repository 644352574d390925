"""The managers' dashboard: the report selectors over the last N days, read in one call.

Same scope as every report (``selectors.report_scope``): a manager sees the clients they
serve, an administrator every client; a client outside the scope is not found.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from palier.accounts.models import User
from palier.clients.models import Client
from palier.core import clock
from palier.core.errors import ValidationFailed
from palier.reports import selectors
from palier.reports.selectors import ReportFilter

PERIODS = (7, 30, 90)


def clients_of(actor: User) -> list[tuple[int, str]]:
    """The clients the actor may filter the dashboard by (refused like every report)."""
    scope = selectors.report_scope(actor)
    clients = Client.objects.order_by("name")
    if scope.client_ids is not None:
        clients = clients.filter(pk__in=scope.client_ids)
    return list(clients.values_list("pk", "name"))


def period(days: int) -> ReportFilter:
    """The last ``days`` days, today included (desk days, as every report period)."""
    if days not in PERIODS:
        raise ValidationFailed(_("Choose a period of 7, 30 or 90 days."),
                               fields={"days": "unknown"})
    today = timezone.localdate(clock.now(), timezone.get_default_timezone())
    return ReportFilter(start=today - timedelta(days=days - 1), end=today + timedelta(days=1))


def dashboard(actor: User, days: int, client_id: int | None = None) -> dict:
    """Volume per day and per level, the tier rates, SLA compliance and the backlog by age.

    ``daily`` has a row for every day of the period (zeros included); ``levels`` the
    levels in rank order with the cases that started at and reached each; the backlog is
    the active tickets now, whatever the period. The scope and filter are checked once and
    shared by the four selectors.
    """
    base = period(days)
    flt = ReportFilter(start=base.start, end=base.end, client_id=client_id)
    checked = selectors.check(actor, flt)
    tiers = selectors.tiers(actor, flt, checked)
    volume = selectors.volume(actor, flt, checked, categories=False)
    started = {row["key"]: row["volume"] for row in volume["by_start_level"]}
    return {
        "start": flt.start, "end": flt.end - timedelta(days=1), "client_id": client_id,
        "tiers": tiers, "daily": _every_day(flt.start, flt.end, volume["by_day"]),
        "levels": [{"level": code, "started": started.get(code, 0), "reached": reached}
                   for code, reached in tiers["reached"].items()],
        "sla": selectors.sla(actor, flt, checked),
        "backlog": selectors.backlog(actor, flt, checked),
    }


def _every_day(start: date, end: date, by_day: dict) -> dict:
    """The per-day series with the days without a case as zeros."""
    known = {day: i for i, day in enumerate(by_day["labels"])}
    span = {(start + timedelta(days=n)).isoformat() for n in range((end - start).days)}
    labels = sorted(span | set(known))
    return {"labels": labels,
            "series": {key: [values[known[day]] if day in known else 0 for day in labels]
                       for key, values in by_day["series"].items()}}
