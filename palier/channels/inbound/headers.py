"""Reading headers defensively (pure): a malformed header never raises."""

from __future__ import annotations

import hashlib
import re
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses

MSGID = re.compile(r"<[^<>\s]{1,240}>")


def text(msg: Message, name: str) -> str:
    """The header's decoded text ('' when absent or undecodable)."""
    try:
        value = msg.get(name)
    except Exception:  # policy.default parses on access and may raise on garbage
        value = None
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    if value is None:
        return ""
    try:
        value = str(make_header(decode_header(str(value))))
    except Exception:
        value = str(value)
    return " ".join(value.replace("\x00", "").split())


def message_ids(value: str) -> list[str]:
    """The ``<…>`` ids in a Message-ID, In-Reply-To or References header."""
    return MSGID.findall(value or "")


def sender(msg: Message) -> tuple[str, str]:
    """(address lowercased, display name) of From (else Sender, Reply-To); ('', '') if none."""
    for name in ("From", "Sender", "Reply-To"):
        for display, address in getaddresses([text(msg, name)]):
            address = address.strip().lower()
            if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address):
                return address, display.strip()
    return "", ""


def dedupe_key(msg: Message | None, raw: bytes) -> str:
    """The message's Message-ID, or the SHA-256 of the raw bytes when it has none."""
    if msg is not None:
        ids = message_ids(text(msg, "Message-ID"))
        if ids:
            return ids[0][:250]
    return "sha256:" + hashlib.sha256(raw).hexdigest()
