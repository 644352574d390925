"""A plain-values snapshot of the desk's directory, for the bulk seeder.

It mirrors the lookups of ``palier.tickets.services.directory`` and ``intake._route`` (the
routing rules, the group for a level, the contract in force and its targets, the eligible
agents) without a query per ticket: everything is loaded once and memoized.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from palier.accounts.models import Agent, Group, Level, Role, User
from palier.clients.models import (
    DEFAULT_RESOLUTION_MINUTES,
    DEFAULT_RESPONSE_MINUTES,
    Client,
    Contract,
)
from palier.tickets import routing
from palier.tickets.models import Category, IntakeRule, PriorityRule


class SeedError(Exception):
    """The database cannot be seeded as it is (e.g. the directory is incomplete)."""


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    parent_id: int | None
    default_level_id: int
    default_group_id: int | None
    group_ids: tuple[int, ...]
    skill_id: int | None
    handoff_fields: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class ContractInfo:
    id: int
    starts_on: date
    ends_on: date | None
    response: dict[str, int]
    resolution: dict[str, int]
    level_ids: frozenset[int]


@dataclass(frozen=True)
class AgentInfo:
    id: int
    user_id: int
    group_ids: frozenset[int]
    client_ids: frozenset[int]
    skill_ids: frozenset[int]


@dataclass
class Snapshot:
    """The directory as plain values, with the service lookups reimplemented in memory."""

    levels: dict[int, tuple[str, int]]              # id → (code, rank)
    groups: dict[int, tuple[str, int, bool]]         # id → (name, level_id, auto_assign)
    categories: dict[int, CategoryInfo]
    requesters: list[tuple[int, int]]                # (user_id, client_id)
    contracts: dict[int, list[ContractInfo]]         # client_id → contracts
    agents: list[AgentInfo]
    rules: list[routing.Rule]
    matrix: dict[tuple[str, str], str]
    _memo: dict = field(default_factory=dict)

    def level_ids_by_rank(self) -> list[int]:
        return sorted(self.levels, key=lambda pk: self.levels[pk][1])

    def lineage(self, category_id: int | None) -> list[CategoryInfo]:
        chain: list[CategoryInfo] = []
        while category_id is not None:
            node = self.categories[category_id]
            chain.append(node)
            category_id = node.parent_id
        return chain

    def handoff_fields(self, category_id: int | None) -> tuple[str, ...]:
        for node in self.lineage(category_id):
            if node.handoff_fields:
                return node.handoff_fields
        return ()

    def group_for_level(self, level_id: int, category_id: int | None,
                        preferred: int | None = None) -> int:
        """Same choice as ``services.directory.group_for_level``, memoized."""
        if preferred is not None:
            return preferred
        key = ("group", level_id, category_id)
        if key not in self._memo:
            self._memo[key] = self._group_for_level(level_id, category_id)
        return self._memo[key]

    def _group_for_level(self, level_id: int, category_id: int | None) -> int:
        for node in self.lineage(category_id):
            if node.default_level_id == level_id and node.default_group_id:
                return node.default_group_id
            at_level = sorted((self.groups[g][0], g) for g in node.group_ids
                              if self.groups[g][1] == level_id)
            if at_level:
                return at_level[0][1]
        return min((name, pk) for pk, (name, lv, _) in self.groups.items() if lv == level_id)[1]

    def route(self, category_id: int | None, priority: str, kind: str,
              client_id: int) -> tuple[int, int, bool, int | None]:
        """(level_id, group_id, skip_allowed, rule_id) of a new ticket, memoized."""
        key = ("route", category_id, priority, kind, client_id)
        if key not in self._memo:
            if category_id is not None:
                node = self.categories[category_id]
                default = routing.Route(node.default_level_id, node.default_group_id, False, None)
            else:
                default = routing.Route(self.level_ids_by_rank()[0], None, False, None)
            ids = frozenset(c.id for c in self.lineage(category_id))
            chosen = routing.choose_route(self.rules, priority=priority, kind=kind,
                                          client_id=client_id, category_ids=ids, default=default)
            group = self.group_for_level(chosen.level_id, category_id, chosen.group_id)
            self._memo[key] = (chosen.level_id, group, chosen.skip_allowed, chosen.rule_id)
        return self._memo[key]

    def contract_for(self, client_id: int, on: date) -> ContractInfo | None:
        """Same choice as ``services.directory.contract_for``: the latest started in force."""
        key = ("contract", client_id, on)
        if key not in self._memo:
            live = [c for c in self.contracts.get(client_id, ())
                    if c.starts_on <= on and (c.ends_on is None or c.ends_on >= on)]
            self._memo[key] = max(live, key=lambda c: (c.starts_on, c.id)) if live else None
        return self._memo[key]

    @staticmethod
    def targets(contract: ContractInfo | None, priority: str) -> tuple[int, int]:
        if contract is None:
            return DEFAULT_RESPONSE_MINUTES[priority], DEFAULT_RESOLUTION_MINUTES[priority]
        return int(contract.response[priority]), int(contract.resolution[priority])

    def eligible(self, group_id: int, client_id: int,
                 skill_id: int | None) -> tuple[tuple[int, int], ...]:
        """(agent_id, user_id) who may take the ticket: group members serving the client
        (with the skill when some have it); failing that, any member of the group."""
        key = ("agents", group_id, client_id, skill_id)
        if key not in self._memo:
            members = [a for a in self.agents if group_id in a.group_ids]
            serving = [a for a in members if client_id in a.client_ids] or members
            skilled = [a for a in serving if skill_id in a.skill_ids] if skill_id else []
            self._memo[key] = tuple((a.id, a.user_id) for a in (skilled or serving))
        return self._memo[key]


def missing_parts() -> list[str]:
    """What the seeder needs and the directory lacks (empty when it can seed)."""
    gaps = []
    if not Client.objects.exists():
        gaps.append("a client")
    if not User.objects.filter(role=Role.REQUESTER, client__isnull=False,
                               is_active=True).exists():
        gaps.append("a requester belonging to a client")
    if not Category.objects.filter(is_active=True).exists():
        gaps.append("an active category")
    if not Agent.objects.filter(groups__isnull=False, user__is_active=True).exists():
        gaps.append("an agent member of a group")
    for level in Level.objects.all():
        if not Group.objects.filter(level=level).exists():
            gaps.append(f"a support group at {level.code}")
    if not Level.objects.exists():
        gaps.append("a support level")
    return gaps


def load() -> Snapshot:
    """Read the directory once."""
    return Snapshot(
        levels={pk: (code, rank) for pk, code, rank in
                Level.objects.values_list("pk", "code", "rank")},
        groups={pk: (name, lv, auto) for pk, name, lv, auto in
                Group.objects.values_list("pk", "name", "level_id", "auto_assign")},
        categories=_categories(),
        requesters=list(User.objects.filter(role=Role.REQUESTER, client__isnull=False,
                                            is_active=True)
                        .order_by("pk").values_list("pk", "client_id")),
        contracts=_contracts(),
        agents=_agents(),
        rules=[routing.Rule(r.pk, r.start_level_id, r.start_group_id, r.skip_allowed,
                            r.priority, r.kind, r.client_id,
                            frozenset(c.pk for c in r.categories.all()))
               for r in IntakeRule.objects.filter(is_active=True)
               .prefetch_related("categories")],
        matrix={**routing.DEFAULT_MATRIX,
                **{(r.impact, r.urgency): r.priority for r in PriorityRule.objects.all()}},
    )


def _categories() -> dict[int, CategoryInfo]:
    rows = Category.objects.prefetch_related("groups").order_by("pk")
    return {c.pk: CategoryInfo(c.pk, c.name, c.parent_id, c.default_level_id,
                               c.default_group_id, tuple(g.pk for g in c.groups.all()),
                               c.skill_id, tuple(str(f) for f in c.handoff_fields or ()),
                               c.is_active)
            for c in rows}


def _contracts() -> dict[int, list[ContractInfo]]:
    out: dict[int, list[ContractInfo]] = {}
    for c in Contract.objects.prefetch_related("included_levels").order_by("pk"):
        info = ContractInfo(c.pk, c.starts_on, c.ends_on, dict(c.response_minutes),
                            dict(c.resolution_minutes),
                            frozenset(lv.pk for lv in c.included_levels.all()))
        out.setdefault(c.client_id, []).append(info)
    return out


def _agents() -> list[AgentInfo]:
    rows = (Agent.objects.filter(user__is_active=True)
            .prefetch_related("groups", "clients", "skills").order_by("pk"))
    return [AgentInfo(a.pk, a.user_id, frozenset(g.pk for g in a.groups.all()),
                      frozenset(c.pk for c in a.clients.all()),
                      frozenset(s.pk for s in a.skills.all())) for a in rows]

