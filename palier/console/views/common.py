"""Helpers every console view shares: who may enter, and errors shown as messages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404

from palier.console.errors import message_for
from palier.core.errors import DomainError, NotFound


def staff_required(view):
    """Desk staff only; anyone else gets a plain 404 (the console does not exist for them)."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_desk_staff:
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from None
    return wrapper


def run(request, call, success: str | None = None) -> bool:
    """Call a service; show its error in the user's language. True when it succeeded."""
    try:
        call()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, message_for(exc))
        return False
    if success:
        messages.success(request, success)
    return True
