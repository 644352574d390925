"""The measurements of ``bench/core.py`` (imported after ``django.setup()``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from _common import timed
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from palier.accounts.models import Agent, Group, Level, Role, User
from palier.clients.models import Client
from palier.tickets import selectors, services
from palier.tickets.models import ACTIVE_STATUSES, Category, Ticket
from palier.tickets.services import directory


@dataclass
class Desk:
    """The benchmark's personas and what they open tickets with."""

    l1: User
    manager: User
    level1: Level
    level2: Level
    requesters: list[tuple[int, str]]   # (client_id, email), clients whose contract has L2
    categories: list[int]               # active categories that start at L1

    @classmethod
    def create(cls) -> Desk:
        level1, level2 = Level.objects.get(code="L1"), Level.objects.get(code="L2")
        clients = list(Client.objects.all())
        l1 = _staff("bench-l1@desk.test", Role.AGENT, Group.objects.filter(level=level1),
                    clients)
        manager = _staff("bench-manager@desk.test", Role.MANAGER, [], clients)
        covered = Client.objects.filter(contracts__included_levels=level2).distinct()
        requesters = [(u.client_id, u.email) for u in
                      User.objects.filter(role=Role.REQUESTER, client__in=covered)
                      .order_by("pk")[:200]]
        categories = [c.pk for c in Category.objects.filter(is_active=True,
                                                            default_level=level1)]
        return cls(l1, manager, level1, level2, requesters, categories)

    def open(self, i: int) -> Ticket:
        client_id, email = self.requesters[i % len(self.requesters)]
        return services.open_ticket(
            fresh(self.l1), title=f"Benchmark ticket {i}", description="Opened by bench/core.py",
            client_id=client_id, requester_email=email, channel="phone",
            category_id=self.categories[i % len(self.categories)],
            impact=("medium", "low")[i % 2], urgency="medium")

    def opened_at_l1(self, count: int) -> Iterator[Ticket]:
        """Fresh tickets that start at L1 (intake rules may route some categories higher)."""
        made = 0
        for i in range(10 * count):
            ticket = self.open(10_000_000 + i)
            if ticket.level_id == self.level1.pk:
                made += 1
                yield ticket
                if made == count:
                    return
        raise RuntimeError("Too few categories of the directory start at L1.")


def _staff(email: str, role: str, groups, clients: list[Client]) -> User:
    user = User.objects.create_user(email, None, role=role, full_name=email.split("@")[0])
    agent = Agent.objects.create(user=user)
    agent.groups.set(groups)
    agent.clients.set(clients)
    return user


def fresh(user: User) -> User:
    """The user as a new request would load it (no cached scope)."""
    return User.objects.get(pk=user.pk)


def services_timings(desk: Desk, samples: int, warmup: int = 5) -> dict:
    """open_ticket, escalate (with a complete handoff) and resolve, on fresh tickets."""
    opened = timed(desk.open, samples, warmup)
    to_escalate = [(t.pk, services.HandoffInput(
        summary="Needs L2", steps_tried="Restarted", diagnostics="Error 809",
        fields={f: "benchmark" for f in directory.required_handoff_fields(t.category)}))
        for t in desk.opened_at_l1(samples + warmup)]
    to_resolve = list(desk.opened_at_l1(samples + warmup))
    actors = iter([fresh(desk.l1) for _ in range(2 * (samples + warmup))])

    def escalate(i: int) -> None:
        ticket_id, handoff = to_escalate.pop()
        services.escalate(next(actors), ticket_id, to_level_id=desk.level2.pk, handoff=handoff)

    def resolve(i: int) -> None:
        services.resolve(next(actors), to_resolve.pop().pk, resolution="Fixed by the bench")

    return {"open": opened, "escalate": timed(escalate, samples, warmup),
            "resolve": timed(resolve, samples, warmup)}


def queues(desk: Desk, samples: int, warmup: int = 5) -> dict:
    """First page of the L1 queue, materialized, as the L1 agent and as the manager."""
    def page(user: User, query) -> dict:
        actors = iter([fresh(user) for _ in range(samples + warmup)])
        return timed(lambda i: query(next(actors), desk.level1), samples, warmup)

    return {"l1_agent": page(desk.l1, selectors.queue_for),
            "manager": page(desk.manager, selectors.queue_for),
            "l1_agent_literal_status_predicate": page(desk.l1, _queue_with_literal_status)}


def _queue_with_literal_status(actor: User, level: Level) -> list[Ticket]:
    """The queue with its status filter written as the partial index's literal predicate:
    what ``queue_for`` would cost if SQLite could match the index (see the README)."""
    values = ", ".join(f"'{s}'" for s in ACTIVE_STATUSES)
    active = RawSQL(f'"tickets_ticket"."status" IN ({values})', [],
                    output_field=BooleanField())
    tickets = selectors.visible_tickets(actor).filter(active, level_id=level.pk)
    tickets = tickets.select_related("level", "group", "client", "category", "assignee__user")
    return list(tickets.order_by("due_at", "id")[:selectors.QUEUE_PAGE])


def queue_plan(desk: Desk) -> list[str]:
    """The plan of the query ``queue_for`` really runs (same SQL, same parameters)."""
    seen: list[tuple[str, tuple]] = []

    def spy(execute, sql, params, many, context):
        if 'FROM "tickets_ticket"' in sql and "ORDER BY" in sql:
            seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        selectors.queue_for(fresh(desk.l1), desk.level1)
    sql, params = seen[-1]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        lines = [row[0].strip() for row in cursor.fetchall()]
    keep = ("Index", "Sort", "Seq Scan", "Planning Time", "Execution Time")
    return [line for line in lines if any(k in line for k in keep)]


def server_version() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"
