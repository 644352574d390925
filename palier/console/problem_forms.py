"""Forms of the console's problem pages: they parse input only; the problem services decide
what is allowed."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from palier.problems.models import ProblemStatus

TICKET_NUMBER = re.compile(r"^(INC|REQ)-\d{1,9}$", re.IGNORECASE)


class ProblemFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *ProblemStatus.choices])
    known_error = forms.ChoiceField(label=_("Known error"), required=False,
                                    choices=[("", _("Any")), ("yes", _("With a workaround")),
                                             ("no", _("Without a workaround"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def known_error_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("known_error") or "")


class NewProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea,
                                  required=False, max_length=20000)
    ticket = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ClusterProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    tickets = forms.CharField(widget=forms.HiddenInput, max_length=10_000)

    def ticket_ids(self) -> list[int]:
        """The cluster's incidents (ids separated by commas), at most 500."""
        raw = self.cleaned_data["tickets"]
        return [int(v) for v in raw.split(",") if v.strip().isdigit()][:500]


class LinkIncidentForm(forms.Form):
    ticket = forms.CharField(label=_("Incident number"), max_length=20,
                             help_text=_("For example INC-000123."))

    def clean_ticket(self) -> str | int:
        """An incident number (``INC-000123``) or a ticket id."""
        value = self.cleaned_data["ticket"].strip()
        if value.isdigit():
            return int(value)
        if TICKET_NUMBER.match(value):
            prefix, digits = value.upper().split("-")
            return f"{prefix}-{int(digits):06d}"
        raise ValidationError(_("Enter an incident number such as INC-000123."))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea, max_length=20000)


class UpdateProblemForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea, required=False,
                                 max_length=20000)
    vendor = forms.CharField(label=_("Vendor"), required=False, max_length=200)
    vendor_reference = forms.CharField(label=_("Vendor reference"), required=False,
                                       max_length=200)


class KnownErrorForm(forms.Form):
    workaround_article = forms.IntegerField(label=_("Workaround article (number)"), min_value=1)
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea, required=False,
                                 max_length=20000)


class ResolveProblemForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea, max_length=20000)
    resolve_incidents = forms.BooleanField(label=_("Also resolve its open incidents"),
                                           required=False)
    message = forms.CharField(label=_("Message to the incidents' requesters (optional)"),
                              widget=forms.Textarea, required=False, max_length=20000)
