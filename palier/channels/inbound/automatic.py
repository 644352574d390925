"""Telling automatic mail (auto-replies, bounces, lists, our own) from people (pure)."""

from __future__ import annotations

from collections.abc import Callable
from email.message import Message

from palier.channels.inbound.headers import message_ids, text

BULK = {"bulk", "junk", "list", "auto_reply"}
DAEMONS = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@", "do-not-reply@")


def automatic_reason(msg: Message, sender: str, is_ours: Callable[[str], bool]) -> str | None:
    """Why the message must neither open a ticket nor be answered; None for a person."""
    auto = text(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = text(msg, "Precedence").lower()
    if precedence in BULK:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if text(msg, name):
            return f"{name} header"
    if msg.get_content_type() == "multipart/report":
        return "delivery status notification (multipart/report)"
    if text(msg, "Return-Path").strip() == "<>":
        return "bounce (empty Return-Path)"
    if sender.startswith(DAEMONS):
        return f"sent by {sender}"
    own = message_ids(text(msg, "Message-ID"))
    if own and is_ours(own[0]):
        return "our own message came back (loop)"
    return None
