"""Forms of the chart pages (capacity, dashboard): they parse the query string only; the
capacity service and the report selectors decide what is allowed."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palier.capacity.planner import Scenario
from palier.capacity.services import PlanRequest
from palier.capacity.stored import DEFAULT
from palier.reports.dashboard import PERIODS

WHAT_IF = "what-if"


class CapacityForm(forms.Form):
    """The plan's horizon and shifts, and one what-if scenario (left at zero: none)."""

    weeks = forms.IntegerField(label=_("Weeks planned"), min_value=1, max_value=4)
    shift_hours = forms.IntegerField(label=_("Shift length (hours)"), min_value=1,
                                     max_value=12)
    shrinkage = forms.FloatField(label=_("Shrinkage (%)"), min_value=0, max_value=90)
    volume_percent = forms.FloatField(label=_("Volume change (%)"), min_value=-99,
                                      max_value=1000)
    shift_left_points = forms.FloatField(label=_("Shift-left (points of L1 resolution)"),
                                         min_value=0, max_value=100)
    new_weekly_tickets = forms.FloatField(label=_("New tickets per week"), min_value=0,
                                          max_value=100_000)
    target_share = forms.FloatField(label=_("Target service level (%)"), min_value=1,
                                    max_value=99.9, required=False)

    DEFAULTS = {"weeks": str(DEFAULT.weeks), "shift_hours": str(DEFAULT.shift_hours),
                "shrinkage": f"{DEFAULT.shrinkage * 100:g}", "volume_percent": "0",
                "shift_left_points": "0", "new_weekly_tickets": "0"}

    @classmethod
    def from_data(cls, data: QueryDict) -> CapacityForm:
        """Bound to the submitted data, the defaults standing in for what it leaves out."""
        given = {name: data.get(name, "").strip() for name in cls.base_fields}
        return cls({**cls.DEFAULTS, **{k: v for k, v in given.items() if v}},
                   label_suffix="")

    def scenario(self) -> Scenario | None:
        data = self.cleaned_data
        share = data["target_share"]
        scenario = Scenario(WHAT_IF, volume_percent=data["volume_percent"],
                            shift_left_points=data["shift_left_points"],
                            new_weekly_tickets=data["new_weekly_tickets"],
                            target_level=share / 100 if share else None)
        return None if scenario == Scenario(WHAT_IF) else scenario

    def plan_request(self) -> PlanRequest:
        data, scenario = self.cleaned_data, self.scenario()
        return PlanRequest(weeks=data["weeks"], shift_hours=data["shift_hours"],
                           shrinkage=data["shrinkage"] / 100,
                           scenarios=(scenario,) if scenario else ())


class DashboardForm(forms.Form):
    """The period (last 7, 30 or 90 days) and, optionally, one of the user's clients."""

    days = forms.TypedChoiceField(label=_("Period"), coerce=int)
    client = forms.IntegerField(label=_("Client"), required=False, min_value=1,
                                widget=forms.Select)

    @classmethod
    def from_query(cls, query: QueryDict, clients: list[tuple[int, str]]) -> DashboardForm:
        """Bound to the query string; the last 30 days unless it names a period."""
        data = query.copy()
        data.setdefault("days", "30")
        return cls(data, clients=clients)

    def __init__(self, *args, clients: list[tuple[int, str]] = (), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(n, gettext("Last %(days)d days") % {"days": n})
                                       for n in PERIODS]
        self.fields["client"].widget.choices = [("", _("All my clients")), *clients]
