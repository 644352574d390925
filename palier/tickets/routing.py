"""Classification and routing rules: the priority matrix and the starting level.

Pure: no ORM. The services load the configured rows and hand them in as plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Impact(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Urgency(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


#: The ITIL default, used where the desk has not configured its own matrix.
DEFAULT_MATRIX: dict[tuple[str, str], str] = {
    ("high", "high"): "P1", ("high", "medium"): "P2", ("high", "low"): "P3",
    ("medium", "high"): "P2", ("medium", "medium"): "P3", ("medium", "low"): "P4",
    ("low", "high"): "P3", ("low", "medium"): "P4", ("low", "low"): "P4",
}


def priority_for(impact: str, urgency: str,
                 matrix: Mapping[tuple[str, str], str] | None = None) -> Priority:
    """Impact × urgency → priority through the configured matrix (ITIL default otherwise)."""
    table = {**DEFAULT_MATRIX, **(matrix or {})}
    return Priority(table[(Impact(impact).value, Urgency(urgency).value)])


@dataclass(frozen=True)
class Rule:
    """An intake rule as plain values: the first rule whose conditions all hold wins."""

    id: int
    level_id: int
    group_id: int | None
    skip_allowed: bool
    priority: str = ""
    kind: str = ""
    client_id: int | None = None
    category_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Route:
    level_id: int
    group_id: int | None
    skip_allowed: bool
    rule_id: int | None


def choose_route(rules: Iterable[Rule], *, priority: str, kind: str, client_id: int,
                 category_ids: frozenset[int], default: Route) -> Route:
    """The starting level and group: the first matching intake rule, else ``default``.

    ``category_ids`` are the ticket's category and its ancestors, so a rule on
    "Network" also catches "Network > VPN".
    """
    for rule in rules:
        if rule.priority and rule.priority != priority:
            continue
        if rule.kind and rule.kind != kind:
            continue
        if rule.client_id and rule.client_id != client_id:
            continue
        if rule.category_ids and not (rule.category_ids & category_ids):
            continue
        return Route(rule.level_id, rule.group_id, rule.skip_allowed, rule.id)
    return default


def due_at(start: datetime, minutes: int) -> datetime:
    """The instant a target of ``minutes`` falls due, counted from ``start``."""
    return start + timedelta(minutes=minutes)
