"""The capacity page: the staffing plan from the desk's own history (required and scheduled
agents per level and hour, predicted SLA attainment), with one what-if scenario.
Desk managers and administrators only; anyone else finds no such page."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palier.capacity import selectors, services
from palier.console import charts
from palier.console.chart_forms import CapacityForm
from palier.console.views.common import staff_required
from palier.core.errors import PermissionDenied, ValidationFailed

TEMPLATE = "console/capacity.html"


@staff_required
def capacity_page(request):
    form = CapacityForm.from_query(request.GET)
    context = {"section": "capacity", "form": form, "history_weeks": services.HISTORY_WEEKS}
    if not form.is_valid():
        _planners_only(request.user)
        return render(request, TEMPLATE, context, status=400)
    try:
        chart = selectors.staffing_chart(request.user, form.plan_request())
    except PermissionDenied:
        raise Http404 from None
    except ValidationFailed as exc:  # too little history, nothing to plan from
        return render(request, TEMPLATE, {**context, "error": exc.detail})
    return render(request, TEMPLATE, {**context, **_page(chart)})


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
    labels = [date_format(h, "D j M H:i") for h in hours]
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
