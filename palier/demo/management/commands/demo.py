"""``palier demo``: migrate, load the demo desk into an empty database, print the logins,
and serve."""

from __future__ import annotations

import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from palier.demo import catalog, load_demo
from palier.sla import worker


class Command(BaseCommand):
    help = ("Loads the demo desk into an empty database (three clients, ~5,000 tickets), "
            "prints the demo logins and serves Palier.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
        parser.add_argument("--tickets", type=int, default=5000,
                            help="tickets to generate (default 5000)")
        parser.add_argument("--no-serve", action="store_true",
                            help="load and print the logins, then exit")

    def handle(self, *args, port: int, tickets: int, no_serve: bool, **options) -> None:
        if tickets < 0:
            raise CommandError("--tickets cannot be negative.")
        call_command("migrate", interactive=False, verbosity=0)
        if _has_data():
            self.stdout.write("The database already holds clients or tickets; keeping the "
                              "existing data.")
        else:
            self._load(tickets)
        self._print_logins(port)
        if not no_serve:
            worker.spawn()  # one `palier worker` beside the server; it exits with the server
            call_command("serve", port=port, host="127.0.0.1", workers=2)

    def _load(self, tickets: int) -> None:
        started = time.perf_counter()
        with tqdm(total=tickets, desc="Demo tickets", unit="ticket", file=sys.stderr,
                  disable=None) as bar:
            count = load_demo(tickets, on_ticket=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Loaded the demo desk: {len(catalog.CLIENTS)} clients, {count} tickets "
            f"in {seconds:.1f} s."))

    def _print_logins(self, port: int) -> None:
        rows = catalog.logins()
        width = max(len(email) for email, _role, _what in rows)
        self.stdout.write(f"\nDemo logins (password: {catalog.PASSWORD})")
        self.stdout.write(f"  {'e-mail':<{width}}  {'role':<9}  who")
        for email, role, what in rows:
            self.stdout.write(f"  {email:<{width}}  {role:<9}  {what}")
        self.stdout.write(f"\nOpen http://127.0.0.1:{port}/\n")


def _has_data() -> bool:
    from palier.clients.models import Client
    from palier.tickets.models import Ticket

    return Ticket.objects.exists() or Client.objects.exists()
