"""SLA fixtures: the Paris office calendar and a standard policy on client A's contract.

Calendar: Europe/Paris, Monday–Friday 09:00–12:00 and 13:00–18:00 (8 h a day), French public
holidays. 16–20 June 2025 is a week without holidays; 14 July 2025 (a Monday) is one.
Policy targets in business minutes: response P1 30 · P2 60 · P3 240 · P4 480; resolution
P1 240 · P2 480 · P3 960 · P4 2400; OLA L1 240 · L2 480 · L3 960.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from palier.core import clock
from palier.sla import firing
from palier.sla.models import Calendar, OlaTarget, SlaPolicy
from palier.tickets.models import Ticket, TicketEvent

PARIS = ZoneInfo("Europe/Paris")
RESPONSE = {"P1": 30, "P2": 60, "P3": 240, "P4": 480}
RESOLUTION = {"P1": 240, "P2": 480, "P3": 960, "P4": 2400}
OLA = {"L1": 240, "L2": 480, "L3": 960}


def paris(day: int, hour: int, minute: int = 0, *, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def office(db) -> Calendar:
    return Calendar.objects.create(
        name="Paris office", timezone="Europe/Paris", holiday_country="FR",
        weekly_hours={d: [["09:00", "12:00"], ["13:00", "18:00"]]
                      for d in ("mon", "tue", "wed", "thu", "fri")})


@pytest.fixture
def policy(desk, office) -> SlaPolicy:
    """Client A's policy (no breach actions unless a test turns them on)."""
    policy = SlaPolicy.objects.create(
        name="Standard", contract=desk.a.contract, calendar=office, response_minutes=RESPONSE,
        resolution_minutes=RESOLUTION, alert_managers=False)
    for code, minutes in OLA.items():
        OlaTarget.objects.create(policy=policy, level=desk.levels[code], minutes=minutes)
    return policy


@pytest.fixture
def at(time_machine):
    """``at(moment)`` moves the frozen clock."""
    def move(moment: datetime) -> datetime:
        time_machine.move_to(moment, tick=False)
        return moment
    return move


def sweep(now: datetime | None = None, *, batch: int = 500) -> list[firing.Fired]:
    """What a worker would fire now: claim and fire until nothing is due."""
    now = now or clock.now()
    fired: list[firing.Fired] = []
    while ids := firing.claim(now, batch=batch):
        fired += firing.fire(ids, now)
    return fired


def fired_names(fired: list[firing.Fired]) -> list[str]:
    """``["resolution warning_75", "ola:L1 breach", …]`` in firing order."""
    return [f"{f.alarm.target} {f.alarm.kind}" for f in fired]


def sla_events(ticket: Ticket) -> list[tuple[str, str]]:
    """The (target, kind) of each SLA warning and breach journaled, oldest first."""
    return [(e["target"], e["kind"]) for e in TicketEvent.objects.filter(
        ticket=ticket, kind__in=["sla_warning", "sla_breach"]).order_by("id")
        .values_list("data", flat=True)]


def reread(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)
