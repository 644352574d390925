"""``palier report client CLIENT --month YYYY-MM [--format html|pdf] [--output FILE]`` and
``palier report refresh [--resume] [--rollups]`` (recompute every ticket's facts, then the
daily rollups; ``--rollups``: the rollups only, from the stored facts)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Max
from tqdm import tqdm

from palier.core.errors import DomainError
from palier.reports import client_report, facts, rollups
from palier.reports.jobs import CURSOR
from palier.reports.models import FactsCursor, TicketFacts
from palier.tickets.models import Ticket, TicketEvent


class Command(BaseCommand):
    help = "Client reports and the reports' rollup."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        client = sub.add_parser("client", help="The monthly report of one client.")
        client.add_argument("client", help="Client code, name or id.")
        client.add_argument("--month", required=True, help="YYYY-MM")
        client.add_argument("--format", choices=("html", "pdf"), default="pdf")
        client.add_argument("--output", help="File to write (default: stdout for HTML, "
                                             "report-CODE-MONTH.pdf for PDF).")
        refresh = sub.add_parser("refresh", help="Recompute every ticket's facts from the journal.")
        refresh.add_argument("--resume", action="store_true",
                             help="Continue an interrupted rebuild after the last ticket done.")
        refresh.add_argument("--rollups", action="store_true",
                             help="Rebuild the daily rollups only, from the stored facts.")

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "client":
                self._client(options)
            else:
                self._refresh(resume=options["resume"], rollups_only=options["rollups"])
        except DomainError as exc:
            raise CommandError(exc.detail) from None

    def _client(self, options: dict) -> None:
        client = client_report.find_client(options["client"])
        month = client_report.Month.parse(options["month"])
        output = options.get("output")
        if options["format"] == "html":
            html = client_report.render_html(client, month)
            if output:
                Path(output).write_text(html, encoding="utf-8")
            else:
                sys.stdout.write(html)
            return
        path = Path(output or f"report-{client.code}-{month}.pdf")
        try:
            path.write_bytes(client_report.render_pdf(client, month))
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote {path}.")

    def _refresh(self, *, resume: bool, rollups_only: bool) -> None:
        if not rollups_only:
            self._facts(resume=resume)
        started = time.perf_counter()
        rollups.rebuild()
        self.stdout.write(f"Rebuilt the daily rollups in {time.perf_counter() - started:.1f} s.")

    def _facts(self, *, resume: bool) -> None:
        top = TicketEvent.objects.aggregate(top=Max("pk"))["top"] or 0
        desk = facts.Desk.load()
        after = (TicketFacts.objects.aggregate(last=Max("pk"))["last"] or 0) if resume else 0
        written = 0
        with tqdm(total=Ticket.objects.filter(pk__gt=after).count(), unit="ticket",
                  unit_scale=True, disable=not sys.stderr.isatty(), desc="Facts") as bar:
            for ids in facts.id_batches(after=after):
                written += facts.store(ids, desk, days=False)
                bar.update(len(ids))
        FactsCursor.objects.update_or_create(name=CURSOR, defaults={"last_event_id": top})
        with connection.cursor() as cursor:  # fresh statistics: the planner scans, not seeks
            cursor.execute(f"ANALYZE {TicketFacts._meta.db_table}")
        self.stdout.write(f"Computed the facts of {written:,} tickets.")
