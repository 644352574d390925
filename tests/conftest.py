"""Shared fixtures: a small desk with two clients and a full set of personas for each.

``desk.a`` and ``desk.b`` each hold: requester, colleague (another requester of the same
client), client_manager, l1, l2, l3 (agents serving only that client) and manager.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from palier.accounts.models import Agent, Group, Level, Role, Skill, User
from palier.clients.models import Client, Contract
from palier.tickets import services
from palier.tickets.models import Category, IntakeRule, PriorityRule
from palier.tickets.routing import DEFAULT_MATRIX

LEVELS = [("L1", "Service desk", 1), ("L2", "Technical support", 2), ("L3", "Experts", 3)]


def pytest_runtest_setup(item) -> None:
    """Tests marked ``postgres`` need PostgreSQL; skip them elsewhere."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (set PALIER_DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config) -> None:
    """Tests change routing configuration and flush databases (module-scoped fixtures
    included): read the desk configuration fresh every time."""
    from django.conf import settings

    settings.PALIER_CONFIG_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_search_index(monkeypatch) -> None:
    """Each test starts with an empty in-memory knowledge index. Databases are flushed
    between tests, so index generations restart and could match a stale process copy."""
    from palier.knowledge import index

    monkeypatch.setattr(index, "memory", index.Memory())


@pytest.fixture(autouse=True)
def _numbers_from_one(request, _django_db_marker) -> None:
    """Ticket numbers start at 1 in every test on PostgreSQL too: its number sequences do not
    roll back with the test's transaction as SQLite's counter rows do."""
    names = set(request.fixturenames)
    for fixture in ("transactional_db", "db"):
        if fixture in names:
            request.getfixturevalue(fixture)
            break
    else:
        if not request.node.get_closest_marker("django_db"):
            return
    from django.db import connection

    if connection.vendor == "postgresql":
        from palier.tickets.models import Kind
        from palier.tickets.numbering import sequence_name

        with connection.cursor() as cursor:
            for kind in Kind.values:
                cursor.execute(f"ALTER SEQUENCE {sequence_name(kind)} RESTART")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Desk:
    levels: dict[str, Level]
    groups: dict[str, Group]
    categories: dict[str, Category]
    a: SimpleNamespace
    b: SimpleNamespace
    extra: dict = field(default_factory=dict)

    def open(self, side: SimpleNamespace, **kwargs):
        """Open a ticket as ``side.requester`` (defaults: a network incident)."""
        kwargs.setdefault("title", "VPN drops every ten minutes")
        kwargs.setdefault("description", "Since this morning the VPN disconnects.")
        kwargs.setdefault("category_id", self.categories["vpn"].pk)
        return services.open_ticket(side.requester, **kwargs)


def _user(email: str, role: str, client: Client | None = None, **extra) -> User:
    return User.objects.create_user(email, "secret", role=role, client=client,
                                    full_name=email.split("@")[0], **extra)


def _agent(email: str, role: str, groups: list[Group], clients: list[Client],
           skills: list[Skill] = ()) -> User:
    user = _user(email, role)
    agent = Agent.objects.create(user=user, hourly_cost=40)
    agent.groups.add(*groups)
    agent.clients.add(*clients)
    if skills:
        agent.skills.add(*skills)
    return user


def _side(code: str, client: Client, groups: dict[str, Group], levels) -> SimpleNamespace:
    contract = Contract.objects.create(client=client, name="Standard",
                                       starts_on=dt.date(2020, 1, 1))
    contract.included_levels.set(levels.values())
    return SimpleNamespace(
        client=client,
        contract=contract,
        requester=_user(f"req-{code}@example.test", Role.REQUESTER, client),
        colleague=_user(f"colleague-{code}@example.test", Role.REQUESTER, client),
        client_manager=_user(f"boss-{code}@example.test", Role.REQUESTER, client,
                             is_client_manager=True),
        l1=_agent(f"l1-{code}@desk.test", Role.AGENT, [groups["sd"]], [client]),
        l2=_agent(f"l2-{code}@desk.test", Role.AGENT, [groups["net"]], [client]),
        l3=_agent(f"l3-{code}@desk.test", Role.AGENT, [groups["infra"]], [client]),
        manager=_agent(f"manager-{code}@desk.test", Role.MANAGER, [], [client]),
    )


def _reference_data() -> dict[str, Level]:
    """The rows the data migrations seed, re-seeded after a transactional test's flush."""
    levels = {lv.code: lv for lv in Level.objects.all()}
    if not levels:
        Level.objects.bulk_create(Level(code=c, name=n, rank=r) for c, n, r in LEVELS)
        PriorityRule.objects.bulk_create(
            PriorityRule(impact=i, urgency=u, priority=p) for (i, u), p in DEFAULT_MATRIX.items())
        levels = {lv.code: lv for lv in Level.objects.all()}
    return levels


@pytest.fixture
def desk(db) -> Desk:
    levels = _reference_data()
    groups = {
        "sd": Group.objects.create(name="Service Desk", level=levels["L1"]),
        "net": Group.objects.create(name="Network & Systems", level=levels["L2"]),
        "apps": Group.objects.create(name="Application Support", level=levels["L2"]),
        "infra": Group.objects.create(name="Infrastructure Engineering", level=levels["L3"]),
    }
    network = Category.objects.create(name="Network", default_level=levels["L1"],
                                      default_group=groups["sd"])
    network.groups.set([groups["net"], groups["infra"]])
    vpn = Category.objects.create(name="VPN", parent=network, default_level=levels["L1"],
                                  default_group=groups["sd"],
                                  handoff_fields=["affected_host", "error_message"])
    password = Category.objects.create(name="Password reset", default_level=levels["L1"],
                                       default_group=groups["sd"])
    security = Category.objects.create(name="Security incident", default_level=levels["L2"],
                                       default_group=groups["net"])
    rule = IntakeRule.objects.create(name="Security starts at L2 and may skip", order=10,
                                     start_level=levels["L2"], start_group=groups["net"],
                                     skip_allowed=True)
    rule.categories.set([security])
    IntakeRule.objects.create(name="P1 straight to L2", order=20, priority="P1",
                              start_level=levels["L2"], start_group=groups["net"])
    categories = {"network": network, "vpn": vpn, "password": password, "security": security}
    acme = Client.objects.create(name="Acme Logistics", code="acme")
    bistro = Client.objects.create(name="Bistrot Durand", code="durand", language="fr")
    return Desk(levels, groups, categories,
                _side("a", acme, groups, levels), _side("b", bistro, groups, levels))
