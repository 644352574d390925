"""SLA reads: the clock summary every ticket read carries, and the full explanation.

The summary is computed from the snapshot the last refresh stored (``Ticket.sla_state``) plus
the business time elapsed since, in the calendar in force: no journal read, no query once the
version's rules are cached. ``ticket_sla`` replays the journal for the exact state and the
explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import ValidationFailed
from palier.sla.calendar import BusinessCalendar, zone
from palier.sla.clock import ClockState, Line, clock_state, explain, render_explanation
from palier.sla.services import versions
from palier.sla.services.journal import load_rows
from palier.sla.services.refresh import replay_of
from palier.tickets.models import Ticket
from palier.tickets.selectors import access_ticket


@dataclass(frozen=True)
class TargetNow:
    """One target as of now, from the stored snapshot."""

    state: str
    due_at: datetime | None
    remaining_seconds: int
    percent: float
    breached: bool
    breached_at: datetime | None
    level: str | None = None


@dataclass(frozen=True)
class Summary:
    policy: str | None
    paused: bool
    response: TargetNow | None
    resolution: TargetNow | None
    ola: TargetNow | None
    next_check_at: datetime | None


def summary(ticket: Ticket, now: datetime | None = None) -> Summary | None:
    """Where the ticket's clocks stand now; ``None`` for a ticket never measured."""
    snap = ticket.sla_state
    if not snap or ticket.sla_version_id is None:
        return None
    row = ticket.sla_version if Ticket.sla_version.is_cached(ticket) else None
    rules = versions.rules(ticket.sla_version_id, row)
    now, at = now or clock.now(), datetime.fromisoformat(snap["at"])
    calendar = rules.policy.calendar
    targets = snap["targets"]

    def live(name: str) -> TargetNow | None:
        return _live(targets[name], calendar, at, now) if name in targets else None

    return Summary(policy=rules.name or None, paused=ticket.sla_paused, response=live("response"),
                   resolution=live("resolution"), ola=live("ola"),
                   next_check_at=ticket.next_sla_check_at)


def _live(target: dict, calendar: BusinessCalendar, at: datetime, now: datetime) -> TargetNow:
    running = target["state"] == "running"
    consumed = timedelta(seconds=target["consumed"])
    if running and now > at:
        consumed += calendar.between(at, now)
    goal = timedelta(seconds=target["goal"])
    due = datetime.fromisoformat(target["due_at"]) if target["due_at"] else None
    breached_at = (datetime.fromisoformat(target["breached_at"]) if target["breached_at"]
                   else due if running and due is not None and now >= due else None)
    return TargetNow(state=target["state"], due_at=due,
                     remaining_seconds=int((goal - consumed).total_seconds()),
                     percent=round(consumed / goal * 100, 2), breached=breached_at is not None,
                     breached_at=breached_at, level=target.get("level"))


@dataclass(frozen=True)
class Report:
    """The exact clock of one ticket, and the explanation behind it."""

    state: ClockState
    policy: str | None
    lines: list[Line]
    text: str


def ticket_sla(actor: User, ticket_id: int, *, tz: str | None = None) -> Report:
    """The clock replayed from the journal now, with its explanation (scoped like a read)."""
    ticket = access_ticket(actor, ticket_id)
    if tz is not None:
        try:
            zone(tz)
        except ValueError:
            raise ValidationFailed(f"{tz} is not an IANA timezone.",
                                   fields={"tz": "invalid"}) from None
    now = clock.now()
    replay = replay_of(ticket, load_rows([ticket.pk]).get(ticket.pk, []))
    lines = explain(replay.facts, replay.policies, now, tz=tz)
    return Report(clock_state(replay.facts, replay.policies, now),
                  versions.rules(replay.version_id).name or None, lines, render_explanation(lines))
