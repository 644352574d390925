"""The dashboard: volume per day and per level, the tier rates, SLA compliance and the
backlog by age, over the last 7, 30 or 90 days, for the people who may read reports
(desk managers and administrators); anyone else finds no such page."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palier.console import charts
from palier.console.chart_forms import DashboardForm
from palier.console.views.common import staff_required
from palier.core.errors import PermissionDenied
from palier.reports import dashboard

TEMPLATE = "console/dashboard.html"


@staff_required
def dashboard_page(request):
    try:
        clients = dashboard.clients_of(request.user)
    except PermissionDenied:
        raise Http404 from None
    form = DashboardForm.from_query(request.GET, clients)
    context = {"section": "dashboard", "form": form}
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        data = dashboard.dashboard(request.user, form.cleaned_data["days"],
                                   form.cleaned_data["client"])
    except PermissionDenied:
        raise Http404 from None
    return render(request, TEMPLATE, {**context, "data": data, "charts": _charts(data)})


def _charts(data: dict) -> list[dict]:
    return [_daily(data["daily"]), _levels(data["levels"]), _rates(data["tiers"]),
            _sla(data["sla"]), _backlog(data["backlog"])]


def _daily(daily: dict) -> dict:
    days = [date.fromisoformat(d) for d in daily["labels"]]
    stride = max(1, len(days) // 7)
    series = daily["series"]
    return charts.time_chart(
        "daily", _("Tickets per day"), x_label=_("Day"), y_label=_("Tickets"),
        labels=[date_format(d, "D j M") for d in days],
        ticks=[(i, date_format(d, "j M")) for i, d in enumerate(days) if i % stride == 0],
        integer=True, series=[charts.Series(_("Created"), series["created"]),
                              charts.Series(_("Escalated"), series["escalated"]),
                              charts.Series(_("First-contact resolution"), series["fcr"])])


def _levels(levels: list[dict]) -> dict:
    return charts.bar_chart(
        "levels", _("Volume per level"), x_label=_("Level"), y_label=_("Tickets"),
        categories=[lv["level"] for lv in levels], integer=True,
        series=[charts.Series(_("Started at the level"), [lv["started"] for lv in levels]),
                charts.Series(_("Reached the level"), [lv["reached"] for lv in levels])])


def _rates(tiers: dict) -> dict:
    rates = {_("First-contact resolution"): tiers["fcr_rate"],
             _("Resolved at L1"): tiers["l1_resolution_rate"],
             _("Escalation"): tiers["escalation_rate"],
             _("Returned escalations"): tiers["return_rate"],
             _("Reopened"): tiers["reopen_rate"]}
    return charts.bar_chart(
        "rates", _("Resolution, escalation and return rates"), x_label=_("Rate"),
        y_label=_("Share"), categories=list(rates), percent=True,
        series=[charts.Series(_("Rate"), list(rates.values()))])


def _sla(sla: dict) -> dict:
    rows = [{"priority": _("All"), **sla["overall"]}, *sla["by_priority"]]
    measures = {_("First response"): "response_compliance",
                _("Resolution"): "resolution_compliance", _("OLA"): "ola_compliance"}
    return charts.bar_chart(
        "sla", _("SLA compliance"), x_label=_("Priority"), y_label=_("Met"),
        categories=[str(r["priority"]) for r in rows], percent=True,
        series=[charts.Series(name, [r[key] for r in rows]) for name, key in measures.items()])


AGES = {"<1d": lambda: _("under 1 day"), "1-3d": lambda: _("1–3 days"),
        "3-7d": lambda: _("3–7 days"), "7-30d": lambda: _("7–30 days"),
        ">30d": lambda: _("over 30 days")}


def _backlog(backlog: dict) -> dict:
    rows = backlog["by_level"]
    return charts.bar_chart(
        "backlog", _("Backlog by age, now"), x_label=_("Level"), y_label=_("Active tickets"),
        categories=[r["level"] for r in rows], stacked=True, integer=True,
        series=[charts.Series(AGES[label]() if label in AGES else label,
                              [r["ages"][k] for r in rows])
                for k, label in enumerate(backlog["age_labels"])])
