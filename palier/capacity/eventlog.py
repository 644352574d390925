"""A small reader of tiered event logs (OpenXES, e.g. BPIC 2013 Volvo IT incidents) and the
estimation of the desk model from it. Pure: standard library XML, NumPy and SciPy, no ORM.

Each event carries a support group whose suffix is the level (``"G230 2nd"`` → L2,
``"… 3rd"`` → L3, none → L1), a status (``lifecycle:transition``) and a time. A case becomes a
sequence of *visits* (consecutive events at one level). A visit ends by an escalation (next
visit higher), a return (lower) or the resolution; inside a visit each entry into a ``Wait``
status is a pause. Handling time is the time spent in ``In Progress`` (or ``In Call``).
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

LEVEL_SUFFIXES = {"2nd": 1, "3rd": 2}
WORKING = ("In Progress", "In Call")
DONE = ("Resolved", "Closed")


@dataclass(frozen=True)
class Event:
    at: float  # POSIX seconds
    level: int  # 0 = L1
    status: str
    impact: str = ""


@dataclass
class Case:
    key: str
    events: list[Event] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return any(e.status in DONE for e in self.events)


def level_of(group: str) -> int:
    """The level index from an ``org:group`` value."""
    suffix = group.rsplit(" ", 1)[-1] if " " in group else ""
    return LEVEL_SUFFIXES.get(suffix, 0)


def read_xes(path: str | Path) -> Iterator[Case]:
    """Stream the cases of an (optionally gzipped) XES file, events sorted by time."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        case: Case | None = None
        attrs: dict[str, str] = {}
        in_event = False
        for action, element in ET.iterparse(handle, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if action == "start":
                if tag == "trace":
                    case = Case("")
                in_event = in_event or tag == "event"
                continue
            if case is None:
                continue
            if tag in ("string", "date"):
                if in_event:
                    attrs[element.get("key")] = element.get("value", "")
                elif element.get("key") == "concept:name":
                    case.key = element.get("value", "")
            elif tag == "event":
                case.events.append(_event(attrs))
                attrs, in_event = {}, False
                element.clear()
            elif tag == "trace":
                case.events.sort(key=lambda e: e.at)
                if case.events:
                    yield case
                case = None
                element.clear()


def _event(attrs: dict[str, str]) -> Event:
    when = datetime.fromisoformat(attrs["time:timestamp"])
    if when.tzinfo is None:
        raise ValueError("Event times must carry a UTC offset.")
    return Event(when.timestamp(), level_of(attrs.get("org:group", "")),
                 attrs.get("lifecycle:transition", ""), attrs.get("impact", ""))


@dataclass(frozen=True)
class Visit:
    level: int
    start: float
    handling: float  # seconds in a working status
    pauses: int
    paused: float  # seconds in Wait statuses
    outcome: str  # "escalate", "return", "resolve" or "open" (the log ends first)
    to_level: int = -1  # the next visit's level after an escalation or a return


def visits(case: Case) -> list[Visit]:
    """The case's visits in order, with their outcome."""
    out: list[Visit] = []
    events = case.events
    i = 0
    while i < len(events):
        j = i
        while j + 1 < len(events) and events[j + 1].level == events[i].level:
            j += 1
        handling = paused = 0.0
        pauses = 0
        for k in range(i, j + 1):
            span = (events[k + 1].at - events[k].at) if k + 1 < len(events) else 0.0
            if events[k].status in WORKING:
                handling += span
            elif events[k].status.startswith("Wait"):
                paused += span
                if k == i or not events[k - 1].status.startswith("Wait"):
                    pauses += 1
        to_level = events[j + 1].level if j + 1 < len(events) else -1
        if to_level >= 0:
            outcome = "escalate" if to_level > events[i].level else "return"
        else:
            outcome = "resolve" if case.resolved else "open"
        out.append(Visit(events[i].level, events[i].at, handling, pauses, paused, outcome,
                         to_level))
        i = j + 1
    return out


def read_cases(path: str | Path) -> list[Case]:
    """Every case of the log (the BPIC 2013 incidents log holds 7,554)."""
    return list(read_xes(path))
