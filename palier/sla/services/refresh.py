"""Re-measure a ticket's clock from its journal and store what the desk and the worker read.

``refresh_after(ticket, event)`` is called by ``tickets.services.base.record`` for every
journal event; it refreshes when the event can move the clock (two queries: the journal, the
update). A new ticket's clock starts before its row is written (``start_clock``). The stored
columns are due times, breach times, the pause flag, the version in force,
``next_sla_check_at`` (the earliest alarm owed; the worker's index) and ``sla_state``, a
snapshot of each target (length, consumption, state) and the alarms owed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from palier.accounts.models import User
from palier.core import clock
from palier.sla import clock as sla_clock
from palier.sla.clock import (
    PAUSED,
    Alarm,
    AlarmKey,
    ClockState,
    Fact,
    Policy,
    TargetState,
    clock_with_alarms,
)
from palier.sla.services import versions
from palier.sla.services.journal import CLOCK_KINDS, Row, load_rows, read
from palier.tickets.models import EventKind, Ticket, TicketEvent

#: The columns a refresh writes.
COLUMNS = ("response_due_at", "due_at", "ola_due_at", "sla_paused", "response_breached_at",
           "resolution_breached_at", "ola_breached_at", "sla_version_id", "sla_state",
           "next_sla_check_at")


def refresh_after(ticket: Ticket, event: TicketEvent) -> None:
    """Refresh the clock if ``event`` can move it (the hook of every journal write)."""
    if moves_clock(ticket, event):
        refresh_clock(ticket)


def start_clock(ticket: Ticket, created: TicketEvent) -> None:
    """Set a new ticket's clock columns, before it is inserted, from its ``created`` event:
    that event is its whole journal, so nothing is read back and nothing written twice."""
    role = created.actor.role if created.actor is not None else None
    row: Row = (ticket.pk, created.kind, created.created_at, created.data, created.public, role)
    _, values = measure(ticket, [row], created.created_at)
    for name, value in values.items():
        setattr(ticket, name, value)


def moves_clock(ticket: Ticket, event: TicketEvent) -> bool:
    kind = event.kind
    if kind == EventKind.CLASSIFIED:
        return "priority" in (event.data.get("after") or {})
    if kind == EventKind.MESSAGE:
        return bool(event.data.get("resumed")) or (
            event.public and _is_staff(event.actor) and _response_open(ticket))
    return kind in CLOCK_KINDS and kind not in (EventKind.SLA_WARNING, EventKind.SLA_BREACH)


def _is_staff(actor: User | None) -> bool:
    return actor is not None and actor.is_desk_staff


def _response_open(ticket: Ticket) -> bool:
    response = ((ticket.sla_state or {}).get("targets") or {}).get("response")
    return response is None or response["state"] != "stopped"


def refresh_clock(ticket: Ticket, *, now: datetime | None = None,
                  rows: list[Row] | None = None) -> ClockState:
    """Re-measure ``ticket`` (locked by the caller) from its journal (or the clock ``rows``
    the caller already holds) and store the result."""
    now = now or clock.now()
    if rows is None:
        rows = load_rows([ticket.pk]).get(ticket.pk, [])
    state, values = measure(ticket, rows, now)
    Ticket.objects.filter(pk=ticket.pk).update(**values)
    for name, value in values.items():
        setattr(ticket, name, value)
    return state


def refresh_many(tickets: Iterable[Ticket], *, now: datetime | None = None) -> int:
    """Refresh several tickets (locked by the caller): one journal query, one prepared
    ``UPDATE`` run for every ticket."""
    now = now or clock.now()
    tickets = list(tickets)
    rows = load_rows(t.pk for t in tickets)
    unknown = {t.contract_id for t in tickets if t.sla_version_id is None}
    in_force = {pk: versions.contract_version(pk) for pk in unknown}
    for ticket in tickets:
        _, values = measure(ticket, rows.get(ticket.pk, []), now,
                            current=in_force.get(ticket.contract_id))
        for name, value in values.items():
            setattr(ticket, name, value)
    fields = [Ticket._meta.get_field(name.removesuffix("_id")) for name in COLUMNS]
    sql = (f'UPDATE "{Ticket._meta.db_table}" SET '
           + ", ".join(f'"{f.column}" = %s' for f in fields) + ' WHERE "id" = %s')
    with connection.cursor() as cursor:
        cursor.executemany(sql, [
            [f.get_db_prep_save(getattr(t, f.attname), connection) for f in fields] + [t.pk]
            for t in tickets])
    return len(tickets)


@dataclass(frozen=True)
class Replay:
    """What the clock replays for one ticket: facts, the policy schedule, alarms fired."""

    facts: list[Fact]
    policies: list[tuple[datetime, Policy]]
    fired: set[AlarmKey]
    version_id: str


def replay_of(ticket: Ticket, rows: list[Row], current: str | None = None) -> Replay:
    """The clock's inputs from the ticket's journal rows (``journal.load_rows``).
    ``current``: the contract's version now, if the caller knows it."""
    journal = read(rows)
    if not journal.facts or journal.facts[0].kind != sla_clock.CREATED:
        journal.facts.insert(0, Fact(ticket.created_at, sla_clock.CREATED,
                                     priority=ticket.priority, level=ticket.level.code))
    current = ticket.sla_version_id or current
    if journal.first_version is None and current is None:
        current = versions.contract_version(ticket.contract_id)
    schedule = journal.schedule(journal.facts[0].at, current)
    return Replay(journal.facts, [(start, versions.rules(pk).policy) for start, pk in schedule],
                  journal.fired, schedule[-1][1])


