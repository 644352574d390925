"""IMAP polling (imap-tools): each active mailbox is claimed by one worker at a time; its
unseen messages are fetched without marking them, received, then flagged seen. A crash
before the flag leaves them unseen: the next poll receives them again and the duplicate
check stores them once."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from django.db.models import Q
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags

from palier.channels.models import Mailbox
from palier.channels.services.inbound import receive
from palier.core import clock

log = logging.getLogger("palier.channels")
LEASE = timedelta(minutes=5)
TIMEOUT = 30


def poll_due() -> int:
    """Poll every active mailbox no other worker holds; returns messages received."""
    total = 0
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(host="").order_by("pk"):
        if _claim(mailbox):
            total += poll(mailbox)
    return total


def _claim(mailbox: Mailbox) -> bool:
    now = clock.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(Mailbox.objects.filter(free, pk=mailbox.pk).update(claimed_until=now + LEASE))


def poll(mailbox: Mailbox, *, limit: int = 200) -> int:
    """Receive up to ``limit`` unseen messages of the mailbox; errors are recorded on it."""
    received, error = 0, ""
    try:
        with _connect(mailbox) as box:
            uids = box.uids(AND(seen=False))[:limit]
            for uid in uids:
                raw = _fetch_raw(box, uid)
                if raw is None:
                    continue
                receive(raw, mailbox=mailbox)
                box.flag(uid, MailMessageFlags.SEEN, True)
                received += 1
    except Exception as exc:  # network, login, protocol: the worker goes on
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("Polling mailbox %s failed: %s", mailbox.name, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=clock.now(), last_error=error,
                                                 claimed_until=None)
    return received


def _connect(mailbox: Mailbox):
    password = mailbox.password or os.environ.get(mailbox.password_env or "", "")
    factory = MailBox if mailbox.use_ssl else MailBoxUnencrypted
    box = factory(mailbox.host, mailbox.port, timeout=TIMEOUT)
    return box.login(mailbox.username, password, initial_folder=mailbox.folder)


def _fetch_raw(box, uid: str) -> bytes | None:
    """The message exactly as stored (BODY.PEEK: fetching does not mark it seen)."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None
