"""Inbound mail polled from a real Dovecot IMAP server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from imap_tools import AND, MailBoxUnencrypted

from palier.channels.models import InboundMessage, Mailbox, Outcome
from palier.channels.services import imap
from palier.tickets.models import Channel, Ticket
from tests.channels import dovecot
from tests.channels.conftest import eml

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def imap_server():
    if not dovecot.available():
        pytest.skip(f"Dovecot is not installed ({dovecot.DOVECOT} missing): "
                    "apt-get install dovecot-imapd (.ci/run does)")
    # Not pytest's tmp_path: its parents are private to the caller, and Dovecot's
    # unprivileged processes must reach the user file and the Maildir.
    root = Path(tempfile.mkdtemp(prefix="palier-dovecot-"))
    try:
        server, process = dovecot.start(root)
        yield server
        dovecot.stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(imap_server, desk):
    with _client(imap_server) as box:  # each test starts with an empty INBOX
        uids = box.uids()
        if uids:
            box.delete(uids)
    return Mailbox.objects.create(name="support", host=imap_server.host, port=imap_server.port,
                                  use_ssl=False, username=imap_server.user,
                                  password_env="PALIER_TEST_IMAP_PASSWORD",
                                  client=desk.a.client, category=desk.categories["network"])


@pytest.fixture(autouse=True)
def _password(monkeypatch, imap_server):
    monkeypatch.setenv("PALIER_TEST_IMAP_PASSWORD", imap_server.password)


def _client(server):
    return MailBoxUnencrypted(server.host, server.port).login(server.user, server.password)


def _deliver(server, *raws: bytes) -> None:
    with _client(server) as box:
        for raw in raws:
            box.append(raw, "INBOX", flag_set=())


def test_polling_opens_tickets_and_marks_the_messages_seen(imap_server, mailbox):
    _deliver(imap_server, eml("plain_new.eml"), eml("iso8859_1.eml"), eml("out_of_office.eml"))
    assert imap.poll_due() == 3
    outcomes = sorted(InboundMessage.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.IGNORED, Outcome.TICKET, Outcome.TICKET]
    ticket = Ticket.objects.get(title="Printer on floor 2 jams")
    assert ticket.channel == Channel.EMAIL and ticket.category == mailbox.category
    with _client(imap_server) as box:
        assert box.uids(AND(seen=False)) == []
    mailbox.refresh_from_db()
    assert mailbox.last_error == "" and mailbox.last_polled_at is not None


def test_a_re_poll_after_a_crash_stores_each_message_once(imap_server, mailbox, monkeypatch):
    _deliver(imap_server, eml("plain_new.eml"), eml("multipart_alternative.eml"))
    # The worker dies after receiving the messages but before flagging them seen.
    with monkeypatch.context() as patched:
        patched.setattr("imap_tools.MailBoxUnencrypted.flag",
                        lambda *a, **k: (_ for _ in ()).throw(ConnectionError("killed")))
        imap.poll_due()
    with _client(imap_server) as box:
        assert len(box.uids(AND(seen=False))) == 2  # still unseen on the server
    assert imap.poll_due() == 2  # received again …
    assert InboundMessage.objects.count() == 2  # … and stored once
    assert Ticket.objects.count() == 2


def test_a_wrong_password_is_recorded_and_does_not_stop_the_worker(imap_server, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(password="wrong", password_env="")
    assert imap.poll_due() == 0
    mailbox.refresh_from_db()
    assert "LOGIN" in mailbox.last_error.upper() or "AUTH" in mailbox.last_error.upper()
