"""Ninety days of desk history, generated only through the ticket services.

Tickets arrive in business hours (more on Monday mornings); each one's life is drawn from
its own seeded random generator and replayed with the clock moved to each moment, so the
demo is the same for the same seed and end time, and every row obeys the desk's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random

from django.db import transaction

from palier.core import clock
from palier.demo import stories, timeline
from palier.demo.directory import DemoDirectory, build_directory
from palier.demo.plans import Planner
from palier.demo.replay import Cast, Replay

SEED_STRIDE = 1_000_003


def generate_history(tickets: int = 5000, days: int = 90, seed: int = 7, *,
                     end: datetime | None = None, desk: DemoDirectory | None = None,
                     on_ticket: Callable[[], None] | None = None) -> int:
    """Create ``tickets`` tickets over the ``days`` before ``end`` (default: now).

    Builds the demo directory if needed. ``on_ticket`` is called after each ticket (for a
    progress bar). Returns the number of tickets created.
    """
    if tickets < 0 or days < 1:
        raise ValueError("tickets must be ≥ 0 and days ≥ 1")
    end = end or clock.now()
    moments = timeline.arrivals(Random(seed), tickets, end - timedelta(days=days), end)
    with transaction.atomic():
        desk = desk or build_directory()
        planner, cast = Planner(desk), Cast(desk)
        for index, moment in enumerate(moments):
            rng = Random(seed * SEED_STRIDE + index)
            stories.tell(Replay(cast, rng, planner.draw(rng), moment, end))
            if on_ticket is not None:
                on_ticket()
    return len(moments)
