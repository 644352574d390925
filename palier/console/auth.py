"""Sign-in with the e-mail address, throttled per address and per client IP.

The throttle counts failures in Django's cache (per process with the default local-memory
cache; configure a shared cache to count across web processes): after
``PALIER_LOGIN_ATTEMPTS`` failures within ``PALIER_LOGIN_WINDOW_SECONDS`` further attempts are
refused without checking the password until the window ends.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _


def _keys(request: HttpRequest, email: str) -> list[str]:
    ip = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"palier:login:email:{digest}", f"palier:login:ip:{ip}"]


def is_locked(request: HttpRequest, email: str) -> bool:
    limit = settings.PALIER_LOGIN_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in _keys(request, email))


def record_failure(request: HttpRequest, email: str) -> None:
    window = settings.PALIER_LOGIN_WINDOW_SECONDS
    for key in _keys(request, email):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)


def clear_failures(request: HttpRequest, email: str) -> None:
    cache.delete(_keys(request, email)[0])


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(
        attrs={"autofocus": True, "autocomplete": "email"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail or the password is wrong."),
        "locked": _("Too many failed sign-ins. Wait a few minutes and try again."),
    }

    def clean(self):
        email = self.data.get("username", "")
        if is_locked(self.request, email):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_failure(self.request, email)
            raise
        clear_failures(self.request, email)
        return cleaned


class SignInView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponseRedirect:
    """Agents go to the console, requesters to the portal, strangers to sign in."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(settings.LOGIN_URL)
    return HttpResponseRedirect("/console/" if user.is_desk_staff else "/portal/")
