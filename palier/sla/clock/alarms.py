"""Which SLA alarms (warnings and breaches) a ticket still owes, and when: pure, no ORM.

An alarm is identified by ``(target, kind, cycle)``:

- ``target`` is ``response``, ``resolution`` or ``ola:<level>``;
- ``kind`` is ``warning_<percent>`` or ``breach``;
- ``cycle`` is ``""`` for a breach (a target breaches once: a breach is history) and the
  target's length in minutes for a warning (``"240m"``), so a warning fires once per threshold
  of each target length in force: lowering the priority re-arms the warnings of the longer
  target, and a consumption level, once crossed, is never crossed again.

Rules, given the journal so far and the alarms already fired:

- A breach is owed when the clock says the target breached (due now, late) or, while it runs,
  at its due time.
- A warning is owed while its target is neither breached nor stopped: at the instant its
  threshold is (or was) reached, unless it was reached before the target's current length came
  into force (a priority or policy change that jumps past a threshold does not fire the
  warnings it skipped; the breach, if any, says more). A paused target owes only the warnings
  it had already reached.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from palier.sla.clock.facts import Fact, Policy
from palier.sla.clock.state import ClockState, state_of
from palier.sla.clock.targets import (
    OLA,
    RESOLUTION,
    RESPONSE,
    RUNNING,
    STOPPED,
    Target,
    TargetState,
)
from palier.sla.clock.timeline import PolicySchedule, Span, build_timeline

BREACH = "breach"
AlarmKey = tuple[str, str, str]


@dataclass(frozen=True)
class Alarm:
    """One warning or breach a ticket owes. ``at`` is when it is (or was) reached."""

    target: str
    kind: str
    cycle: str
    at: datetime
    due_at: datetime | None
    threshold: int | None = None
    #: A warning overtaken by its target's breach before it could fire: dropped, not fired.
    superseded: bool = False

    @property
    def key(self) -> AlarmKey:
        return (self.target, self.kind, self.cycle)

    @property
    def is_breach(self) -> bool:
        return self.kind == BREACH

    @property
    def level(self) -> str | None:
        """The level of an OLA alarm."""
        return self.target.removeprefix("ola:") if self.target.startswith("ola:") else None


def target_name(target: Target) -> str:
    """``response``, ``resolution`` or ``ola:<level>``."""
    return f"ola:{target.level}" if target.kind == OLA else target.kind


def warning_kind(percent: int) -> str:
    return f"warning_{percent}"


def cycle_of(length: timedelta) -> str:
    """A warning's cycle: the target length in minutes (seconds when not whole minutes)."""
    seconds = int(length.total_seconds())
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


def clock_with_alarms(facts: Iterable[Fact], policies: PolicySchedule | Policy, now: datetime,
                      fired: Collection[AlarmKey] = ()) -> tuple[ClockState, list[Alarm]]:
    """``clock_state`` and the alarms still owed, from one replay of the journal."""
    timeline = build_timeline(facts, policies, now)
    state = state_of(timeline)
    return state, owed_alarms(timeline.spans, state, fired)


def owed_alarms(spans: tuple[Span, ...], state: ClockState,
                fired: Collection[AlarmKey]) -> list[Alarm]:
    """Every alarm not yet fired that is due now or will be if nothing else happens, soonest
    first. ``spans`` is the timeline ``state`` was measured on."""
    alarms = [alarm for target, measured in _measured(state)
              for alarm in _owed(spans, target, measured, fired)]
    return sorted(alarms, key=lambda alarm: (alarm.at, alarm.target, alarm.kind))


def _measured(state: ClockState) -> Iterator[tuple[Target, TargetState]]:
    if state.response is not None:
        yield Target(RESPONSE), state.response
    if state.resolution is not None:
        yield Target(RESOLUTION), state.resolution
    for level, measured in state.olas.items():
        yield Target(OLA, level), measured


def _owed(spans: tuple[Span, ...], target: Target, measured: TargetState,
          fired: Collection[AlarmKey]) -> list[Alarm]:
    name, owed = target_name(target), []
    if (name, BREACH, "") not in fired:
        if measured.breached_at is not None:
            owed.append(Alarm(name, BREACH, "", measured.breached_at, measured.due_at))
        elif measured.state == RUNNING and measured.due_at is not None:
            owed.append(Alarm(name, BREACH, "", measured.due_at, measured.due_at))
    if measured.breached or measured.state == STOPPED:
        return owed
    cycle, since = cycle_of(measured.target), _in_force_since(spans, target, measured.target)
    for threshold in measured.thresholds:
        key = (name, warning_kind(threshold.percent), cycle)
        if threshold.at is None or threshold.at < since or key in fired:
            continue
        if threshold.reached or measured.state == RUNNING:
            owed.append(Alarm(name, key[1], cycle, threshold.at, measured.due_at,
                              threshold.percent))
    return owed


def _in_force_since(spans: tuple[Span, ...], target: Target, length: timedelta) -> datetime:
    """The start of the trailing run of spans in which ``target`` had this ``length``."""
    since = spans[-1].start
    for span in reversed(spans):
        if target.goal(span) != length:
            break
        since = span.start
    return since
