"""The demo directory: clients, contracts, groups, agents, requesters, categories and intake
rules. ``build_directory`` is idempotent and creates no tickets."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from palier.accounts.models import Agent, Group, Level, Role, Skill, User
from palier.clients.models import Client, Contract
from palier.demo import catalog
from palier.tickets.models import Category, IntakeRule

CONTRACT_START = dt.date(2024, 1, 1)


@dataclass
class DemoDirectory:
    """Everything the demo generators need, keyed by the catalog's names."""

    levels: dict[str, Level]
    clients: list[Client]
    contracts: dict[str, Contract]
    groups: dict[str, Group]
    skills: dict[str, Skill]
    categories: dict[str, Category]
    staff: dict[str, User]
    requesters: dict[str, list[User]]
    client_managers: dict[str, User]
    members: dict[int, list[User]] = field(default_factory=dict)

    def client(self, code: str) -> Client:
        return next(c for c in self.clients if c.code == code)


class _Password:
    """Hashes ``demo`` once, on first use, and hands out the same hash."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def __call__(self) -> str:
        if self._hash is None:
            self._hash = make_password(catalog.PASSWORD)
        return self._hash


def build_directory() -> DemoDirectory:
    """Create the demo directory if missing and return it (safe to call twice)."""
    password = _Password()
    with transaction.atomic():
        levels = {level.code: level for level in Level.objects.all()}
        skills = {name: Skill.objects.get_or_create(name=name)[0] for name in catalog.SKILLS}
        groups = {name: Group.objects.get_or_create(name=name,
                                                    defaults={"level": levels[code]})[0]
                  for name, code in catalog.GROUPS}
        clients, contracts = _clients(levels)
        staff = {spec.email: _staff(spec, password, groups, skills, clients)
                 for spec in catalog.AGENTS}
        requesters, managers = _requesters(clients, password)
        categories = _categories(levels, groups, skills)
        _intake_rules(levels, groups, categories)
    directory = DemoDirectory(levels, clients, contracts, groups, skills, categories, staff,
                              requesters, managers)
    directory.members = _members(groups, staff)
    return directory


def _clients(levels: dict[str, Level]) -> tuple[list[Client], dict[str, Contract]]:
    clients, contracts = [], {}
    for spec in catalog.CLIENTS:
        client, _ = Client.objects.get_or_create(code=spec.code, defaults={
            "name": spec.name, "language": spec.language, "email_domains": spec.domain})
        contract, created = Contract.objects.get_or_create(client=client, name=spec.contract,
                                                           defaults={
            "starts_on": CONTRACT_START, "response_minutes": dict(spec.response),
            "resolution_minutes": dict(spec.resolution)})
        if created:
            contract.included_levels.set([levels[code] for code in spec.levels])
        clients.append(client)
        contracts[spec.code] = contract
    return clients, contracts


def _staff(spec: catalog.AgentSpec, password: _Password, groups: dict[str, Group],
           skills: dict[str, Skill], clients: list[Client]) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create(
            email=spec.email, full_name=spec.full_name, role=spec.role, password=password(),
            language=spec.language, timezone="Europe/Paris",
            is_staff=spec.superuser or spec.role == Role.MANAGER, is_superuser=spec.superuser)
    agent, created = Agent.objects.get_or_create(user=user,
                                                 defaults={"hourly_cost": spec.hourly_cost})
    if created:
        agent.groups.set([groups[name] for name in spec.groups])
        agent.skills.set([skills[name] for name in spec.skills])
        agent.clients.set(clients)
    return user


def _requesters(clients: list[Client], password: _Password,
                ) -> tuple[dict[str, list[User]], dict[str, User]]:
    by_client: dict[str, list[User]] = {}
    managers: dict[str, User] = {}
    for index, (spec, client) in enumerate(zip(catalog.CLIENTS, clients, strict=True)):
        people = [(spec.requester, spec.requester_name, False)]
        people += [(email, name, i == 0) for i, (email, name) in enumerate(_names(spec, index))]
        users = []
        for email, name, is_manager in people:
            user, _ = User.objects.select_related("client").get_or_create(email=email, defaults={
                "full_name": name, "role": Role.REQUESTER, "client": client,
                "is_client_manager": is_manager, "language": spec.language,
                "timezone": spec.timezone, "password": password()})
            users.append(user)
        by_client[spec.code] = users
        managers[spec.code] = users[1]
    return by_client, managers


def _names(spec: catalog.ClientSpec, index: int) -> list[tuple[str, str]]:
    """The client's other requesters: realistic names, the same every time."""
    first, last = ((catalog.FR_FIRST, catalog.FR_LAST) if spec.language == "fr"
                   else (catalog.EN_FIRST, catalog.EN_LAST))
    names = []
    for i in range(catalog.REQUESTERS_PER_CLIENT):
        given = first[(index * 11 + i * 7) % len(first)]
        family = last[(index * 13 + i * 5) % len(last)]
        local = _ascii(f"{given}.{family}").lower().replace(" ", "")
        names.append((f"{local}@{spec.domain}", f"{given} {family}"))
    return names


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _categories(levels: dict[str, Level], groups: dict[str, Group],
                skills: dict[str, Skill]) -> dict[str, Category]:
    service_desk = groups["Service Desk"]
    categories: dict[str, Category] = {}
    for area in catalog.AREAS:
        handling = [groups[area.l2], groups[area.l3]]
        top = _category(area.name, None, levels["L1"], service_desk, None, [], handling)
        categories[area.key] = top
    for leaf in catalog.LEAVES:
        area = next(a for a in catalog.AREAS if a.key == leaf.area)
        handling = [groups[area.l2], groups[area.l3]]
        categories[leaf.key] = _category(
            leaf.name, categories[leaf.area], levels[leaf.level], groups[leaf.group],
            skills[leaf.skill] if leaf.skill else None, list(leaf.fields), handling)
    return categories


def _category(name: str, parent: Category | None, level: Level, group: Group,
              skill: Skill | None, fields: list[str], handling: list[Group]) -> Category:
    path = f"{parent.path} > {name}" if parent else name
    category, created = Category.objects.get_or_create(path=path, defaults={
        "name": name, "parent": parent, "default_level": level, "default_group": group,
        "skill": skill, "handoff_fields": fields})
    if created:
        category.groups.set(handling)
    return category


def _intake_rules(levels: dict[str, Level], groups: dict[str, Group],
                  categories: dict[str, Category]) -> None:
    for spec in catalog.INTAKE_RULES:
        rule, created = IntakeRule.objects.get_or_create(name=spec.name, defaults={
            "order": spec.order, "priority": spec.priority, "kind": spec.kind,
            "start_level": levels[spec.level], "start_group": groups[spec.group],
            "skip_allowed": spec.skip_allowed})
        if created and spec.leaves:
            rule.categories.set([categories[key] for key in spec.leaves])


def _members(groups: dict[str, Group], staff: dict[str, User]) -> dict[int, list[User]]:
    """Each group's working agents (managers and administrators excluded), as the same user
    objects as ``staff`` so that their scope is computed once."""
    members: dict[int, list[User]] = {group.pk: [] for group in groups.values()}
    agents = (Agent.objects.filter(user__role=Role.AGENT, user__is_active=True)
              .select_related("user").prefetch_related("groups").order_by("pk"))
    for agent in agents:
        for group in agent.groups.all():
            members.setdefault(group.pk, []).append(staff.get(agent.user.email, agent.user))
    return members
