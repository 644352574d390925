"""Ticket text normalisation shared by training and prediction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_CHARS = 2000  # the first 2,000 characters carry what a ticket is about (and bound cost)

_IMAGE = re.compile(r"\[cid:[^\]]*\]|\bcid:\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, Unicode-normalised text without inline-image references.

    Digits and addresses stay: job names, hosts and senders route tickets (measured, ADR 5).
    """
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    return _SPACE.sub(" ", _IMAGE.sub(" ", text)).strip()


def join(parts: Iterable[str | None]) -> str:
    """One document from several fields (title first); empty parts are skipped."""
    return "\n".join(p.strip() for p in parts if p and p.strip())


def title_of(text: str) -> str:
    """The title of a document made by :func:`join` (its first line), or "" for a document
    of one part only."""
    head, newline, _rest = text.partition("\n")
    return head if newline else ""


def requester_key(requester: str | None) -> str:
    """The requester's identity as a feature: their e-mail address (or caller name),
    trimmed and lower-cased; "" when unknown."""
    return " ".join((requester or "").split()).lower()
