"""``palier mail receive`` and the quarantine's replay (service and admin action)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from palier.accounts.models import User
from palier.channels.models import InboundMessage, Mailbox, Outcome, UnknownSender
from palier.channels.services.inbound import receive, replay
from tests.channels.conftest import eml

pytestmark = pytest.mark.django_db


class Stdin(io.StringIO):
    def __init__(self, raw: bytes) -> None:
        super().__init__()
        self.buffer = io.BytesIO(raw)


def _run(raw: bytes, *args: str, monkeypatch) -> str:
    monkeypatch.setattr("sys.stdin", Stdin(raw))
    out = io.StringIO()
    call_command("mail", "receive", *args, stdout=out)
    return out.getvalue()


def test_receive_reads_one_message_on_stdin(desk, monkeypatch):
    out = _run(eml("plain_new.eml"), monkeypatch=monkeypatch)
    assert out.startswith("ticket INC-")
    assert "duplicate" in _run(eml("plain_new.eml"), monkeypatch=monkeypatch)


def test_receive_with_a_mailbox_applies_its_unknown_sender_policy(desk, monkeypatch):
    Mailbox.objects.create(name="acme", client=desk.a.client,
                           unknown_sender=UnknownSender.MAPPED_CLIENT)
    out = _run(eml("unknown_sender.eml"), "--mailbox", "acme", monkeypatch=monkeypatch)
    assert out.startswith("ticket")
    assert User.objects.get(email="stranger@nowhere.test").client == desk.a.client


def test_default_client_policy(desk, settings):
    settings.PALIER_MAIL_UNKNOWN_SENDER = UnknownSender.DEFAULT_CLIENT
    settings.PALIER_MAIL_DEFAULT_CLIENT = desk.b.client.code
    record = receive(eml("unknown_sender.eml")).record
    assert record.outcome == Outcome.TICKET and record.ticket.client == desk.b.client


def test_receive_refuses_empty_input_and_unknown_mailbox(desk, monkeypatch):
    with pytest.raises(CommandError, match="No message"):
        _run(b"  \n", monkeypatch=monkeypatch)
    with pytest.raises(CommandError, match="no mailbox named"):
        _run(eml("plain_new.eml"), "--mailbox", "nope", monkeypatch=monkeypatch)
    assert InboundMessage.objects.count() == 0


def test_a_quarantined_message_replays_once_the_cause_is_fixed(desk):
    record = receive(eml("unknown_sender.eml")).record
    assert record.outcome == Outcome.QUARANTINED
    User.objects.create_user("stranger@nowhere.test", None, client=desk.a.client)
    replayed = replay(record.pk)
    assert replayed.outcome == Outcome.TICKET and replayed.raw is None
    assert replayed.replayed_at is not None
    assert replay(record.pk).ticket == replayed.ticket  # replaying again changes nothing


def test_the_admin_lists_the_quarantine_and_replays(desk, client):
    admin = User.objects.create_superuser("root@desk.test", "pw-admin-123")
    client.force_login(admin)
    record = receive(eml("unknown_sender.eml")).record
    url = reverse("admin:channels_quarantined_changelist")
    page = client.get(url)
    assert page.status_code == 200 and b"Unknown sender" in page.content
    assert client.get(reverse("admin:channels_quarantined_change", args=[record.pk])
                      ).status_code == 200
    User.objects.create_user("stranger@nowhere.test", None, client=desk.a.client)
    client.post(url, {"action": "replay_messages", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert record.outcome == Outcome.TICKET
    assert client.get(url).content.count(b"nowhere.test") == 0
