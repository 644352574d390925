"""The demo desk: a realistic directory and ninety days of history, generated through the
ticket services (``palier demo``)."""

from __future__ import annotations

from collections.abc import Callable


def load_demo(tickets: int = 5000, *, on_ticket: Callable[[], None] | None = None) -> int:
    """Build the demo directory and generate ``tickets`` tickets, in one transaction."""
    from django.db import transaction

    from palier.demo.directory import build_directory
    from palier.demo.history import generate_history

    with transaction.atomic():
        return generate_history(tickets, desk=build_directory(), on_ticket=on_ticket)
