"""Portal forms: parse what the requester typed; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palier.idempotency.forms import OnceForm
from palier.tickets.models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NewTicketForm(OnceForm):
    KEY_PREFIX = "portal"  # sent twice, the form opens one ticket
    title = forms.CharField(label=_("Subject"), max_length=200)
    category = forms.ModelChoiceField(label=_("What is it about?"), required=False,
                                      queryset=Category.objects.filter(is_active=True),
                                      empty_label=_("I don't know"))
    description = forms.CharField(label=_("Describe the problem"), widget=forms.Textarea,
                                  max_length=20000)
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(n, str(n)) for n in range(1, 6)])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False,
                              max_length=2000)
