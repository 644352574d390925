"""An event-log case → ``reports.metrics`` steps (pure; no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from palier.eventlog.mapping import LogMapping
from palier.reports.metrics import Kind, Step


class RecordError(ValueError):
    """An event lacks a needed value."""


@dataclass(frozen=True)
class Record:
    at: datetime
    activity: str
    level: str
    group: str
    resource: str
    priority: str
    category: str


def parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise RecordError(f"{text!r} is not an ISO 8601 timestamp.") from None
    if moment.tzinfo is None:
        raise RecordError(f"{text!r} has no UTC offset; give timestamps with one.")
    return moment


def records(events: list[dict[str, str]], mapping: LogMapping) -> list[Record]:
    """The mapped events of one case, in time order (ties keep file order)."""
    out = []
    for event in events:
        stamp = event.get(mapping.timestamp)
        if stamp is None:
            raise RecordError(f"An event has no {mapping.timestamp!r}.")
        rule = mapping.level
        out.append(Record(
            at=parse_time(stamp), activity=event.get(mapping.activity, "") or "",
            level=rule.level(event.get(rule.column) if rule.column else None),
            group=event.get(mapping.group, "") if mapping.group else "",
            resource=event.get(mapping.resource, "") if mapping.resource else "",
            priority=event.get(mapping.priority, "") if mapping.priority else "",
            category=event.get(mapping.category, "") if mapping.category else ""))
    out.sort(key=lambda r: r.at)
    return out


def case_steps(recs: list[Record], mapping: LogMapping) -> list[Step]:
    """CREATED at the first event, then one step per event (and an ASSIGNED step after it
    when the resource changes): resolution, closure, pause, reopening (work after a resolution) or
    work; each carries the event's level and group."""
    first = recs[0]
    steps = [Step(first.at, Kind.CREATED, first.level, first.group)]
    resolved, resource = False, None
    for rec in recs:
        if mapping.is_("resolved", rec.activity):
            kind, resolved = Kind.RESOLVED, True
        elif mapping.is_("closed", rec.activity):
            kind, resolved = Kind.CLOSED, True
        elif mapping.is_("pause", rec.activity):
            kind = Kind.PENDING
        elif resolved:
            kind, resolved = Kind.REOPENED, False
        else:
            kind = Kind.WORK
        steps.append(Step(rec.at, kind, rec.level, rec.group))
        if rec.resource and rec.resource != resource:
            steps.append(Step(rec.at, Kind.ASSIGNED, agent=rec.resource))
            resource = rec.resource
    return steps
