"""The SLA worker's job: claim the tickets whose alarms are due, and fire each alarm once.

1. ``claim``: in a short transaction, take up to ``batch`` tickets with
   ``next_sla_check_at <= now`` and no live lease (``SELECT … FOR UPDATE SKIP LOCKED`` on
   PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises claims) and set their lease
   (``sla_claimed_until``). Other workers skip leased tickets.
2. ``fire``: in one transaction, lock the claimed tickets, insert a ledger row
   (``SlaAlarm``) for each alarm due — ``ON CONFLICT DO NOTHING``, so an alarm someone else
   fired is skipped — write the journal events for the rows inserted, take the fired alarms off
   the ticket, release the lease, and run the policy's breach actions.

A worker killed mid-batch commits nothing; its lease runs out and another worker takes the
tickets. The ledger's unique key makes a double firing impossible even if two workers ever
hold the same ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from palier.core import clock
from palier.sla.actions import act_on_breaches
from palier.sla.clock import Alarm
from palier.sla.models import SlaAlarm
from palier.sla.services import versions
from palier.sla.services.refresh import alarm_from_json, alarm_to_json
from palier.tickets import lifecycle
from palier.tickets.models import EventKind, Ticket, TicketEvent

LEASE = timedelta(seconds=30)
BATCH = 500
_INSERT_CHUNK = 1000
_LABELS = {"response": "First-response", "resolution": "Resolution"}


@dataclass(frozen=True)
class Fired:
    """An alarm this worker fired, on one ticket."""

    ticket_id: int
    alarm: Alarm


@dataclass(frozen=True)
class Held:
    """A claimed ticket, as read under its row lock."""

    pk: int
    status: str
    state: dict
    version_id: str | None
    owed: list[Alarm]


def claim(now: datetime, *, batch: int = BATCH, lease: timedelta = LEASE) -> list[int]:
    """Lease up to ``batch`` due tickets to this worker; returns their ids."""
    with transaction.atomic():
        due = (Ticket.objects.filter(next_sla_check_at__lte=now)
               .filter(Q(sla_claimed_until__isnull=True) | Q(sla_claimed_until__lt=now))
               .order_by("next_sla_check_at")
               .select_for_update(skip_locked=True)
               .values_list("pk", flat=True)[:batch])
        ids = list(due)
        if ids:
            Ticket.objects.filter(pk__in=ids).update(sla_claimed_until=now + lease)
    return ids


def fire(ids: list[int], now: datetime, *,
         before_commit: Callable[[int], None] | None = None) -> list[Fired]:
    """Fire the alarms due at ``now`` on the claimed tickets ``ids``; returns those fired
    here. ``before_commit(n)`` is called with the number of tickets just before commit."""
    with transaction.atomic():
        held = _hold(ids)
        written = max(clock.now(), now)  # when the alarms are written (``now`` in tests)
        due = [Fired(h.pk, alarm) for h in held for alarm in _due(h.owed, now)]
        fired = _ledger([f for f in due if not f.alarm.superseded], written)
        _journal(fired, held, written)
        _release(held, due, fired)
        act_on_breaches([(f.ticket_id, f.alarm) for f in fired if f.alarm.is_breach],
                        {h.pk: h.version_id for h in held})
        if before_commit is not None:
            before_commit(len(held))
    return fired


def _hold(ids: list[int]) -> list[Held]:
    rows = (Ticket.objects.filter(pk__in=ids).select_for_update().order_by("pk")
            .values_list("pk", "status", "sla_state", "sla_version_id"))
    return [Held(pk, status, state or {}, version_id,
                 [alarm_from_json(item) for item in (state or {}).get("alarms", [])])
            for pk, status, state, version_id in rows]


def _due(owed: list[Alarm], now: datetime) -> list[Alarm]:
    """The alarms due at ``now``; a target's warnings are marked superseded when its breach
    is due too (a late worker fires the breach, not the warnings it overtook)."""
    due = [alarm for alarm in owed if alarm.at <= now]
    broken = {alarm.target for alarm in due if alarm.is_breach}
    return [replace(alarm, superseded=True) if alarm.target in broken and not alarm.is_breach
            else alarm for alarm in due]


def _ledger(due: list[Fired], written: datetime) -> list[Fired]:
    """Insert a ledger row per alarm; the ones that were not already there are fired."""
    inserted: set[tuple] = set()
    for start in range(0, len(due), _INSERT_CHUNK):
        inserted |= _insert(due[start:start + _INSERT_CHUNK], written)
    return [f for f in due if (f.ticket_id, *f.alarm.key) in inserted]


def _insert(chunk: list[Fired], written: datetime) -> set[tuple]:
    if not chunk:
        return set()
    ops, params = connection.ops, []
    fired_at = ops.adapt_datetimefield_value(written)
    for f in chunk:
        a = f.alarm
        params += [f.ticket_id, a.target, a.kind, a.cycle, ops.adapt_datetimefield_value(a.at),
                   ops.adapt_datetimefield_value(a.due_at), fired_at]
    columns = ("ticket_id", "target", "kind", "cycle", "reached_at", "due_at", "fired_at")
    rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
    sql = (f'INSERT INTO "{SlaAlarm._meta.db_table}" ({", ".join(columns)}) VALUES {rows} '
           "ON CONFLICT (ticket_id, target, kind, cycle) DO NOTHING "
           "RETURNING ticket_id, target, kind, cycle")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row) for row in cursor.fetchall()}


def _journal(fired: list[Fired], held: list[Held], written: datetime) -> None:
    """One event per alarm; a breach also alerts the managers when the policy says so."""
    by_pk = {h.pk: h for h in held}
    events = []
    for f in fired:
        a, ticket = f.alarm, by_pk[f.ticket_id]
        events.append(TicketEvent(
            ticket_id=f.ticket_id, kind=EventKind.SLA_BREACH if a.is_breach
            else EventKind.SLA_WARNING, actor=None, created_at=written, public=False,
            body=describe(a), data=alarm_data(a)))
        if a.is_breach and _alerts_managers(ticket):
            events.append(TicketEvent(
                ticket_id=f.ticket_id, kind=EventKind.MANAGERS_ALERTED, actor=None,
                created_at=written, public=False, body=f"Automatic: {describe(a)}",
                data={"reason": "sla_breach", "target": a.target,
                      "level": ticket.state.get("level")}))
    TicketEvent.objects.bulk_create(events, batch_size=1000)


def _alerts_managers(ticket: Held) -> bool:
    if ticket.version_id is None or not versions.rules(ticket.version_id).actions.alert_managers:
        return False
    return (ticket.status, lifecycle.Action.ALERT_MANAGERS) in lifecycle.TABLE


def _release(held: list[Held], due: list[Fired], fired: list[Fired]) -> None:
    """Take the due alarms off each ticket (fired here or already fired elsewhere), record
    breach times, move ``next_sla_check_at`` to the next alarm, and end the lease."""
    gone = {(f.ticket_id, f.alarm.key) for f in due}
    breaches: dict[int, dict[str, datetime]] = {}
    for f in fired:
        if f.alarm.is_breach:
            breaches.setdefault(f.ticket_id, {})[f.alarm.target] = f.alarm.at
    field, ops = Ticket._meta.get_field("sla_state"), connection.ops
    params = []
    for h in held:
        left = [a for a in h.owed if (h.pk, a.key) not in gone]
        state = {**h.state, "alarms": [alarm_to_json(a) for a in left]} if h.state else None
        broke = breaches.get(h.pk, {})
        ola = f"ola:{h.state.get('level')}"
        params.append([
            field.get_db_prep_save(state, connection),
            ops.adapt_datetimefield_value(min((a.at for a in left), default=None)),
            *(ops.adapt_datetimefield_value(broke.get(t)) for t in ("response", "resolution", ola)),
            h.pk])
    sql = (f'UPDATE "{Ticket._meta.db_table}" SET sla_state = %s, next_sla_check_at = %s, '
           "sla_claimed_until = NULL, "
           "response_breached_at = COALESCE(response_breached_at, %s), "
           "resolution_breached_at = COALESCE(resolution_breached_at, %s), "
           "ola_breached_at = COALESCE(ola_breached_at, %s) WHERE id = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def describe(alarm: Alarm) -> str:
    """``Resolution target 75 % consumed (due 2025-06-18 16:00 UTC).`` and the like."""
    label = (f"OLA at {alarm.level}" if alarm.level
             else _LABELS.get(alarm.target, alarm.target))
    due = f" (due {alarm.due_at:%Y-%m-%d %H:%M} UTC)" if alarm.due_at else ""
    if alarm.is_breach:
        return f"{label} target breached{due}."
    return f"{label} target {alarm.threshold} % consumed{due}."


def alarm_data(alarm: Alarm) -> dict:
    return {"target": alarm.target, "kind": alarm.kind, "cycle": alarm.cycle,
            "threshold": alarm.threshold, "reached_at": alarm.at.isoformat(),
            "due_at": alarm.due_at.isoformat() if alarm.due_at else None}
