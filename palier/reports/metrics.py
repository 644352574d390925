"""The tier metrics of one case, defined once over a normalised sequence of steps.

Pure: no ORM, no Django. A case (a live ticket or an imported event-log case) becomes a list
of ``Step``s, each saying what happened, when, and where the case stood *after* it (level,
group, agent). ``case_facts`` turns that list into the per-case ``Facts`` the reports count;
``aggregate`` sums facts by brute force (the exactness oracle for the SQL aggregation, and
the engine of small event-log analyses). Definitions are in ``docs/adr/0009-reports.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import pairwise


class Kind(StrEnum):
    CREATED = "created"
    ASSIGNED = "assigned"          # an agent takes or is given the case
    ESCALATED = "escalated"        # functional escalation (level goes up)
    RETURNED = "returned"          # the receiving level sends an escalation back
    DE_ESCALATED = "de_escalated"  # a higher level hands the case back down
    MOVED = "moved"                # a level or group change seen in an event log
    RESPONSE = "response"          # the first public answer of the desk
    PENDING = "pending"            # the clock waits (requester, vendor)
    RESUMED = "resumed"
    WORK = "work"                  # event-log activity: work goes on (ends a wait)
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    OTHER = "other"                # notes, worklog, alarms: no effect on the metrics


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: Kind
    level: str | None = None   # the level after the step; None: unchanged
    group: str | None = None   # the group after the step; None: unchanged
    agent: str | None = None   # the agent after an ASSIGNED step
    article: bool = False      # a knowledge article was linked or solved the case


@dataclass
class Facts:
    """Everything the reports count about one case."""

    created_at: datetime
    start_level: str
    start_group: str
    level_trail: tuple[str, ...] = ()     # levels visited, consecutive repeats collapsed
    group_trail: tuple[str, ...] = ()
    agents: frozenset[str] = frozenset()
    escalations: int = 0                  # upward level moves
    skips: int = 0                        # upward moves over more than one rank
    returns: int = 0                      # escalations sent back
    de_escalations: int = 0               # other downward moves
    reassignments: int = 0                # agent replaced, or lateral group move
    reopens: int = 0
    paused: bool = False
    pingpong_level: bool = False
    pingpong_group: bool = False
    resolved: bool = False
    resolved_at: datetime | None = None
    resolved_level: str | None = None
    first_response_seconds: float | None = None
    resolve_seconds: float | None = None
    paused_seconds: float = 0.0
    level_seconds: dict[str, float] = field(default_factory=dict)
    with_article: bool = False
    fcr: bool = False
    l1_resolved: bool = False

    @property
    def pingpong(self) -> bool:
        return self.pingpong_level or self.pingpong_group

    @property
    def escalated(self) -> bool:
        return self.escalations > 0

    def reached(self, level: str) -> bool:
        return level in self.level_trail


def revisits(trail: Iterable[str]) -> bool:
    """Whether a collapsed trail comes back to a place it had left (A → B → A)."""
    seen: set[str] = set()
    for place in trail:
        if place in seen:
            return True
        seen.add(place)
    return False


def collapse(places: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for place in places:
        if not out or out[-1] != place:
            out.append(place)
    return tuple(out)


@dataclass
class _State:
    level: str
    group: str
    agent: str | None = None
    paused: bool = False
    resolved: bool = False
    last_escalation_group: list[str] = field(default_factory=list)


def case_facts(steps: list[Step], ranks: Mapping[str, int], *, first_level: str,
               until: datetime | None = None) -> Facts:
    """The facts of one case from its steps (in time order; the first is its creation).

    ``ranks`` orders the levels; ``first_level`` is the desk's first level (FCR and L1
    resolution are counted there). Time after the last step counts up to ``until`` while the
    case is unresolved (``None``: it stops at the last step).
    """
    first = steps[0]
    state = _State(first.level or first_level, first.group or "")
    facts = Facts(created_at=first.at, start_level=state.level, start_group=state.group)
    levels, groups, agents = [state.level], [state.group], set()
    for i, step in enumerate(steps):
        _apply(step, state, facts, ranks, agents)
        levels.append(state.level)
        groups.append(state.group)
        end = steps[i + 1].at if i + 1 < len(steps) else until
        if end is not None and end > step.at:
            _spend(state, facts, (end - step.at).total_seconds())
    facts.level_trail, facts.group_trail = collapse(levels), collapse(groups)
    facts.agents = frozenset(agents)
    facts.pingpong_level = revisits(facts.level_trail)
    facts.pingpong_group = revisits(facts.group_trail)
    facts.with_article = any(step.article for step in steps)
    _conclude(facts, first_level)
    return facts


def _apply(step: Step, state: _State, facts: Facts, ranks: Mapping[str, int],
           agents: set[str]) -> None:
    kind = step.kind
    if kind in (Kind.RESPONSE, Kind.RESOLVED) and facts.first_response_seconds is None:
        facts.first_response_seconds = (step.at - facts.created_at).total_seconds()
    if kind is Kind.ASSIGNED and step.agent:
        if state.agent is not None and state.agent != step.agent:
            facts.reassignments += 1
        state.agent = step.agent
        agents.add(step.agent)
    _move(step, state, facts, ranks)
    _status(step, state, facts)


def _move(step: Step, state: _State, facts: Facts, ranks: Mapping[str, int]) -> None:
    """Level and group changes: escalation, return, de-escalation, lateral move."""
    level = step.level or state.level
    group = step.group
    if step.kind is Kind.RETURNED and group is None and state.last_escalation_group:
        group = state.last_escalation_group[-1]
    group = group or state.group
    up = ranks.get(level, 0) - ranks.get(state.level, 0)
    if up > 0:
        facts.escalations += 1
        facts.skips += up > 1
        state.last_escalation_group.append(state.group)
    elif up < 0:
        if step.kind is Kind.RETURNED:
            facts.returns += 1
        else:
            facts.de_escalations += 1
        if state.last_escalation_group:
            state.last_escalation_group.pop()
    elif group != state.group:
        facts.reassignments += 1
    if level != state.level or group != state.group:
        state.agent = None
    state.level, state.group = level, group


def _status(step: Step, state: _State, facts: Facts) -> None:
    kind = step.kind
    if kind is Kind.PENDING and not state.resolved:
        state.paused = facts.paused = True
    elif kind in (Kind.RESUMED, Kind.WORK):
        state.paused = False
    elif kind is Kind.RESOLVED:
        state.resolved, state.paused = True, False
        facts.resolved_at, facts.resolved_level = step.at, state.level
    elif kind is Kind.REOPENED and state.resolved:
        state.resolved = state.paused = False
        facts.reopens += 1
        facts.resolved_at = facts.resolved_level = None
    elif kind is Kind.CLOSED and not state.resolved and facts.resolved_at is None:
        # Closed without a resolution step (event logs): the closure resolves it.
        state.resolved, state.paused = True, False
        facts.resolved_at, facts.resolved_level = step.at, state.level
    facts.resolved = state.resolved


def _spend(state: _State, facts: Facts, seconds: float) -> None:
    if state.resolved:
        return
    if state.paused:
        facts.paused_seconds += seconds
        return
    facts.level_seconds[state.level] = facts.level_seconds.get(state.level, 0.0) + seconds


def _conclude(facts: Facts, first_level: str) -> None:
    if facts.resolved and facts.resolved_at is not None:
        facts.resolve_seconds = (facts.resolved_at - facts.created_at).total_seconds()
    stayed_at_first = facts.level_trail == (first_level,)
    facts.l1_resolved = facts.resolved and stayed_at_first
    facts.fcr = (facts.l1_resolved and facts.reassignments == 0 and facts.reopens == 0
                 and not facts.paused and len(facts.group_trail) == 1)


# -- aggregation (the brute-force reference) --------------------------------------------------

def share(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def escalation_pairs(trails: Iterable[tuple[tuple[str, ...], int]],
                     ranks: Mapping[str, int]) -> dict[str, int]:
    """Upward moves counted over collapsed level trails: {"L1→L2": n, "L1→L3": n, …}."""
    pairs: Counter[str] = Counter()
    for trail, count in trails:
        for a, b in pairwise(trail):
            if ranks.get(b, 0) > ranks.get(a, 0):
                pairs[f"{a}→{b}"] += count
    return dict(sorted(pairs.items()))


def aggregate(facts: list[Facts], ranks: Mapping[str, int]) -> dict:
    """Every case metric over a list of facts, by brute force."""
    n = len(facts)
    resolved = [f for f in facts if f.resolved]
    escalations = sum(f.escalations for f in facts)
    levels = sorted(ranks, key=ranks.__getitem__)
    return {
        "volume": n,
        "resolved": len(resolved),
        "fcr_rate": share(sum(f.fcr for f in resolved), len(resolved)),
        "l1_resolution_rate": share(sum(f.l1_resolved for f in resolved), len(resolved)),
        "escalation_rate": share(sum(f.escalated for f in facts), n),
        "escalations": escalations,
        "skips": sum(f.skips for f in facts),
        "returns": sum(f.returns for f in facts),
        "return_rate": share(sum(f.returns for f in facts), escalations),
        "de_escalations": sum(f.de_escalations for f in facts),
        "reassignments": sum(f.reassignments for f in facts),
        "pingpong": sum(f.pingpong for f in facts),
        "pingpong_level": sum(f.pingpong_level for f in facts),
        "pingpong_group": sum(f.pingpong_group for f in facts),
        "reopen_rate": share(sum(f.reopens > 0 for f in resolved), len(resolved)),
        "reached": {lv: sum(f.reached(lv) for f in facts) for lv in levels},
        "reached_share": {lv: share(sum(f.reached(lv) for f in facts), n) for lv in levels},
        "first_response_seconds": mean([f.first_response_seconds for f in facts
                                        if f.first_response_seconds is not None]),
        "resolve_seconds": mean([f.resolve_seconds for f in resolved
                                 if f.resolve_seconds is not None]),
        "resolve_seconds_by_level": {
            lv: mean([f.resolve_seconds for f in resolved
                      if f.resolved_level == lv and f.resolve_seconds is not None])
            for lv in levels},
        "level_seconds": {lv: round(sum(f.level_seconds.get(lv, 0.0) for f in facts), 3)
                          for lv in levels},
        "paused_seconds": round(sum(f.paused_seconds for f in facts), 3),
        "with_article": sum(f.with_article for f in facts),
        "paths": escalation_pairs(Counter(f.level_trail for f in facts).items(), ranks),
    }
