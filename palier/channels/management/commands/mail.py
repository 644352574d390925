"""``palier mail receive`` (one raw message on stdin, for an MTA pipe) and
``palier mail poll`` (poll the IMAP mailboxes once)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from palier.channels.models import Mailbox
from palier.channels.services import imap
from palier.channels.services.inbound import receive


class Command(BaseCommand):
    help = "Inbound mail: `receive` reads one raw message on stdin; `poll` polls IMAP once."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("receive", help="read one raw RFC 5322 message on stdin")
        rec.add_argument("--mailbox", help="apply this mailbox's client, category and policy")
        sub.add_parser("poll", help="poll every active IMAP mailbox once")

    def handle(self, *args, action: str, **options) -> None:
        if action == "poll":
            count = sum(imap.poll(m) for m in Mailbox.objects.filter(is_active=True)
                        .exclude(host=""))
            self.stdout.write(f"{count} messages received")
            return
        mailbox = None
        if options.get("mailbox"):
            mailbox = Mailbox.objects.filter(name=options["mailbox"]).first()
            if mailbox is None:
                raise CommandError(f"There is no mailbox named {options['mailbox']!r}.")
        stream = getattr(self.stdin, "buffer", None) if hasattr(self, "stdin") else None
        raw = (stream or sys.stdin.buffer).read()
        if not raw.strip():
            raise CommandError("No message on standard input.")
        result = receive(raw, mailbox=mailbox)
        record = result.record
        if result.duplicate:
            self.stdout.write(f"duplicate of message {record.pk}: already {record.outcome}")
            return
        ticket = f" {record.ticket.number}" if record.ticket_id else ""
        self.stdout.write(f"{record.outcome}{ticket}" + (f": {record.reason}"
                                                         if record.reason else ""))
