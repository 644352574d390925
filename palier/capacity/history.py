"""The desk's own history, read for capacity estimation: the journal of the tickets in scope
reduced to ``estimation.Observed``, plus calendars, targets and hourly costs.

Only called by ``capacity.services`` after authorization; every query is limited to the
client ids it is given.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import numpy as np
from django.db.models import Avg
from django.db.models.fields.json import KT

from palier.accounts.models import Agent, Level
from palier.capacity.estimation import Observed
from palier.capacity.eventlog import Visit
from palier.capacity.model import HOURS_PER_WEEK, PRIORITIES
from palier.sla.models import SlaPolicy
from palier.tickets.models import EventKind, Ticket, TicketEvent, Worklog

MOVES = (EventKind.ESCALATED, EventKind.RETURNED, EventKind.DE_ESCALATED)
KINDS = (EventKind.CREATED, *MOVES, EventKind.PENDING, EventKind.RESUMED,
         EventKind.RESOLVED, EventKind.REOPENED)


def levels() -> list[Level]:
    return list(Level.objects.order_by("rank"))


def observe(client_ids: set[int], since: datetime, until: datetime,
            codes: tuple[str, ...]) -> Observed:
    """Tickets created in [since, until) for these clients, as arrivals and level visits.

    The journal and the worklog are read by joining on the tickets (no id list), and of each
    event's data only the level it names (no JSON decoding in Python): a year-long desk's
    quarter is hundreds of thousands of tickets.
    """
    rank = {code: i for i, code in enumerate(codes)}
    window = {"client_id__in": client_ids, "created_at__gte": since, "created_at__lt": until}
    joined = {f"ticket__{key}": value for key, value in window.items()}
    tickets = dict(Ticket.objects.filter(**window).values_list("id", "priority"))
    events = defaultdict(list)
    for ticket_id, kind, at, level, to_level in (
            TicketEvent.objects.filter(kind__in=KINDS, **joined)
            .order_by("ticket_id", "created_at", "id")
            .values_list("ticket_id", "kind", "created_at", KT("data__level"),
                         KT("data__to_level"))):
        events[ticket_id].append((kind, at, level if kind == EventKind.CREATED else to_level))
    work = defaultdict(list)
    for row in (Worklog.objects.filter(**joined)
                .values_list("ticket_id", "level__code", "created_at", "minutes")):
        work[row[0]].append(row[1:])
    obs = Observed()
    for ticket_id, priority in tickets.items():
        journal = events.get(ticket_id)
        if not journal or journal[0][0] != EventKind.CREATED:
            continue
        _ticket(obs, journal, work.get(ticket_id, []), rank, PRIORITIES.index(priority))
    return obs


def _ticket(obs: Observed, journal: list, work: list, rank: dict[str, int],
            priority: int) -> None:
    """Walk one ticket's journal: a visit per stay at a level, its worklog, its pauses."""
    created = journal[0]
    level = rank.get(created[2], 0)
    obs.arrivals.append(created[1].timestamp())
    obs.priorities.append(priority)
    obs.entry.append(level)
    start, pauses, paused, pause_from, top, resolved = created[1], 0, 0.0, None, level, False
    for kind, at, to_level in journal[1:]:
        if kind == EventKind.PENDING:
            pauses, pause_from = pauses + 1, at
        elif kind == EventKind.RESUMED and pause_from is not None:
            paused, pause_from = paused + (at - pause_from).total_seconds(), None
        elif kind == EventKind.REOPENED:
            resolved = False
        elif kind == EventKind.RESOLVED:
            resolved = True
        elif kind in MOVES and to_level in rank:
            dest = rank[to_level]
            outcome = "escalate" if dest > level else "return"
            obs.visits.append(_visit(level, start, at, work, pauses, paused, outcome, dest))
            level, start, pauses, paused, top = dest, at, 0, 0.0, max(top, dest)
    end = journal[-1][1]
    obs.visits.append(_visit(level, start, end, work, pauses, paused,
                             "resolve" if resolved else "open", -1))
    if resolved:
        obs.top.append(top)


def _visit(level: int, start: datetime, end: datetime, work: list, pauses: int,
           paused: float, outcome: str, dest: int) -> Visit:
    """Handling time is the time logged during the stay (worklog rows carry the level)."""
    minutes = sum(m for _, at, m in work if start <= at <= end)
    return Visit(level, start.timestamp(), minutes * 60.0, pauses, paused, outcome, dest)


def hourly_costs(client_ids: set[int]) -> dict[str, float]:
    """Mean hourly cost of the agents serving these clients, per level of their groups."""
    rows = (Agent.objects.filter(clients__in=client_ids, groups__isnull=False)
            .values("groups__level__code").annotate(cost=Avg("hourly_cost")))
    return {r["groups__level__code"]: float(r["cost"] or 0) for r in rows}


def policies(client_ids: set[int]) -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(contract__client_id__in=client_ids, is_active=True)
                .select_related("calendar").prefetch_related("ola_targets__level",
                                                             "calendar__exceptions"))


def open_hours(policy_list: list[SlaPolicy]) -> tuple[str, tuple[float, ...]]:
    """The timezone and, per hour of the week, the share of it that any calendar is open."""
    if not policy_list:
        return "UTC", (1.0,) * HOURS_PER_WEEK
    share = np.zeros(HOURS_PER_WEEK)
    for policy in policy_list:
        calendar = policy.calendar.to_value()
        mine = np.zeros(HOURS_PER_WEEK * 60)
        for day, intervals in enumerate(calendar.week):
            for begin, end in intervals:
                mine[day * 1440 + begin: day * 1440 + end] = 1.0
        share = np.maximum(share, mine.reshape(HOURS_PER_WEEK, 60).mean(axis=1))
    return policy_list[0].calendar.timezone, tuple(float(x) for x in share)
