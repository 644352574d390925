"""Lookups the ticket services share: categories, the matrix, contracts, groups."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.db.models import Q

from palier.accounts.models import Group, Level
from palier.clients.models import DEFAULT_RESOLUTION_MINUTES, DEFAULT_RESPONSE_MINUTES, Contract
from palier.core.errors import ValidationFailed
from palier.tickets import routing
from palier.tickets.models import Category, IntakeRule, PriorityRule

T = TypeVar("T")


def active_category(category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.filter(pk=category_id, is_active=True).first()
    if category is None:
        raise ValidationFailed(f"Category {category_id} does not exist.",
                               fields={"category": "unknown"})
    return category


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


_config: dict[str, tuple[float, object]] = {}


def cached(key: str, load: Callable[[], T]) -> T:
    """Desk configuration read at most once per ``PALIER_CONFIG_CACHE_SECONDS`` per process.

    The priority matrix, intake rules and levels change rarely and are read on every
    intake; a change made in the admin reaches every process within that many seconds.
    """
    ttl = settings.PALIER_CONFIG_CACHE_SECONDS
    now = time.monotonic()
    hit = _config.get(key)
    if ttl > 0 and hit is not None and now - hit[0] < ttl:
        return hit[1]  # type: ignore[return-value]
    value = load()
    if len(_config) >= 4096:  # keys per client and day accumulate: start afresh
        _config.clear()
    _config[key] = (now, value)
    return value


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
        group = Group.objects.filter(pk=preferred).first()
        if group is None or group.level_id != level.pk:
            raise ValidationFailed(f"Group {preferred} does not work at {level.code}.",
                                   fields={"group": "not_at_level"})
        return group
    key = f"group:{level.pk}:{category.pk if category is not None else ''}"
    return cached(key, lambda: _default_group(level, category))


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
