"""Account services: personal API tokens."""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction

from palier.accounts.models import ApiToken, User
from palier.core import cache, clock
from palier.core.errors import NotFound, ValidationFailed
from palier.ops import audit
from palier.ops.models import AuditAction

TOKEN_PREFIX = "plr"
MAX_TOKEN_DAYS = 3650
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, *, name: str, expires_days: int | None = 90,
                 actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its secret, which is never stored.
    ``actor`` (None: a command run on the server) is recorded in the audit log."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationFailed("Name the token.", fields={"name": "required"})
    if expires_days is not None and not 0 < expires_days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(f"A token lasts 1 to {MAX_TOKEN_DAYS} days.",
                               fields={"expires_days": "out_of_range"})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, digest=_digest(secret), created_at=now,
            expires_at=now + timedelta(days=expires_days) if expires_days else None,
        )
        audit.record(actor, AuditAction.TOKEN_CREATED, token,
                     changes={"user": [None, user.email], "expires_at": [
                         None, token.expires_at.isoformat() if token.expires_at else None]})
    return token, secret


def revoke_token(actor: User, token_id: int, *, via: str = "service") -> ApiToken:
    """Revoke one of the actor's tokens (administrators may revoke anyone's)."""
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if not actor.is_superuser:
            tokens = tokens.filter(user=actor)
        token = tokens.filter(pk=token_id).first()
        if token is None:
            raise NotFound(f"Token {token_id} was not found.")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            cache.forget(_cache_key(token.digest))
            audit.record(actor, AuditAction.TOKEN_REVOKED, token,
                         changes={"user": [token.user.email, token.user.email]}, via=via)
    return token


def revoke_token_by_prefix(prefix: str) -> ApiToken:
    """Revoke a token named by its prefix (the ``palier token revoke`` command)."""
    token = ApiToken.objects.filter(prefix=prefix).first()
    if token is None:
        raise NotFound(f"No token has the prefix {prefix}.")
    return revoke_token(token.user, token.pk, via="command")


def authenticate_token(secret: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to; otherwise None.

    A valid token is remembered per process under its digest for
    ``PALIER_CONFIG_CACHE_SECONDS`` (the API reads it on every call): a revocation or a
    deactivation takes effect at once in the revoking process and within that many seconds
    in the others; the expiry is checked on every call. Each call gets its own copy of
    the user, so nothing a request attaches to it outlives the request."""
    parts = (secret or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    digest = _digest(secret)
    found = cache.cached(_cache_key(digest), lambda: _load_token(parts[1], digest),
                         keep_none=False)
    now = clock.now()
    if found is None:
        return None
    _, expires_at, user = found
    if expires_at is not None and expires_at <= now:
        return None
    return copy.copy(user)


def _cache_key(digest: str) -> str:
    return f"api-token:{digest}"


def _load_token(prefix: str, digest: str) -> tuple[int, datetime | None, User] | None:
    """(id, expiry, user) of the usable token with this prefix and digest, else None;
    refreshes ``last_used_at`` (to the nearest few minutes)."""
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if (token is None or not hmac.compare_digest(token.digest, digest)
            or token.revoked_at is not None or not token.user.is_active):
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.pk, token.expires_at, token.user
