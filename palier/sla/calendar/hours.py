"""Weekly opening hours: local wall-clock intervals, parsed and normalised.

A day's hours are ``(start, end)`` pairs of minutes since local midnight; ``end`` may be
1440 (24:00). A week is seven such days, Monday first. Intervals of a day must not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import time
from itertools import pairwise

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440

Day = tuple[tuple[int, int], ...]
Week = tuple[Day, Day, Day, Day, Day, Day, Day]

CLOSED_WEEK: Week = ((),) * 7  # type: ignore[assignment]
FULL_WEEK: Week = (((0, MINUTES_PER_DAY),),) * 7  # type: ignore[assignment]

ClockValue = str | time | int


def parse_clock(value: ClockValue) -> int:
    """Minutes since midnight of ``"HH:MM"``, a ``time`` or an int; ``"24:00"`` is 1440."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time of day.")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, time):
        if value.second or value.microsecond:
            raise ValueError(f"{value} is not a whole minute.")
        minutes = value.hour * 60 + value.minute
    elif isinstance(value, str):
        minutes = _parse_text(value)
    else:
        raise ValueError(f"{value!r} is not a time of day.")
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError(f"{value!r} is not between 00:00 and 24:00.")
    return minutes


def _parse_text(text: str) -> int:
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"{text!r} is not a time written HH:MM.")
    if int(minutes) > 59:
        raise ValueError(f"{text!r} is not a time written HH:MM.")
    return int(hours) * 60 + int(minutes)


def format_clock(minutes: int) -> str:
    """``"HH:MM"`` for minutes since midnight (1440 → ``"24:00"``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def normalise_day(intervals: Iterable[Iterable[ClockValue]]) -> Day:
    """Sorted ``(start, end)`` minute pairs; raises ``ValueError`` on empty or overlapping ones."""
    pairs = []
    for interval in intervals:
        bounds = list(interval)
        if len(bounds) != 2:
            raise ValueError(f"{interval!r} is not a (start, end) pair.")
        start, end = parse_clock(bounds[0]), parse_clock(bounds[1])
        if end <= start:
            raise ValueError(f"{format_clock(start)}–{format_clock(end)} ends before it starts.")
        pairs.append((start, end))
    pairs.sort()
    for (_, end), (start, _) in pairwise(pairs):
        if start < end:
            raise ValueError(f"Intervals overlap around {format_clock(start)}.")
    return tuple(pairs)


def parse_week(hours: Mapping[str | int, Iterable[Iterable[ClockValue]]]) -> Week:
    """A week from ``{"mon": [["09:00", "12:30"], ["13:30", "18:00"]], ...}``.

    Keys are ``mon``…``sun`` or weekday numbers 0–6 (Monday is 0); missing days are closed.
    """
    if not isinstance(hours, Mapping):
        raise ValueError("Opening hours are a mapping from weekday to intervals.")
    days: list[Day] = [()] * 7
    for key, intervals in hours.items():
        index = _weekday(key)
        if isinstance(intervals, str | bytes) or not isinstance(intervals, Iterable):
            raise ValueError(f"{key}: give a list of [start, end] pairs.")
        try:
            days[index] = normalise_day(intervals)
        except ValueError as exc:
            raise ValueError(f"{WEEKDAYS[index]}: {exc}") from None
    return tuple(days)  # type: ignore[return-value]


def _weekday(key: str | int) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 6:
        return key
    if isinstance(key, str) and key.lower()[:3] in WEEKDAYS:
        return WEEKDAYS.index(key.lower()[:3])
    raise ValueError(f"{key!r} is not a weekday (use mon … sun).")


def week_to_json(week: Week) -> dict[str, list[list[str]]]:
    """The JSON form stored on the model: ``{"mon": [["09:00", "17:00"]], ...}``."""
    return {WEEKDAYS[i]: [[format_clock(a), format_clock(b)] for a, b in day]
            for i, day in enumerate(week) if day}


def weekly_minutes(week: Week) -> int:
    """Open minutes in a week of wall-clock hours."""
    return sum(end - start for day in week for start, end in day)
