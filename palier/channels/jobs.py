"""The channels' background jobs, run by ``palier worker`` (see ``palier.core.jobs``)."""

from __future__ import annotations

from palier.core import jobs


def register_all() -> None:
    from palier.channels.services import imap, journal, outbound, webhooks

    jobs.register("channels.journal", journal.scan, every=0)
    jobs.register("channels.outbound", outbound.send_due, every=0)
    jobs.register("channels.webhooks", webhooks.deliver_due, every=0)
    jobs.register("channels.imap", imap.poll_due, every=30)
