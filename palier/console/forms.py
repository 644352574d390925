"""Console forms: they parse input only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palier.clients.models import Client
from palier.console.errors import field_label
from palier.idempotency.forms import OnceForm
from palier.tickets.models import (
    Category,
    Channel,
    ImpactChoice,
    Kind,
    PriorityChoice,
    UrgencyChoice,
)

SORT_LABELS = {"due": _("Due first"), "priority": _("Priority"), "created": _("Newest"),
               "updated": _("Recently updated")}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=[("", _("Any")), *PriorityChoice.choices])
    sort = forms.ChoiceField(label=_("Sort"), required=False,
                             choices=list(SORT_LABELS.items()))


class TextForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=20000)


class EscalateForm(forms.Form):
    to_level = forms.TypedChoiceField(label=_("To level"), coerce=int)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    steps_tried = forms.CharField(label=_("Steps tried"), widget=forms.Textarea, required=False)
    diagnostics = forms.CharField(label=_("Diagnostics"), widget=forms.Textarea, required=False)
    articles_consulted = forms.CharField(label=_("Knowledge articles consulted"),
                                         required=False)

    def __init__(self, *args, levels=(), required_fields=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["to_level"].choices = [(lv.pk, str(lv)) for lv in levels]
        self.category_fields = list(required_fields)
        for name in self.category_fields:
            self.fields[f"field_{name}"] = forms.CharField(label=field_label(name),
                                                           required=False, max_length=500)

    def handoff_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"field_{name}", "") for name in self.category_fields}

    def mark_missing(self, names) -> None:
        for name in names:
            key = name if name in self.fields else f"field_{name}"
            if key in self.fields:
                self.add_error(key, _("Required for the escalation."))


# The channels an agent records a ticket from (the others open tickets by themselves).
ASSISTED_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.CHAT, Channel.EMAIL,
                     Channel.MONITORING)


class NewTicketForm(OnceForm):
    """A ticket an agent records for a requester: a call, a visit, a chat."""

    KEY_PREFIX = "console"  # sent twice, the form opens one ticket
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    requester_email = forms.EmailField(
        label=_("Requester's e-mail"), max_length=254, widget=forms.EmailInput(attrs={
            "list": "requester-options", "autocomplete": "off",
            "hx-get": "/console/tickets/new/requesters/", "hx-target": "#requester-options",
            "hx-trigger": "input changed delay:300ms", "hx-include": "#id_client"}))
    channel = forms.ChoiceField(label=_("Channel"), initial=Channel.PHONE,
                                choices=[(c.value, c.label) for c in ASSISTED_CHANNELS])
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.INCIDENT)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What the requester says"), widget=forms.Textarea,
                                  required=False, max_length=20000)
    category = forms.ModelChoiceField(label=_("Category"), required=False,
                                      queryset=Category.objects.filter(is_active=True),
                                      empty_label=_("Let triage propose one"))
    impact = forms.ChoiceField(label=_("Impact"), required=False,
                               choices=[("", _("Let triage propose")), *ImpactChoice.choices])
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("Let triage propose")), *UrgencyChoice.choices])

    def __init__(self, *args, client_ids: frozenset[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client_ids = client_ids
        self.fields["client"].queryset = (Client.objects.filter(pk__in=client_ids,
                                                                is_active=True)
                                          .order_by("name"))

    def renewal_arguments(self) -> dict:
        return {"client_ids": self.client_ids}
