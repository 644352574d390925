"""``palier seed --tickets N [--days D] [--seed S]``: bulk realistic ticket history."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palier.demo.seed import CHUNK, SeedError, seed_tickets


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value


class Command(BaseCommand):
    help = ("Generate N tickets of realistic history (journal, handoffs, worklog) over the "
            "last D days, in bulk. Builds the demo directory first if the desk is empty.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=_positive, required=True, metavar="N",
                            help="How many tickets to add.")
        parser.add_argument("--days", type=_positive, default=365, metavar="D",
                            help="Spread them over the last D days (default 365).")
        parser.add_argument("--seed", type=int, default=None, metavar="S",
                            help="Random seed, for a reproducible history.")
        parser.add_argument("--chunk", type=_positive, default=CHUNK, metavar="K",
                            help=f"Tickets per transaction (default {CHUNK:,}).")

    def handle(self, *args, tickets: int, days: int, seed: int | None, chunk: int,
               verbosity: int, **options) -> None:
        try:
            report = seed_tickets(tickets, days=days, seed=seed, chunk=chunk,
                                  progress=verbosity > 0)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(str(report)))
