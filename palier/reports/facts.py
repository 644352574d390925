"""Live tickets → ``metrics.Step`` lists → stored ``TicketFacts`` (the reports' rollup).

Reads the journal in ticket-id batches (one query for the tickets, one for their events),
computes each ticket's facts with the pure ``metrics.case_facts`` and replaces the stored
rows. The worker keeps them current (``jobs.refresh_facts``); ``palier report refresh``
rebuilds them all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone

from palier.accounts.models import Agent, Group, Level
from palier.core import clock
from palier.reports import rollups
from palier.reports.metrics import Facts, Kind, Step, case_facts
from palier.reports.models import TicketFacts
from palier.tickets.models import Satisfaction, Ticket, TicketEvent

BATCH = 2000
TICKET_FIELDS = ("id", "client_id", "category_id", "priority", "created_at", "first_response_at",
                 "response_due_at", "due_at", "resolved_at", "response_breached_at",
                 "resolution_breached_at", "ola_breached_at")
SIMPLE = {"pending": Kind.PENDING, "vendor": Kind.PENDING, "resumed": Kind.RESUMED,
          "reopened": Kind.REOPENED, "closed": Kind.CLOSED,
          "merged": Kind.CLOSED}  # a duplicate closes unresolved


@dataclass(frozen=True)
class Desk:
    """What the normaliser needs to know of the directory."""

    ranks: dict[str, int]
    first_level: str
    group_ids: dict[str, str]      # group name → id (as text)
    agent_of_user: dict[int, str]  # user id → agent id (as text)

    @classmethod
    def load(cls) -> Desk:
        ranks = dict(Level.objects.values_list("code", "rank"))
        return cls(
            ranks=ranks,
            first_level=min(ranks, key=ranks.__getitem__) if ranks else "L1",
            group_ids={name: str(pk) for pk, name in Group.objects.values_list("id", "name")},
            agent_of_user={user: str(pk) for pk, user in Agent.objects.values_list("id",
                                                                                     "user_id")},
        )


def event_step(kind: str, actor: int | None, at: datetime, data: dict, desk: Desk) -> Step:
    """One journal event as a normalised step."""
    if kind == "created":
        return Step(at, Kind.CREATED, data.get("level"), desk.group_ids.get(data.get("group")))
    if kind == "assigned":
        agent = data.get("to_agent")
        return Step(at, Kind.ASSIGNED, agent=str(agent) if agent is not None else None)
    if kind == "accepted":
        return Step(at, Kind.ASSIGNED, agent=desk.agent_of_user.get(actor))
    if kind in ("escalated", "de_escalated"):
        return Step(at, Kind(kind), data.get("to_level"), desk.group_ids.get(data.get("to_group")))
    if kind == "returned":
        return Step(at, Kind.RETURNED, data.get("to_level"))
    if kind == "resolved":
        return Step(at, Kind.RESOLVED, article=data.get("article") is not None)
    if kind == "message" and data.get("resumed"):
        return Step(at, Kind.RESUMED)
    if kind == "article_linked":
        return Step(at, Kind.OTHER, article=True)
    return Step(at, SIMPLE.get(kind, Kind.OTHER))


def ticket_steps(row: dict, events: Iterable[tuple], desk: Desk) -> list[Step]:
    """The ticket's steps in time order; the first response is a step of its own."""
    steps = [event_step(kind, actor, at, data or {}, desk) for kind, actor, at, data in events]
    if row["first_response_at"] is not None:
        steps.append(Step(row["first_response_at"], Kind.RESPONSE))
        steps.sort(key=lambda s: (s.at, s.kind is Kind.RESPONSE))  # stable: journal order
    return steps


def common_fields(facts: Facts) -> dict:
    """The ``CaseFactsBase`` columns of one case's facts (live or imported)."""
    seconds = facts.level_seconds
    return dict(
        created_at=facts.created_at, created_on=desk_day(facts.created_at),
        start_level=facts.start_level, resolved_level=facts.resolved_level or "",
        level_trail=">".join(facts.level_trail)[:200],
        levels=bars(facts.level_trail), groups=bars(facts.group_trail),
        agents=bars(sorted(facts.agents)), escalations=facts.escalations, skips=facts.skips,
        returns=facts.returns, de_escalations=facts.de_escalations,
        reassignments=facts.reassignments, reopens=facts.reopens,
        pingpong_level=facts.pingpong_level, pingpong_group=facts.pingpong_group,
        resolved=facts.resolved, resolved_at=facts.resolved_at, fcr=facts.fcr,
        l1_resolved=facts.l1_resolved, with_article=facts.with_article,
        first_response_seconds=facts.first_response_seconds,
        resolve_seconds=facts.resolve_seconds, paused_seconds=facts.paused_seconds,
        seconds_l1=seconds.get("L1", 0.0), seconds_l2=seconds.get("L2", 0.0),
        seconds_l3=seconds.get("L3", 0.0),
        level_seconds={k: round(v, 3) for k, v in seconds.items()},
    )


