"""The capacity page: the staffing plan from the desk's own history (required and scheduled
agents per level and hour, predicted SLA attainment), with one what-if scenario.

A GET shows the default plan the worker stored (``capacity.stored``); the what-if form posts
and is re-planned from the stored desk model. Desk managers and administrators only; anyone
else finds no such page."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from palier.capacity import services, stored
from palier.console import charts
from palier.console.chart_forms import CapacityForm
from palier.console.views.common import staff_required
from palier.core.errors import PermissionDenied, ValidationFailed

TEMPLATE = "console/capacity.html"
PLAN_TEMPLATE = "console/_capacity_plan.html"
PAGE_CACHE_SECONDS = 24 * 3600


@staff_required
@require_http_methods(["GET", "POST"])
def capacity_page(request):
    posted = request.method == "POST"
    form = CapacityForm.from_data(request.POST if posted else QueryDict())
    context = {"section": "capacity", "form": form, "history_weeks": services.HISTORY_WEEKS}
    if not form.is_valid():
        _planners_only(request.user)
        return render(request, TEMPLATE, context, status=400)
    try:
        if posted:
            plan, chart = stored.what_if(request.user, form.plan_request())
        else:
            plan = stored.default_plan(request.user)
            chart = plan.chart
    except PermissionDenied:
        raise Http404 from None
    except ValidationFailed as exc:  # e.g. a manager serving no client
        return render(request, TEMPLATE, {**context, "error": exc.detail},
                      status=exc.status if posted else 200)
    context["computed_at"] = plan.computed_at
    if chart is None:
        return render(request, TEMPLATE, {**context, "error": stored.problem(plan)})
    if posted:
        return render(request, TEMPLATE, {**context, **_page(chart)})
    return render(request, TEMPLATE, {**context, "plan_html": _stored_page(plan)})


def _stored_page(plan) -> str:
    """The stored plan's totals and charts, rendered once per plan, language and timezone
    (the same for every manager of these clients, until the worker stores a new plan)."""
    key = (f"capacity-page:{plan.scope}:{plan.fingerprint}:{plan.computed_at.timestamp()}:"
           f"{get_language()}:{get_current_timezone_name()}")
    html = cache.get(key)
    if html is None:
        html = render_to_string(PLAN_TEMPLATE, _page(plan.chart))
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


def _planners_only(user) -> None:
    """A form error is shown only to someone who may plan; the others get a 404."""
    try:
        services.clients_in_scope(user, None)
    except PermissionDenied:
        raise Http404 from None
    except ValidationFailed:
        pass


def _page(chart: dict) -> dict:
    """The plans' totals and, per level, the staff and attainment charts of the plan shown
    (the scenario's when there is one, drawn beside the baseline)."""
    hours = [datetime.fromisoformat(h) for h in chart["hours"]]
    days = {h.date(): h for h in hours}  # "D j M H:i": each day's part formatted once
    days = {day: date_format(h, "D j M") for day, h in days.items()}
    labels = [f"{days[h.date()]} {h.hour:02d}:{h.minute:02d}" for h in hours]
    stride = 1 if len(hours) <= 24 * 7 else 7
    ticks = [(i, date_format(h, "D j M")) for i, h in enumerate(hours)
             if h.hour == 0 and (i // 24) % stride == 0]
    plans = chart["plans"]
    shown, baseline = plans[-1], plans[0] if len(plans) > 1 else None
    axis = _("Hour (%(zone)s)") % {"zone": chart["timezone"]}
    levels = []
    for i, level in enumerate(shown["levels"]):
        before = baseline["levels"][i] if baseline else None
        levels.append({"code": level["code"], "cost": level["cost"],
                       "staff": _staff(level, before, labels, ticks, axis),
                       "attainment": _attainment(level, before, labels, ticks, axis)})
    return {"plan": chart, "levels": levels, "what_if": baseline is not None,
            "totals": [{"name": _("Baseline") if p is plans[0] else _("What-if"),
                        "total_cost": p["total_cost"],
                        "levels": [{"code": lv["code"], "cost": lv["cost"],
                                    "attainment": round(p["attainment"][lv["code"]] * 100, 1)}
                                   for lv in p["levels"]]} for p in plans],
            "starts": labels[0] if labels else "", "ends": labels[-1] if labels else ""}


def _staff(level: dict, baseline: dict | None, labels, ticks, axis: str) -> dict:
    series = [charts.Series(_("Required"), level["required"], area=True),
              charts.Series(_("Scheduled"), level["scheduled"])]
    if baseline:
        series.append(charts.Series(_("Scheduled, baseline"), baseline["scheduled"]))
    return charts.time_chart(
        f"staff-{level['code']}",
        _("%(level)s: agents per hour") % {"level": level["code"]},
        x_label=axis, y_label=_("Agents"), labels=labels, series=series, ticks=ticks,
        step=True, integer=True)


def _attainment(level: dict, baseline: dict | None, labels, ticks, axis: str) -> dict:
    series = [charts.Series(_("Predicted within target"), level["service_level"])]
    if baseline:
        series.append(charts.Series(_("Baseline"), baseline["service_level"]))
    minutes = round(level["target_seconds"] / 60)
    return charts.time_chart(
        f"sla-{level['code']}",
        _("%(level)s: predicted SLA attainment per hour") % {"level": level["code"]},
        x_label=axis, y_label=_("Answered within target"), labels=labels, series=series,
        ticks=ticks, percent=True,
        reference=charts.Reference(_("Target, within %(minutes)d min") % {"minutes": minutes},
                                   level["target_share"]))
