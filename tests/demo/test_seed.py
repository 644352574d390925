"""The bulk seeder writes history the services could have written, and continues counters."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.fields import NOT_PROVIDED

from palier.accounts.models import Agent, Group, Level, Role, User
from palier.clients.models import Client, Contract
from palier.core import clock
from palier.demo import seed as seeder
from palier.demo.seed_story import (
    EVENT_COLUMNS,
    HANDOFF_COLUMNS,
    TICKET_COLUMNS,
    WORKLOG_COLUMNS,
)
from palier.tickets import numbering, services
from palier.tickets.models import (
    Category,
    Handoff,
    Ticket,
    TicketEvent,
    Worklog,
)

NUMBER = re.compile(r"^(INC|REQ)-\d{6}$")
NO_BUMP = {"created", "worklog", "attachment"}


def build_tiny_directory() -> None:
    """2 clients (one with a contract), a group per level, 2 agents, 3 categories, 4 people."""
    levels = {lv.code: lv for lv in Level.objects.all()}
    desk = Group.objects.create(name="Service Desk", level=levels["L1"])
    tech = Group.objects.create(name="Technical Support", level=levels["L2"])
    experts = Group.objects.create(name="Experts", level=levels["L3"])
    acme = Client.objects.create(name="Acme", code="acme")
    durand = Client.objects.create(name="Durand", code="durand")
    contract = Contract.objects.create(client=acme, name="Gold", starts_on=dt.date(2000, 1, 1))
    contract.included_levels.set(levels.values())
    for email, groups in (("l1@desk.test", [desk]), ("l2@desk.test", [tech, experts])):
        agent = Agent.objects.create(user=User.objects.create_user(email, None,
                                                                   role=Role.AGENT))
        agent.groups.set(groups)
        agent.clients.set([acme, durand])
    network = Category.objects.create(name="Network", default_level=levels["L1"],
                                      default_group=desk)
    network.groups.set([tech, experts])
    Category.objects.create(name="VPN", parent=network, default_level=levels["L1"],
                            default_group=desk, handoff_fields=["affected_host"])
    Category.objects.create(name="Password reset", default_level=levels["L1"],
                            default_group=desk)
    for n, client in enumerate((acme, acme, durand, durand)):
        User.objects.create_user(f"req{n}@{client.code}.test", None, role=Role.REQUESTER,
                                 client=client)


@pytest.fixture
def tiny(db) -> None:
    build_tiny_directory()


def test_row_layouts_fit_the_models():
    """Every column written exists; every column left out may be left to the database."""
    for model, columns in ((Ticket, TICKET_COLUMNS), (TicketEvent, EVENT_COLUMNS),
                           (Handoff, HANDOFF_COLUMNS), (Worklog, WORKLOG_COLUMNS)):
        fields = {f.column: f for f in model._meta.concrete_fields}
        assert set(columns) <= set(fields)
        left_out = [f for name, f in fields.items() if name not in columns]
        assert all(f.null or f.db_default is not NOT_PROVIDED for f in left_out), model


def test_numbers_are_unique_and_counters_continue(tiny):
    report = seeder.seed_tickets(500, seed=7, progress=False)
    assert report.tickets == Ticket.objects.count() == 500
    numbers = list(Ticket.objects.values_list("number", "kind"))
    assert len({n for n, _ in numbers}) == 500
    assert all(NUMBER.match(n) and n[:3] == {"incident": "INC", "request": "REQ"}[k]
               for n, k in numbers)
    kinds = Counter(k for _, k in numbers)
    assert numbering.last_given() == kinds
    requester = User.objects.filter(role=Role.REQUESTER).first()
    ticket = services.open_ticket(requester, title="Printer jammed")
    assert ticket.number == f"INC-{kinds['incident'] + 1:06d}"


def test_history_is_consistent_with_the_journal(tiny):
    seeder.seed_tickets(500, seed=11, progress=False)
    agent_of = dict(Agent.objects.values_list("user_id", "pk"))
    tickets = (Ticket.objects.select_related("level", "group", "requester")
               .prefetch_related("events", "handoffs__from_group", "handoffs__from_level"))
    for ticket in tickets:
        events = sorted(ticket.events.all(), key=lambda e: (e.created_at, e.pk))
        assert events[0].kind == "created" and events[0].created_at == ticket.created_at
        assert ticket.requester.client_id == ticket.client_id
        handoffs = {h.pk: h for h in ticket.handoffs.all()}
        assert len(handoffs) == sum(e.kind == "escalated" for e in events)
        assert _replay(events, handoffs, agent_of) == (
            ticket.status, ticket.level.code, ticket.group.name, ticket.assignee_id,
            ticket.version)
        bumps = [e for e in events if e.kind not in NO_BUMP] or events[:1]
        assert ticket.updated_at == bumps[-1].created_at
        pending = [h for h in handoffs.values() if h.outcome == "pending"]
        assert len(pending) == (ticket.status == "escalated")
        assert all(h.decided_by_id != h.created_by_id for h in handoffs.values()
                   if h.outcome == "accepted" and h.created_by_id)


def test_every_reference_resolves(tiny):
    """The PostgreSQL writer may skip the per-row FK triggers: the rows must not need them."""
    seeder.seed_tickets(300, seed=13, progress=False)
    dangling = []
    with connection.cursor() as cursor:
        for model in (Ticket, TicketEvent, Handoff, Worklog):
            table = model._meta.db_table
            for f in model._meta.concrete_fields:
                if not f.is_relation:
                    continue
                parent = f.related_model._meta
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" t LEFT JOIN "{parent.db_table}" p '
                    f'ON p."{parent.pk.column}" = t."{f.column}" '
                    f'WHERE t."{f.column}" IS NOT NULL AND p."{parent.pk.column}" IS NULL')
                if cursor.fetchone()[0]:
                    dangling.append(f"{model.__name__}.{f.name}")
    assert dangling == []


def test_a_short_period_keeps_every_time_in_the_past(tiny):
    now = clock.now()
    seeder.seed_tickets(300, days=1, seed=5, progress=False, now=now)
    assert not TicketEvent.objects.filter(created_at__gt=now).exists()
    assert Ticket.objects.filter(created_at__gte=now - dt.timedelta(days=1)).count() == 300
    assert Ticket.objects.exclude(status__in=["resolved", "closed"]).count() > 30


def test_shares_are_realistic(tiny):
    seeder.seed_tickets(600, seed=3, progress=False)
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    active = sum(statuses[s] for s in ("new", "open", "escalated", "pending", "pending_vendor"))
    assert 0.015 <= active / 600 <= 0.09
    assert statuses["closed"] > 0.8 * 600
    levels = Counter(Ticket.objects.values_list("level__code", flat=True))
    assert 0.55 <= levels["L1"] / 600 <= 0.8 and levels["L3"] > 0
    assert Handoff.objects.filter(outcome="returned").exists()
    assert Worklog.objects.exists()
    per_ticket = TicketEvent.objects.count() / 600
    assert 4 <= per_ticket <= 7


def test_a_second_run_appends(tiny):
    seeder.seed_tickets(200, seed=1, progress=False)
    first_ids = set(Ticket.objects.values_list("pk", flat=True))
    call_command("seed", tickets=300, seed=1, verbosity=0)
    assert Ticket.objects.count() == 500
    assert len(set(Ticket.objects.values_list("number", flat=True))) == 500
    assert first_ids < set(Ticket.objects.values_list("pk", flat=True))
    assert sum(numbering.last_given().values()) == 500


def test_chunks_generated_in_a_child_process_write_the_same_history(tiny):
    seeder.seed_tickets(250, seed=21, chunk=100, progress=False)
    ids = list(Ticket.objects.order_by("pk").values_list("pk", "number"))
    assert len(ids) == 250 and len({n for _, n in ids}) == 250
    assert TicketEvent.objects.values("ticket").distinct().count() == 250
    assert sum(numbering.last_given().values()) == 250


def test_an_empty_desk_is_refused_without_a_directory_builder(db, monkeypatch):
    monkeypatch.setattr(seeder, "directory_builder", lambda: None)
    with pytest.raises(CommandError, match="directory is empty"):
        call_command("seed", tickets=10, verbosity=0)


def test_an_empty_desk_gets_the_demo_directory(db, monkeypatch):
    monkeypatch.setattr(seeder, "directory_builder", lambda: build_tiny_directory)
    call_command("seed", tickets=20, verbosity=0)
    assert Ticket.objects.count() == 20


def test_a_partial_directory_is_refused(db):
    Client.objects.create(name="Lonely", code="lonely")
    with pytest.raises(CommandError, match="requester"):
        call_command("seed", tickets=10, verbosity=0)


def _replay(events: list[TicketEvent], handoffs: dict[int, Handoff],
            agent_of: dict[int, int]) -> tuple:
    """(status, level, group, assignee, version) as the journal tells it."""
    status, level, group, assignee, version = "new", None, None, None, 1
    for event in events:
        kind, data = event.kind, event.data
        if kind == "created":
            level, group = data["level"], data["group"]
        elif kind == "assigned":
            assignee, status = data["to_agent"], "open" if status == "new" else status
        elif kind == "escalated":
            level, group, assignee, status = data["to_level"], data["to_group"], None, kind
        elif kind == "accepted":
            assignee, status = agent_of.get(event.actor_id), "open"
        elif kind == "returned":
            package = handoffs[data["handoff"]]
            level, group, status = data["to_level"], package.from_group.name, "open"
            assignee = package.from_assignee_id
        elif kind == "de_escalated":
            level, group, status = data["to_level"], data["to_group"], "open"
            assignee = _de_escalated_to(handoffs, event, level, group)
        elif kind in ("vendor", "pending", "resumed", "reopened", "resolved", "closed"):
            status = {"vendor": "pending_vendor", "resumed": "open", "reopened": "open"}.get(
                kind, kind)
        elif kind == "message" and data.get("resumed"):
            status = "open"
        version += kind not in NO_BUMP
    return status, level, group, assignee, version


def _de_escalated_to(handoffs: dict[int, Handoff], event: TicketEvent, level: str,
                     group: str) -> int | None:
    earlier = [h for h in handoffs.values()
               if h.from_level.code == level and h.created_at <= event.created_at]
    previous = max(earlier, key=lambda h: (h.created_at, h.pk), default=None)
    return previous.from_assignee_id if previous and previous.from_group.name == group else None
