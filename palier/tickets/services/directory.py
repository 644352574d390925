"""Lookups the ticket services share: categories, the matrix, contracts, groups."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from palier.accounts.models import Group, Level, User
from palier.clients.models import (
    DEFAULT_RESOLUTION_MINUTES,
    DEFAULT_RESPONSE_MINUTES,
    Client,
    Contract,
)
from palier.core.cache import _entries as _cache_entries
from palier.core.cache import cached
from palier.core.errors import ValidationFailed
from palier.tickets import routing
from palier.tickets.models import Category, IntakeRule, PriorityRule

__all__ = ["cached"]  # re-exported: triage reads its configuration through it


def active_category(category_id: int | None) -> Category | None:
    """The active category with this id (rows from the short cache, parents included)."""
    if category_id is None:
        return None
    category = find_category(category_id)
    if category is None:
        raise ValidationFailed(f"Category {category_id} does not exist.",
                               fields={"category": "unknown"})
    return category


def find_category(category_id: int) -> Category | None:
    """The active category with this id, or None (from the short cache, parents included)."""
    return cached(f"category:{category_id}", lambda: (
        Category.objects.filter(pk=category_id, is_active=True)
        .select_related("parent__parent__parent").first()))


def lineage(category: Category | None) -> list[Category]:
    """The category and its ancestors, nearest first."""
    chain: list[Category] = []
    while category is not None:
        chain.append(category)
        category = category.parent
    return chain


def required_handoff_fields(category: Category | None) -> list[str]:
    """The extra handoff fields of the nearest category in the lineage that names some."""
    for node in lineage(category):
        if node.handoff_fields:
            return [str(f) for f in node.handoff_fields]
    return []


_config = _cache_entries  # the shared per-process cache (see ``palier.core.cache``)


def priority_matrix() -> dict[tuple[str, str], str]:
    return cached("matrix", lambda: {(r.impact, r.urgency): r.priority
                                     for r in PriorityRule.objects.all()})


def intake_rules() -> list[routing.Rule]:
    """The active intake rules as plain values, in order."""
    return cached("intake_rules", lambda: [
        routing.Rule(r.pk, r.start_level_id, r.start_group_id, r.skip_allowed, r.priority,
                     r.kind, r.client_id, frozenset(c.pk for c in r.categories.all()))
        for r in IntakeRule.objects.filter(is_active=True).prefetch_related("categories")
    ])


def levels() -> dict[int, Level]:
    """Every level by id, lowest rank first."""
    return cached("levels", lambda: {lv.pk: lv for lv in Level.objects.order_by("rank")})


def client(client_id: int) -> Client:
    """A client the caller already knows exists (from the short cache)."""
    return cached(f"client:{client_id}", lambda: Client.objects.get(pk=client_id))


def person(email: str) -> User | None:
    """The user with this (normalised) e-mail, from the short cache once found (intake
    by agents names the same requesters again and again)."""
    return cached(f"person:{email}", lambda: User.objects.filter(email=email).first(),
                  keep_none=False)


def contract_for(client_id: int, on: date) -> Contract | None:
    """The client's contract in force on ``on`` (the latest started), from the short cache."""
    return cached(f"contract:{client_id}:{on.isoformat()}", lambda: (
        Contract.objects.filter(client_id=client_id, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on", "-id").first()))


def targets(contract: Contract | None, priority: str) -> tuple[int, int]:
    """(first-response, resolution) minutes for the priority."""
    if contract is None:
        return DEFAULT_RESPONSE_MINUTES[priority], DEFAULT_RESOLUTION_MINUTES[priority]
    return (int(contract.response_minutes[priority]),
            int(contract.resolution_minutes[priority]))


def group_for_level(level: Level, category: Category | None, preferred: int | None = None,
                    ) -> Group:
    """The group that takes a ticket at ``level``: the one asked for, the category's, or the
    level's first group."""
    if preferred is not None:
        group = find_group(preferred)
        if group is None or group.level_id != level.pk:
            raise ValidationFailed(f"Group {preferred} does not work at {level.code}.",
                                   fields={"group": "not_at_level"})
        return group
    key = f"group:{level.pk}:{category.pk if category is not None else ''}"
    return cached(key, lambda: _default_group(level, category))


def find_group(group_id: int) -> Group | None:
    """The group with this id, or None (from the short cache)."""
    return cached(f"group:{group_id}", lambda: Group.objects.filter(pk=group_id).first())


def included_level_ids(contract: Contract) -> frozenset[int]:
    """The levels a contract includes (from the short cache)."""
    return cached(f"contract-levels:{contract.pk}", lambda: frozenset(
        contract.included_levels.values_list("pk", flat=True)))


def _default_group(level: Level, category: Category | None) -> Group:
    for node in lineage(category):
        if node.default_level_id == level.pk and node.default_group_id:
            return node.default_group
        group = node.groups.filter(level=level).order_by("name").first()
        if group is not None:
            return group
    group = level.groups.order_by("name").first()
    if group is None:
        raise ValidationFailed(f"No support group works at {level.code}.",
                               fields={"level": "no_group"})
    return group


def level_id(code: str) -> int:
    """The id of the level with this code (e.g. "L2")."""
    found = Level.objects.filter(code=code.strip().upper()).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationFailed(f"There is no level {code}.", fields={"to_level": "unknown"})
    return found
