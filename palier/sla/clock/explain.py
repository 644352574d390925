"""A human-readable timeline of why a ticket's clocks stand where they do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from palier.sla.calendar import CLOSURE, HOLIDAY, OPENING, OUTSIDE_HOURS, Segment, zone
from palier.sla.clock.facts import (
    ACCEPTED,
    CLASSIFIED,
    CLOSED,
    CREATED,
    DE_ESCALATED,
    ESCALATED,
    IGNORED,
    PENDING,
    REOPENED,
    RESOLVED,
    RESPONDED,
    RESUMED,
    RETURNED,
    VENDOR,
    Fact,
    Policy,
)
from palier.sla.clock.state import ClockState, state_of
from palier.sla.clock.targets import OLA, PAUSED, RESOLUTION, RUNNING, Target, TargetState
from palier.sla.clock.timeline import Moment, PolicySchedule, Span, build_timeline

EVENT, POLICY, TARGET, COUNTED, NOT_COUNTED = "event", "policy", "target", "counted", "closed"
PAUSE, STOP, BREACH, NOW = "paused", "stopped", "breach", "now"
_RANK = {EVENT: 0, POLICY: 0, TARGET: 1, COUNTED: 2, NOT_COUNTED: 2, PAUSE: 2, STOP: 2,
         BREACH: 3, NOW: 4}

_FACT_TEXT = {
    CLASSIFIED: "priority changed to {priority}", ESCALATED: "escalated to {level}",
    ACCEPTED: "escalation accepted", RETURNED: "escalation returned to {level}",
    DE_ESCALATED: "de-escalated to {level}", PENDING: "pending requester",
    VENDOR: "pending vendor", RESUMED: "resumed", RESOLVED: "resolved",
    REOPENED: "reopened", CLOSED: "closed", RESPONDED: "first response",
    CREATED: "created at {level}, priority {priority}",
}
_CLOSED_TEXT = {OUTSIDE_HOURS: "outside business hours", HOLIDAY: "holiday", CLOSURE: "closure"}


@dataclass(frozen=True)
class Line:
    """One line of the explanation: an event, a segment [at, end), or a target's standing."""

    at: datetime
    end: datetime | None
    kind: str
    text: str
    business: timedelta | None = None


def explain(facts: Iterable[Fact], policies: PolicySchedule | Policy, now: datetime, *,
            tz: str | None = None) -> list[Line]:
    """The timeline behind ``clock_state``: events, each target after each event, the
    resolution clock's segments (counted, outside hours, holiday, closure, paused, stopped),
    breaches, and the standing now. Times are shown in ``tz`` (default: the calendar's)."""
    facts = list(facts)
    timeline = build_timeline(facts, policies, now)
    final = state_of(timeline)
    where = zone(tz or final.policy.calendar.tz)
    lines: list[Line] = []
    for moment in timeline.moments:
        lines += _moment_lines(moment, where)
        lines += _target_lines(state_of(build_timeline(facts, policies, moment.at)),
                               moment.at, TARGET, where)
    for span in timeline.spans:
        lines += _span_lines(span, where)
    lines += [Line(t.breached_at.astimezone(where), None, BREACH, f"{t.name} target breached")
              for t in _all_targets(final) if t.breached_at is not None]
    lines += _target_lines(final, now, NOW, where)
    return sorted(lines, key=lambda line: (line.at, _RANK[line.kind]))


def render_explanation(lines: Iterable[Line]) -> str:
    """The explanation as text, one line each, in the timezone the lines were made in."""
    out = []
    for line in lines:
        when = line.at.strftime("%Y-%m-%d %H:%M %Z")
        if line.end is not None:
            same_day = line.end.date() == line.at.date()
            when += " → " + line.end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
        out.append(f"{when:<40} {line.text}")
    return "\n".join(out)


