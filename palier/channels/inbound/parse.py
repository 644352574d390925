"""Parsing a raw message into what the desk keeps (pure: no ORM).

``parse`` never raises anything but ``Unparseable``; the processing service quarantines
those. TNEF (``winmail.dat``) is unpacked with ``tnefparse``.
"""

from __future__ import annotations

import email
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from tnefparse import TNEF

from palier.channels.inbound import body as bodies
from palier.channels.inbound.automatic import automatic_reason
from palier.channels.inbound.headers import dedupe_key, message_ids, sender, text

TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}


class Unparseable(Exception):
    """The message cannot be turned into a ticket or a reply."""


@dataclass
class Part:
    name: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedMail:
    key: str
    message_id: str
    thread_ids: list[str]
    subject: str
    sender: str
    sender_name: str
    text: str
    attachments: list[Part] = field(default_factory=list)
    automatic: str | None = None


def load(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=policy.default)


def key_of(raw: bytes) -> str:
    """The duplicate-detection key, computed without failing."""
    try:
        return dedupe_key(load(raw), raw)
    except Exception:
        return dedupe_key(None, raw)


def parse(raw: bytes, is_ours: Callable[[str], bool]) -> ParsedMail:
    if not raw or not raw.strip():
        raise Unparseable("The message is empty.")
    try:
        return _parse(load(raw), raw, is_ours)
    except Unparseable:
        raise
    except Exception as exc:  # the stdlib parser and the libraries may raise anything
        raise Unparseable(f"The message could not be parsed: {type(exc).__name__}: {exc}"
                          ) from exc


def _parse(msg: Message, raw: bytes, is_ours: Callable[[str], bool]) -> ParsedMail:
    address, name = sender(msg)
    if msg.defects and not msg.keys():
        raise Unparseable("No header could be read.")
    thread = message_ids(text(msg, "In-Reply-To")) + message_ids(text(msg, "References"))
    parsed = ParsedMail(key=dedupe_key(msg, raw),
                        message_id=(message_ids(text(msg, "Message-ID")) or [""])[0],
                        thread_ids=thread, subject=text(msg, "Subject")[:400],
                        sender=address, sender_name=name[:200], text="",
                        automatic=automatic_reason(msg, address, is_ours))
    if parsed.automatic:
        return parsed
    if not address:
        raise Unparseable("The message has no sender address (From).")
    plain, html = _walk(msg, parsed.attachments)
    content = plain if plain.strip() else (bodies.html_to_text(html) if html else "")
    parsed.text = bodies.trim_quoted(content)
    return parsed


def _walk(msg: Message, attachments: list[Part]) -> tuple[str, str]:
    """(first text/plain body, first text/html body); the rest become attachments."""
    plain = html = ""
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if disposition != "attachment" and not filename and ctype == "text/plain" \
                and not plain:
            plain = bodies.decoded(part)
        elif disposition != "attachment" and not filename and ctype == "text/html" \
                and not html:
            html = bodies.decoded(part)
        elif ctype in TNEF_TYPES or (filename or "").lower() == "winmail.dat":
            tnef_text = _tnef(part.get_payload(decode=True) or b"", attachments)
            plain = plain or tnef_text
        elif ctype.startswith("message/") and ctype != "message/rfc822":
            continue
        else:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                attachments.append(Part(filename or _default_name(part, len(attachments)),
                                        ctype, data, inline=disposition == "inline"))
    return plain, html


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return None
    return str(name).replace("/", "_").replace("\\", "_").replace("\x00", "").strip() or None


def _default_name(part: Message, index: int) -> str:
    ext = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"part-{index + 1}{ext}"


def _tnef(data: bytes, attachments: list[Part]) -> str:
    """Unpack a winmail.dat: its files become attachments; returns its plain body."""
    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception:
        attachments.append(Part("winmail.dat", "application/ms-tnef", data))
        return ""
    for item in tnef.attachments:
        name = (item.long_filename() or item.name or "").replace("\x00", "") or "attachment"
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if item.data:
            attachments.append(Part(name, ctype, bytes(item.data)))
    body = tnef.body or b""
    if isinstance(body, bytes):
        body = body.decode("cp1252", errors="replace")
    return body.strip("\x00")
