from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from palier.accounts.models import ApiToken
from palier.accounts.services import authenticate_token, create_token, revoke_token
from palier.core import clock


def test_a_token_is_stored_hashed_and_shown_once(desk):
    token, secret = create_token(desk.a.l1, name="monitoring", expires_days=30)
    assert secret.startswith(f"plr_{token.prefix}_")
    assert secret not in token.digest and len(token.digest) == 64
    assert authenticate_token(secret) == desk.a.l1


def test_an_expired_token_no_longer_authenticates(desk):
    _, secret = create_token(desk.a.l1, name="short", expires_days=1)
    with time_machine.travel(clock.now() + timedelta(days=2)):
        assert authenticate_token(secret) is None


def test_a_revoked_or_tampered_token_does_not_authenticate(desk):
    token, secret = create_token(desk.a.l1, name="x")
    assert authenticate_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    revoke_token(desk.a.l1, token.pk)
    assert authenticate_token(secret) is None


def test_nobody_revokes_someone_elses_token(desk):
    token, _ = create_token(desk.a.l1, name="x")
    from palier.core.errors import NotFound

    with pytest.raises(NotFound):
        revoke_token(desk.b.l1, token.pk)


def test_cli_creates_and_revokes_a_token(desk):
    out, err = StringIO(), StringIO()
    call_command("token", "create", "--user", desk.a.l2.email, "--expires", "7",
                 stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert authenticate_token(secret) == desk.a.l2
    prefix = ApiToken.objects.get(user=desk.a.l2).prefix
    call_command("token", "revoke", prefix, stdout=StringIO())
    assert authenticate_token(secret) is None


def test_cli_refuses_an_unknown_user(desk):
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "--user", "nobody@example.test", stdout=StringIO())
