"""The journal replayed into spans: between two consecutive moments nothing changes."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from palier.sla.clock.facts import (
    CLASSIFIED,
    CREATED,
    IGNORED,
    LEVEL_MOVES,
    RESOLVED,
    RESPONDED,
    STATUS_AFTER,
    Fact,
    Policy,
)
from palier.tickets.lifecycle import Status

PolicySchedule = Sequence[tuple[datetime, Policy]]
ALWAYS = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Situation:
    """The ticket as the clock sees it after some facts."""

    status: Status
    priority: str | None
    level: str | None
    responded: bool

    def after(self, fact: Fact) -> Situation:
        if fact.kind in IGNORED:
            return self
        return replace(
            self,
            status=STATUS_AFTER.get(fact.kind, self.status),
            priority=fact.priority if fact.kind == CLASSIFIED and fact.priority
            else self.priority,
            level=fact.level if fact.kind in LEVEL_MOVES and fact.level else self.level,
            responded=self.responded or fact.kind in (RESPONDED, RESOLVED),
        )


@dataclass(frozen=True)
class Span:
    """[start, end): one situation under one policy."""

    start: datetime
    end: datetime
    situation: Situation
    policy: Policy


@dataclass(frozen=True)
class Moment:
    """An instant where something happened: facts, and the policy if it changed then."""

    at: datetime
    facts: tuple[Fact, ...]
    situation: Situation
    policy: Policy
    policy_changed: bool


@dataclass(frozen=True)
class Timeline:
    spans: tuple[Span, ...]
    moments: tuple[Moment, ...]
    now: datetime


def schedule_of(policies: PolicySchedule | Policy) -> list[tuple[datetime, Policy]]:
    """The policy schedule sorted by start; a single policy applies throughout."""
    if isinstance(policies, Policy):
        return [(ALWAYS, policies)]
    schedule = sorted(policies, key=lambda item: item[0])
    if not schedule:
        raise ValueError("The SLA clock needs at least one policy.")
    return schedule


def policy_at(schedule: Sequence[tuple[datetime, Policy]], moment: datetime) -> Policy:
    """The policy in force at ``moment``: the last one started by then, else the first."""
    k = bisect_right([start for start, _ in schedule], moment) - 1
    return schedule[max(k, 0)][1]


def ordered_facts(facts: Iterable[Fact], now: datetime) -> list[Fact]:
    """Facts up to ``now`` in time order (stable); the first must be ``created``."""
    ordered = sorted((f for f in facts if f.at <= now),
                     key=lambda f: (f.at, f.kind != CREATED))
    if not ordered or ordered[0].kind != CREATED:
        raise ValueError("The journal must start with a 'created' fact, at or before now.")
    if any(f.kind == CREATED for f in ordered[1:]):
        raise ValueError("The journal has more than one 'created' fact.")
    return ordered


def build_timeline(facts: Iterable[Fact], policies: PolicySchedule | Policy,
                   now: datetime) -> Timeline:
    """Replay the journal up to ``now`` into spans and moments.

    The last span is the empty [now, now): it carries the situation after the facts at ``now``.
    """
    ordered = ordered_facts(facts, now)
    schedule = schedule_of(policies)
    created = ordered[0]
    changes = {start for start, _ in schedule if created.at < start <= now}
    instants = sorted({f.at for f in ordered} | changes | {now})
    situation = Situation(Status.NEW, created.priority, created.level, False)
    spans: list[Span] = []
    moments: list[Moment] = []
    i = 0
    for n, instant in enumerate(instants):
        group = []
        while i < len(ordered) and ordered[i].at == instant:
            situation = situation.after(ordered[i])
            group.append(ordered[i])
            i += 1
        policy = policy_at(schedule, instant)
        if group or instant in changes:
            moments.append(Moment(instant, tuple(group), situation, policy, instant in changes))
        end = instants[n + 1] if n + 1 < len(instants) else now
        spans.append(Span(instant, end, situation, policy))
    return Timeline(tuple(spans), tuple(moments), now)
