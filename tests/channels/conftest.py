"""Channel fixtures: a real SMTP server (aiosmtpd) on loopback, the corpus, job runners."""

from __future__ import annotations

import email
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from palier.channels.services import journal, outbound, webhooks

EML = Path(__file__).parent / "eml"


class Inbox:
    """What the test SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.refuse: int | None = None  # answer RCPT with this code when set

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return f"{self.refuse} refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.PALIER_BASE_URL = "https://desk.example.test"
    yield inbox
    controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drain() -> int:
    """Run the channel jobs until none has work (what ``palier worker`` does)."""
    total = 0
    while True:
        done = journal.scan() + outbound.send_due() + webhooks.deliver_due()
        total += done
        if not done:
            return total


def eml(name: str, ticket=None) -> bytes:
    raw = (EML / name).read_bytes()
    if ticket is not None:
        raw = raw.replace(b"INC-000001", ticket.number.encode())
        raw = raw.replace(b"inc-000001", ticket.number.lower().encode())
    return raw
