"""Why each part of a range is open or closed: for explanations, not for arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from palier.sla.calendar.index import ONE_DAY, Interval, Rules
from palier.sla.calendar.regions import holidays_in
from palier.sla.calendar.timeutil import from_us, local_date, local_to_us

OPEN = "open"
OPENING = "opening"
OUTSIDE_HOURS = "outside_hours"
HOLIDAY = "holiday"
CLOSURE = "closure"
COUNTED_KINDS = frozenset({OPEN, OPENING})

Labelled = tuple[int, int, str]


class Segment(NamedTuple):
    """A part of a range: ``kind`` is one of open, opening, outside_hours, holiday, closure."""

    start: datetime
    end: datetime
    kind: str
    label: str = ""

    @property
    def counted(self) -> bool:
        return self.kind in COUNTED_KINDS


def explain_range(rules: Rules, open_parts: Sequence[Interval], a: int, b: int, *,
                  closures: Sequence[Labelled], openings: Sequence[Labelled]) -> list[Segment]:
    """[a, b) as segments: open parts (marked where an exceptional opening made them open)
    and closed parts (a closure, else a holiday or closed date, else outside hours)."""
    pieces: list[tuple[int, int, str, str]] = []
    cursor = a
    for start, end in open_parts:
        if start > cursor:
            pieces += _closed(rules, cursor, start, closures)
        pieces += _split(start, end, openings, OPENING, OPEN)
        cursor = end
    if cursor < b:
        pieces += _closed(rules, cursor, b, closures)
    return _merge(pieces)


def _closed(rules: Rules, a: int, b: int,
            closures: Sequence[Labelled]) -> list[tuple[int, int, str, str]]:
    result = []
    for start, end, kind, label in _split(a, b, closures, CLOSURE, OUTSIDE_HOURS):
        if kind == CLOSURE:
            result.append((start, end, kind, label))
        else:
            result += _split(start, end, _closed_days(rules, start, end), HOLIDAY, OUTSIDE_HOURS)
    return result


def _closed_days(rules: Rules, a: int, b: int) -> list[Labelled]:
    """The local days in [a, b) closed as holidays or closed dates, as UTC ranges."""
    days, day, last = [], local_date(a, rules.tz), local_date(b - 1, rules.tz)
    while day <= last:
        name = _day_name(rules, day)
        if name is not None:
            days.append((local_to_us(day, 0, rules.tz), local_to_us(day, 1440, rules.tz), name))
        day += ONE_DAY
    return days


def _day_name(rules: Rules, day: date) -> str | None:
    if day in rules.closed_dates:
        return "closed day"
    if rules.country:
        return holidays_in(rules.country, rules.subdivision, day.year).get(day)
    return None


def _split(a: int, b: int, periods: Sequence[Labelled], inside: str,
           outside: str) -> list[tuple[int, int, str, str]]:
    """[a, b) cut where ``periods`` start and end: parts inside are ``inside``."""
    result, cursor = [], a
    for start, end, label in sorted(periods):
        start, end = max(start, cursor), min(end, b)
        if end <= start:
            continue
        if start > cursor:
            result.append((cursor, start, outside, ""))
        result.append((start, end, inside, label))
        cursor = end
    if cursor < b:
        result.append((cursor, b, outside, ""))
    return result


def _merge(pieces: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    merged: list[tuple[int, int, str, str]] = []
    for start, end, kind, label in pieces:
        if merged and merged[-1][1] == start and merged[-1][2:] == (kind, label):
            merged[-1] = (merged[-1][0], end, kind, label)
        else:
            merged.append((start, end, kind, label))
    return [Segment(from_us(s), from_us(e), kind, label) for s, e, kind, label in merged]
