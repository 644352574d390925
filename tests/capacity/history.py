"""A small desk history written through the ticket services, for the capacity tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palier.tickets import services
from tests.factories import full_handoff

START = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # a Monday


def build(desk, time_machine, side, *, weeks: int = 3, per_day: int = 3) -> int:
    """Tickets on weekdays: a third escalated to L2 (some paused), the rest solved at L1."""
    count = 0
    for day in range(weeks * 7):
        if day % 7 >= 5:
            continue
        for k in range(per_day):
            at = START + timedelta(days=day, hours=1 + 2 * k)
            time_machine.move_to(at, tick=False)
            ticket = desk.open(side)
            services.take(side.l1, ticket.pk)
            time_machine.move_to(at + timedelta(minutes=20), tick=False)
            services.log_work(side.l1, ticket.pk, minutes=10 + 5 * k)
            if k == 0:
                services.escalate(side.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                                  handoff=full_handoff())
                time_machine.move_to(at + timedelta(minutes=50), tick=False)
                services.accept(side.l2, ticket.pk)
                services.log_work(side.l2, ticket.pk, minutes=30 + day)
                actor = side.l2
            else:
                actor = side.l1
            time_machine.move_to(at + timedelta(minutes=70), tick=False)
            services.resolve(actor, ticket.pk, resolution="Fixed.")
            count += 1
    return count
