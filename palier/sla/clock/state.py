"""The per-ticket SLA clock: a pure function of the journal, the policies and now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from palier.sla.clock.facts import Fact, Policy
from palier.sla.clock.targets import (
    OLA,
    RESOLUTION,
    RESPONSE,
    RUNNING,
    Target,
    TargetState,
    evaluate,
)
from palier.sla.clock.timeline import PolicySchedule, Timeline, build_timeline


@dataclass(frozen=True)
class ClockState:
    """Where a ticket's clocks stand at ``at``.

    ``ola`` is the current level's OLA; ``olas`` holds every level the ticket has been at
    that has an OLA target (a level's OLA continues from what it had consumed when the
    ticket comes back to it, by return or de-escalation).
    """

    at: datetime
    status: str
    priority: str | None
    level: str | None
    policy: Policy
    response: TargetState | None
    resolution: TargetState | None
    ola: TargetState | None
    olas: Mapping[str, TargetState]

    @property
    def targets(self) -> tuple[TargetState, ...]:
        return tuple(t for t in (self.response, self.resolution, self.ola) if t is not None)

    @property
    def breached(self) -> bool:
        return any(t.breached for t in self.targets)

    def next_deadline(self) -> datetime | None:
        """The next instant after ``at`` when a running clock crosses a warning threshold or
        falls due: when the state next changes without a new fact."""
        upcoming = [moment for t in self.targets if t.state == RUNNING
                    for moment in (t.due_at, *(w.at for w in t.thresholds))
                    if moment is not None and moment > self.at]
        return min(upcoming, default=None)


def clock_state(facts: Iterable[Fact], policies: PolicySchedule | Policy,
                now: datetime) -> ClockState:
    """Replay ``facts`` (journal order) under ``policies`` — a single policy, or a list of
    ``(from, policy)`` where the first applies from creation — and measure every target."""
    return state_of(build_timeline(facts, policies, now))


def state_of(timeline: Timeline) -> ClockState:
    spans, now = timeline.spans, timeline.now
    last = spans[-1]
    visited = dict.fromkeys(s.situation.level for s in spans if s.situation.level)
    olas = {level: state for level in visited
            if (state := evaluate(spans, Target(OLA, level), now)) is not None}
    level = last.situation.level
    return ClockState(
        at=now, status=last.situation.status.value, priority=last.situation.priority,
        level=level, policy=last.policy,
        response=evaluate(spans, Target(RESPONSE), now),
        resolution=evaluate(spans, Target(RESOLUTION), now),
        ola=olas.get(level) if level else None,
        olas=MappingProxyType(olas),
    )
