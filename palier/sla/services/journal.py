"""The journal as the clock reads it: facts, policy changes and the alarms already fired.

Mapping from ``TicketEvent`` rows to clock facts:

| event | fact |
|---|---|
| created | ``created`` with ``data.priority`` and ``data.level`` |
| classified | ``classified`` with ``data.after.priority``, when the priority changed |
| escalated, returned, de_escalated | the same, with ``data.to_level`` |
| accepted, pending, vendor, resumed, resolved, reopened, closed | the same |
| merged (a duplicate closed into its original) | ``closed`` |
| message, public, by desk staff | ``responded`` |
| message with ``data.resumed`` (a requester's reply) | ``resumed`` |

``policy_changed`` events (``data.to_version``) give the policy schedule; ``sla_warning`` and
``sla_breach`` events (``data.target``, ``data.kind``, ``data.cycle``) are the alarms fired.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from palier.accounts.models import Role
from palier.sla import clock as sla_clock
from palier.sla.clock import AlarmKey, Fact
from palier.tickets.models import EventKind, TicketEvent

STAFF_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMIN})
PLAIN = frozenset({
    EventKind.ACCEPTED, EventKind.PENDING, EventKind.VENDOR, EventKind.RESUMED,
    EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED,
})
LEVEL_MOVES = frozenset({EventKind.ESCALATED, EventKind.RETURNED, EventKind.DE_ESCALATED})
ALARMS = frozenset({EventKind.SLA_WARNING, EventKind.SLA_BREACH})
#: The event kinds the clock reads.
CLOCK_KINDS = frozenset({EventKind.CREATED, EventKind.CLASSIFIED, EventKind.MESSAGE,
                         EventKind.POLICY_CHANGED, EventKind.MERGED}) | PLAIN | LEVEL_MOVES | ALARMS

Row = tuple[int, str, datetime, dict, bool, str | None]


@dataclass
class Journal:
    """One ticket's journal, read for the clock."""

    facts: list[Fact] = field(default_factory=list)
    changes: list[tuple[datetime, str]] = field(default_factory=list)
    first_version: str | None = None
    fired: set[AlarmKey] = field(default_factory=set)

    def schedule(self, created_at: datetime, current: str | None
                 ) -> list[tuple[datetime, str]]:
        """``(from, version id)`` pairs: the first version from creation, then each change."""
        first = self.first_version or current
        if first is None:
            raise ValueError("The policy in force at creation is unknown.")
        return [(created_at, first), *self.changes]


def load_rows(ticket_ids: Iterable[int]) -> dict[int, list[Row]]:
    """The clock's events of each ticket, in journal order: one query."""
    rows: dict[int, list[Row]] = defaultdict(list)
    found = (TicketEvent.objects.filter(ticket_id__in=list(ticket_ids), kind__in=CLOCK_KINDS)
             .order_by("ticket_id", "created_at", "id")
             .values_list("ticket_id", "kind", "created_at", "data", "public", "actor__role"))
    for row in found:
        rows[row[0]].append(row)
    return rows


def read(rows: Iterable[Row]) -> Journal:
    journal = Journal()
    for _, kind, at, data, public, role in rows:
        if kind in ALARMS:
            journal.fired.add((data.get("target", ""), data.get("kind", ""),
                               data.get("cycle", "")))
        elif kind == EventKind.POLICY_CHANGED:
            if journal.first_version is None and not journal.changes:
                journal.first_version = data.get("from_version")
            journal.changes.append((at, data["to_version"]))
        else:
            fact = _fact(kind, at, data, public, role)
            if fact is not None:
                journal.facts.append(fact)
    return journal


def _fact(kind: str, at: datetime, data: dict[str, Any], public: bool,
          role: str | None) -> Fact | None:
    if kind == EventKind.CREATED:
        return Fact(at, sla_clock.CREATED, priority=data.get("priority"), level=data.get("level"))
    if kind == EventKind.CLASSIFIED:
        priority = (data.get("after") or {}).get("priority")
        return Fact(at, sla_clock.CLASSIFIED, priority=priority) if priority else None
    if kind in LEVEL_MOVES:
        return Fact(at, kind, level=data.get("to_level"))
    if kind in PLAIN:
        return Fact(at, kind)
    if kind == EventKind.MERGED:
        return Fact(at, sla_clock.CLOSED)
    if kind == EventKind.MESSAGE:
        if data.get("resumed"):
            return Fact(at, sla_clock.RESUMED)
        if public and role in STAFF_ROLES:
            return Fact(at, sla_clock.RESPONDED)
    return None
