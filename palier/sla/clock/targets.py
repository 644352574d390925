"""One target (first response, resolution, or a level's OLA) measured over a timeline.

Rules:

- A target counts business time (in the calendar of the policy in force at each moment)
  while it is running; it pauses in the statuses the policy in force says pause; it stops
  when met (response given, ticket resolved or closed, ticket gone from the level).
- The target in force is read from the policy and priority in force, so a priority or policy
  change re-targets: new target minus what was already consumed. Paused time stays paused.
- A breach is the first moment the target was due while the clock was running: the due time
  passed with the clock running, or a resumed/re-targeted clock was already past its target.
  A breach is history: later re-targeting does not undo it. No breach happens while paused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from palier.sla.calendar import BusinessCalendar
from palier.sla.clock.timeline import Span
from palier.tickets.lifecycle import Status

RUNNING = "running"
PAUSED = "paused"
STOPPED = "stopped"

RESPONSE = "response"
RESOLUTION = "resolution"
OLA = "ola"


@dataclass(frozen=True)
class Target:
    """Which clock: ``response``, ``resolution``, or ``ola`` of one level."""

    kind: str
    level: str | None = None

    @property
    def name(self) -> str:
        return f"ola {self.level}" if self.kind == OLA else self.kind

    def goal(self, span: Span) -> timedelta | None:
        """The target in force during ``span`` (``None``: no target)."""
        policy, situation = span.policy, span.situation
        if self.kind == OLA:
            return policy.ola.get(self.level or "")
        table = policy.response if self.kind == RESPONSE else policy.resolution
        return table.get(situation.priority or "")

    def activity(self, span: Span) -> tuple[str, str]:
        """(running | paused | stopped, why) for this clock during ``span``."""
        situation = span.situation
        if self.kind == RESPONSE and situation.responded:
            return STOPPED, "responded"
        if situation.status in (Status.RESOLVED, Status.CLOSED):
            return STOPPED, situation.status.value
        if self.kind == OLA and situation.level != self.level:
            return STOPPED, f"at {situation.level}"
        reason = span.policy.pause_reason(situation.status)
        return (PAUSED, reason) if reason else (RUNNING, "")


@dataclass(frozen=True)
class Threshold:
    """A warning threshold: when ``percent`` of the target is (or was, or will be) consumed."""

    percent: int
    at: datetime | None
    reached: bool


@dataclass(frozen=True)
class TargetState:
    """Where one clock stands. ``remaining`` is negative once the target is overrun.

    ``due_at`` is when the target is (or was) reached: in the past once reached; otherwise
    projected from now assuming no further pause (from the stop when stopped).
    ``met_at`` is when the clock last stopped, if it is stopped.
    """

    name: str
    kind: str
    state: str
    reason: str
    target: timedelta
    consumed: timedelta
    remaining: timedelta
    paused: timedelta
    percent: float
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None
    met_at: datetime | None
    thresholds: tuple[Threshold, ...]


@dataclass(frozen=True)
class _Counted:
    span: Span
    calendar: BusinessCalendar
    before: timedelta
    after: timedelta


@dataclass
class _Walk:
    """What walking the spans found: consumption, pauses, the first breach."""

    consumed: timedelta = timedelta(0)
    paused: timedelta = timedelta(0)
    breached_at: datetime | None = None
    counted: list[_Counted] = field(default_factory=list)

    def reaching(self, level: timedelta) -> datetime | None:
        """The instant consumption reached ``level``, if it has."""
        for part in self.counted:
            if part.before < level <= part.after:
                return part.calendar.add(part.span.start, level - part.before)
        return None


def evaluate(spans: Sequence[Span], target: Target, now: datetime) -> TargetState | None:
    """The state of ``target`` at ``now``; ``None`` if no target is in force now."""
    last = spans[-1]
    goal = target.goal(last)
    if goal is None:
        return None
    walk = _walk(spans, target)
    state, reason = target.activity(last)
    met_at = _stopped_since(spans, target) if state == STOPPED else None
    anchor, calendar = met_at or now, last.policy.calendar

    def reaching(level: timedelta, project: bool = state != STOPPED) -> datetime | None:
        reached = walk.reaching(level)
        if reached is not None or level <= walk.consumed or not project:
            return _utc(reached)
        return _utc(calendar.add(anchor, level - walk.consumed))

    consumed = walk.consumed
    return TargetState(
        name=target.name, kind=target.kind, state=state, reason=reason, target=goal,
        consumed=consumed, remaining=goal - consumed, paused=walk.paused,
        percent=round(consumed / goal * 100, 2), due_at=reaching(goal, True),
        breached=walk.breached_at is not None, breached_at=_utc(walk.breached_at),
        met_at=_utc(met_at),
        thresholds=tuple(Threshold(p, reaching(goal * p // 100), consumed >= goal * p // 100)
                         for p in last.policy.warning_thresholds),
    )


def _walk(spans: Sequence[Span], target: Target) -> _Walk:
    walk = _Walk()
    for span in spans:
        state, _ = target.activity(span)
        calendar = span.policy.calendar
        if state == RUNNING:
            business = calendar.between(span.start, span.end)
            if walk.breached_at is None:
                walk.breached_at = _breach(span, calendar, target.goal(span), walk.consumed,
                                           business)
            walk.counted.append(_Counted(span, calendar, walk.consumed, walk.consumed + business))
            walk.consumed += business
        elif state == PAUSED:
            walk.paused += calendar.between(span.start, span.end)
    return walk



def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _breach(span: Span, calendar: BusinessCalendar, goal: timedelta | None,
            consumed: timedelta, business: timedelta) -> datetime | None:
    """When, inside this running span, the target in force fell due (strictly before its end).

    ``business`` is the span's counted time; a due time can only fall inside the span when
    the consumption reaches the target by its end.
    """
    if goal is None or consumed + business < goal:
        return None
    hit = span.start if consumed >= goal else calendar.add(span.start, goal - consumed)
    return hit if hit < span.end else None


def _stopped_since(spans: Sequence[Span], target: Target) -> datetime:
    """The start of the trailing run of spans in which ``target`` is stopped."""
    since = spans[-1].start
    for span in reversed(spans):
        if target.activity(span)[0] != STOPPED:
            break
        since = span.start
    return since