def fmt_duration(duration: timedelta) -> str:
    """``3h05``, ``27h30``, ``-1h00``; seconds are shown only when there are some."""
    sign = "-" if duration < timedelta(0) else ""
    seconds = int(abs(duration).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}h{minutes:02d}" + (f"m{secs:02d}s" if secs else "")


def _moment_lines(moment: Moment, where: ZoneInfo) -> list[Line]:
    at = moment.at.astimezone(where)
    lines = [Line(at, None, EVENT, _fact_text(fact)) for fact in moment.facts
             if fact.kind not in IGNORED]
    if moment.policy_changed:
        lines.append(Line(at, None, POLICY, _policy_text(moment.policy)))
    return lines


def _fact_text(fact: Fact) -> str:
    return _FACT_TEXT[fact.kind].format(priority=fact.priority or "—", level=fact.level or "—")


def _policy_text(policy: Policy) -> str:
    pauses = [name for name, on in (("pending requester", policy.pause_on_pending_requester),
                                    ("pending vendor", policy.pause_on_pending_vendor)) if on]
    return (f"policy {policy.name or 'changed'} in force (calendar "
            f"{policy.calendar.name or policy.calendar.tz}; pauses on "
            f"{', '.join(pauses) or 'nothing'})")


def _span_lines(span: Span, where: ZoneInfo) -> list[Line]:
    if span.end <= span.start:
        return []
    start, end = span.start.astimezone(where), span.end.astimezone(where)
    state, reason = Target(RESOLUTION).activity(span)
    calendar = span.policy.calendar
    if state == PAUSED:
        business = calendar.between(span.start, span.end)
        return [Line(start, end, PAUSE, f"paused ({reason}): {fmt_duration(business)} of "
                     "business time not counted", business)]
    if state != RUNNING:
        return [Line(start, end, STOP, f"stopped ({reason})")]
    return [_segment_line(segment, where) for segment in calendar.segments(span.start, span.end)]


def _segment_line(segment: Segment, where: ZoneInfo) -> Line:
    start, end = segment.start.astimezone(where), segment.end.astimezone(where)
    if segment.counted:
        business = segment.end - segment.start
        text = f"counted {fmt_duration(business)}"
        if segment.kind == OPENING:
            text += f" (exceptional opening{': ' + segment.label if segment.label else ''})"
        return Line(start, end, COUNTED, text, business)
    text = _CLOSED_TEXT[segment.kind] + (f" ({segment.label})" if segment.label else "")
    return Line(start, end, NOT_COUNTED, text + ": not counted")


def _target_lines(state: ClockState, at: datetime, kind: str, where: ZoneInfo) -> list[Line]:
    moment, prefix = at.astimezone(where), "now: " if kind == NOW else ""
    return [Line(moment, None, kind, prefix + _target_text(t, state, where))
            for t in state.targets]


def _target_text(t: TargetState, state: ClockState, where: ZoneInfo) -> str:
    basis = "" if t.kind == OLA else f"{state.priority}, "
    label = f"{t.name} ({basis}target {fmt_duration(t.target)})"
    parts = [f"{fmt_duration(t.consumed)} consumed ({t.percent:g}%)"]
    parts.append(f"{fmt_duration(t.remaining)} left" if t.remaining >= timedelta(0)
                 else f"overrun by {fmt_duration(-t.remaining)}")
    if t.paused:
        parts.append(f"{fmt_duration(t.paused)} paused")
    if t.due_at is not None:
        parts.append(f"due {t.due_at.astimezone(where):%Y-%m-%d %H:%M}"
                     + (" if resumed now" if t.state == PAUSED else ""))
    status = t.state + (f": {t.reason}" if t.reason else "")
    if t.breached:
        status += ", breached"
    return f"{label}: {', '.join(parts)} [{status}]"


def _all_targets(state: ClockState) -> list[TargetState]:
    seen = [state.response, state.resolution, *state.olas.values()]
    return [t for t in seen if t is not None]
