"""The database half of ``bench/sla.py``: a throw-away PostgreSQL desk, many tickets with
alarms due, and ``palier worker`` processes timed as they fire them.

Import after ``PALIER_DATABASE_URL`` is set and Django is set up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connection, transaction

from palier.accounts.models import Group, Level, Role, User
from palier.clients.models import Client, Contract
from palier.core import clock
from palier.sla.models import Calendar, SlaAlarm, SlaPolicy
from palier.sla.services import refresh_many
from palier.tickets.models import EventKind, Ticket, TicketEvent

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2000


class Desk:
    """One client with a 24×7 policy that alerts the managers on a breach."""

    def __init__(self, *, warnings: list[int]) -> None:
        level = Level.objects.order_by("rank").first()
        self.level, self.group = level, Group.objects.create(name=f"Bench {time.time_ns()}",
                                                             level=level)
        self.client = Client.objects.create(name=f"Bench {time.time_ns()}",
                                            code=f"b{time.time_ns() % 10**12}")
        self.contract = Contract.objects.create(client=self.client, name="Bench",
                                                starts_on=datetime(2020, 1, 1).date())
        self.contract.included_levels.set(Level.objects.all())
        calendar = Calendar.objects.create(name=f"Bench {time.time_ns()}", is_24x7=True,
                                           weekly_hours={})
        SlaPolicy.objects.create(name="Bench", contract=self.contract, calendar=calendar,
                                 warning_thresholds=warnings, alert_managers=True)
        self.requester = User.objects.create_user(f"bench-{time.time_ns()}@example.test",
                                                  role=Role.REQUESTER, client=self.client)


def make_tickets(desk: Desk, created: list[datetime], priority: str, now: datetime) -> float:
    """Tickets opened at ``created`` (journal included), measured by the real refresh at
    ``now``; returns the seconds it took."""
    started = time.perf_counter()
    for start in range(0, len(created), CHUNK):
        with transaction.atomic():
            tickets = Ticket.objects.bulk_create(
                Ticket(number=f"B{desk.group.pk}-{start + i}", title="Bench",
                       client=desk.client, contract=desk.contract, requester=desk.requester,
                       level=desk.level, group=desk.group, priority=priority, created_at=at,
                       updated_at=at)
                for i, at in enumerate(created[start:start + CHUNK]))
            TicketEvent.objects.bulk_create(
                TicketEvent(ticket=t, kind=EventKind.CREATED, created_at=t.created_at,
                            public=True, data={"priority": priority, "level": desk.level.code})
                for t in tickets)
            refresh_many(tickets, now=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def workers(count: int, *args: str) -> list[subprocess.Popen]:
    env = {**os.environ}
    return [subprocess.Popen([sys.executable, "-m", "palier", "worker", "-v", "0", *args],
                             cwd=ROOT, env=env) for _ in range(count)]


def sweep(tickets: int, processes: int, batch: int) -> dict:
    """``tickets`` tickets whose alarms are all due now, fired by ``processes`` workers."""
    now = clock.now()
    desk = Desk(warnings=[75, 90])
    # Opened 22 h ago, P3 (response 4 h, resolution 24 h): each owes its response breach and
    # its resolution's 75 % and 90 % warnings; a breach also alerts the managers.
    setup = make_tickets(desk, [now - timedelta(hours=22)] * tickets, "P3", now)
    started = time.perf_counter()
    for process in workers(processes, "--once", "--batch", str(batch)):
        process.wait()
    seconds = time.perf_counter() - started
    alarms = SlaAlarm.objects.filter(ticket__client=desk.client).count()
    events = TicketEvent.objects.filter(ticket__client=desk.client).exclude(
        kind=EventKind.CREATED).count()
    left = Ticket.objects.filter(client=desk.client, next_sla_check_at__lte=now).count()
    return {"tickets": tickets, "workers": processes, "batch": batch,
            "setup_seconds": round(setup, 1), "seconds": round(seconds, 2),
            "alarms_fired": alarms, "events_written": events, "left_due": left,
            "tickets_per_second": round(tickets / seconds)}


def delay(tickets: int, processes: int, spread: float, interval: float) -> dict:
    """Breaches falling due one after another over ``spread`` seconds while ``processes``
    workers run with ``interval``: how long after its due time each was written."""
    desk = Desk(warnings=[])
    now = clock.now()
    lead = 20.0  # seconds for the workers to start before the first alarm falls due
    # P1 response: 15 min; opened so that each falls due at now + lead + k·spread/tickets.
    due = [now + timedelta(seconds=lead + spread * k / tickets) for k in range(tickets)]
    make_tickets(desk, [d - timedelta(minutes=15) for d in due], "P1", clock.now())
    running = workers(processes, "--interval", str(interval))
    try:
        while clock.now() < due[-1] + timedelta(seconds=5):
            time.sleep(0.5)
        time.sleep(interval + 2)
    finally:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(timeout=30)
    late = [(fired - reached).total_seconds() for fired, reached in
            SlaAlarm.objects.filter(ticket__client=desk.client, target="response")
            .values_list("fired_at", "reached_at")]
    return {"tickets": tickets, "workers": processes, "interval_seconds": interval,
            "spread_seconds": spread, "fired": len(late), **_percentiles(late)}


def _percentiles(values: list[float]) -> dict:
    data = sorted(values)
    if not data:
        return {}

    def rank(p: float) -> float:
        return round(data[min(len(data) - 1, max(0, int(p * len(data) + 0.5) - 1))], 3)

    return {"p50_seconds": rank(0.5), "p95_seconds": rank(0.95), "max_seconds": rank(1.0)}