def desk_day(moment: datetime) -> date:
    """The day of ``moment`` in the desk's time zone (report periods and rollups use it)."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def facts_row(row: dict, facts: Facts, now: datetime,
              rating: tuple[int, str] | None = None) -> dict:
    """The stored row for one ticket, by attribute name (``rating``: score, level code)."""
    return dict(
        ticket_id=row["id"], client_id=row["client_id"], category_id=row["category_id"],
        priority=row["priority"], **common_fields(facts),
        response_met=_met(row["first_response_at"], row["response_due_at"],
                          row["response_breached_at"]),
        resolution_met=_met(row["resolved_at"], row["due_at"], row["resolution_breached_at"]),
        ola_breached=row["ola_breached_at"] is not None,
        csat_score=rating[0] if rating else None, csat_level=rating[1] if rating else "",
        computed_at=now,
    )


def bars(values: Iterable[str]) -> str:
    unique = list(dict.fromkeys(v for v in values if v))
    return "|" + "|".join(unique) + "|" if unique else ""


def _met(done: datetime | None, due: datetime | None, breached: datetime | None) -> bool | None:
    """Met, missed, or None when there is no target or the ticket has not got there."""
    if due is None or done is None:
        return None
    return breached is None and done <= due


def _when(value: object) -> datetime | None:
    """A stored datetime as an aware one (SQLite gives naive UTC text)."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json(value: object) -> dict:
    return json.loads(value) if isinstance(value, (str, bytes)) else (value or {})


def _select(sql: str, ids: list[int]) -> list[tuple]:
    """Raw reads: at a million tickets the ORM's per-value converters cost more than the
    metrics themselves."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def compute(ticket_ids: list[int], desk: Desk) -> list[dict]:
    """The facts of the given tickets (three queries)."""
    ticket_sql = (f"SELECT {', '.join(TICKET_FIELDS)} FROM {Ticket._meta.db_table} "
                  "WHERE id IN ({ids})")
    rows = {}
    for values in _select(ticket_sql, ticket_ids):
        row = dict(zip(TICKET_FIELDS, values, strict=True))
        for key in TICKET_FIELDS[4:]:
            row[key] = _when(row[key])
        rows[row["id"]] = row
    journal: dict[int, list[tuple]] = defaultdict(list)
    event_sql = ("SELECT ticket_id, kind, actor_id, created_at, data FROM "
                 f"{TicketEvent._meta.db_table} WHERE ticket_id IN ({{ids}}) "
                 "ORDER BY ticket_id, created_at, id")
    for ticket_id, kind, actor, at, data in _select(event_sql, ticket_ids):
        journal[ticket_id].append((kind, actor, _when(at), _json(data)))
    rating_sql = (f"SELECT s.ticket_id, s.score, l.code FROM {Satisfaction._meta.db_table} s "
                  f"JOIN {Level._meta.db_table} l ON l.id = s.level_id "
                  "WHERE s.ticket_id IN ({ids})")
    ratings = {ticket: (score, code) for ticket, score, code in _select(rating_sql, ticket_ids)}
    now = clock.now()
    out = []
    for ticket_id, row in rows.items():
        steps = ticket_steps(row, journal.get(ticket_id, ()), desk)
        if not steps or steps[0].kind is not Kind.CREATED:
            steps.insert(0, Step(row["created_at"], Kind.CREATED))
        facts = case_facts(steps, desk.ranks, first_level=desk.first_level)
        out.append(facts_row(row, facts, now, ratings.get(ticket_id)))
    return out


def store(ticket_ids: list[int], desk: Desk | None = None, *, days: bool = True) -> int:
    """Recompute and replace the facts of the given tickets; how many were written.

    With ``days`` (the worker's case) the rollup days of these tickets are recomputed in the
    same transaction; a full rebuild passes ``days=False`` and rebuilds the rollups once at
    the end."""
    if not ticket_ids:
        return 0
    desk = desk or Desk.load()
    rows = compute(ticket_ids, desk)
    fields = TicketFacts._meta.concrete_fields
    table = TicketFacts._meta.db_table
    quote = connection.ops.quote_name
    insert = (f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "
              f"VALUES ({', '.join(['%s'] * len(fields))})")
    params = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows]
    marks = ", ".join(["%s"] * len(ticket_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        rollups.lock(cursor)
        touched = {row["created_on"] for row in rows}
        if days:
            cursor.execute(f"SELECT DISTINCT created_on FROM {table} WHERE ticket_id IN "
                           f"({marks})", ticket_ids)
            touched.update(_day(value) for (value,) in cursor.fetchall())
        cursor.execute(f"DELETE FROM {table} WHERE ticket_id IN ({marks})", ticket_ids)
        cursor.executemany(insert, params)
        if days:
            rollups.refresh_days(cursor, touched)
    return len(rows)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def id_batches(size: int = BATCH, after: int = 0) -> Iterator[list[int]]:
    """Every ticket id past ``after``, in batches (keyset, no OFFSET)."""
    last = after
    while True:
        ids = list(Ticket.objects.filter(pk__gt=last).order_by("pk")
                   .values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]
