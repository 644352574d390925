"""Forms sent with a one-time token: the same form sent twice (a double click, the browser's
retry) does its work once, keyed by the token (``services.once``)."""

from __future__ import annotations

import uuid

from django import forms


class OnceForm(forms.Form):
    """A form whose hidden ``submission`` token is its sender's idempotency key."""

    KEY_PREFIX = "form"
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def idempotency_key(self) -> str | None:
        """``PREFIX:token`` (None: a form from before tokens, sent without one)."""
        token = self.cleaned_data.get("submission")
        return f"{self.KEY_PREFIX}:{token}" if token else None

    def renewed(self) -> OnceForm:
        """The same answers under a new token: the next send does the work again."""
        data = self.data.copy()
        data["submission"] = str(uuid.uuid4())
        return type(self)(data, **self.renewal_arguments())

    def renewal_arguments(self) -> dict:
        """What the constructor needs besides the data (subclasses with arguments)."""
        return {}
