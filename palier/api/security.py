"""Authentication: personal API tokens (Bearer) and browser sessions (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from palier.accounts.models import User
from palier.accounts.services import authenticate_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer plr_…``; a revoked or expired token gets 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The console's own calls: the session cookie, with Django's CSRF check."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated and user.is_active else None