def measure(ticket: Ticket, rows: list[Row], now: datetime, *,
            current: str | None = None) -> tuple[ClockState, dict]:
    """The clock state of ``ticket`` at ``now`` and the column values that store it."""
    replay = replay_of(ticket, rows, current)
    state, alarms = clock_with_alarms(replay.facts, replay.policies, now, replay.fired)
    return state, columns(state, alarms, replay.version_id, now)


def columns(state: ClockState, alarms: list[Alarm], version_id: str, now: datetime) -> dict:
    """What a refresh stores for ``state`` and the ``alarms`` owed."""
    response, resolution, ola = state.response, state.resolution, state.ola
    return {
        "response_due_at": response.due_at if response else None,
        "due_at": resolution.due_at if resolution else None,
        "ola_due_at": ola.due_at if ola else None,
        "sla_paused": resolution is not None and resolution.state == PAUSED,
        "response_breached_at": response.breached_at if response else None,
        "resolution_breached_at": resolution.breached_at if resolution else None,
        "ola_breached_at": ola.breached_at if ola else None,
        "sla_version_id": version_id,
        "sla_state": snapshot(state, alarms, now),
        "next_sla_check_at": alarms[0].at if alarms else None,
    }


def snapshot(state: ClockState, alarms: list[Alarm], now: datetime) -> dict[str, Any]:
    """The stored clock: each target at ``now``, and the alarms owed (soonest first)."""
    targets = {name: _target(t) for name, t in (("response", state.response),
                                                 ("resolution", state.resolution),
                                                 ("ola", state.ola)) if t is not None}
    if state.ola is not None:
        targets["ola"]["level"] = state.level
    return {
        "at": now.isoformat(), "status": state.status, "level": state.level,
        "priority": state.priority, "targets": targets,
        "alarms": [alarm_to_json(alarm) for alarm in alarms],
    }


def _target(t: TargetState) -> dict[str, Any]:
    return {"state": t.state, "goal": t.target.total_seconds(),
            "consumed": t.consumed.total_seconds(), "due_at": _iso(t.due_at),
            "breached_at": _iso(t.breached_at)}


def alarm_to_json(alarm: Alarm) -> list:
    return [alarm.at.isoformat(), alarm.target, alarm.kind, alarm.cycle, _iso(alarm.due_at),
            alarm.threshold]


def alarm_from_json(item: list) -> Alarm:
    at, target, kind, cycle, due_at, threshold = item
    return Alarm(target, kind, cycle, datetime.fromisoformat(at),
                 datetime.fromisoformat(due_at) if due_at else None, threshold)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
