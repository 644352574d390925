"""The per-calendar index: every open interval in UTC microseconds, built a local year at a time.

``F(t)``, the open time elapsed since an arbitrary origin, is continuous and non-decreasing.
``between(a, b)`` is ``F(b) - F(a)``; ``add(t, d)`` is the first instant where ``F`` reaches
``F(t) + d``. Both are a bisection over the sorted intervals, O(log n) once the local years
concerned are built; years are built lazily, once per calendar, and shared between threads by
swapping one immutable ``Index`` reference.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from palier.sla.calendar.hours import Week
from palier.sla.calendar.regions import holidays_in
from palier.sla.calendar.timeutil import US_PER_DAY, US_PER_MINUTE, from_us, local_to_us

Interval = tuple[int, int]
ONE_DAY = timedelta(days=1)
#: After this many consecutive years without open time, ``add`` gives up.
MAX_EMPTY_YEARS = 12
LAST_YEAR = 9998


class CalendarNeverOpens(ValueError):
    """The calendar has no open time in the years searched, so a duration never elapses."""


@dataclass(frozen=True)
class Rules:
    """What the index needs from a calendar, in UTC microseconds where it can be."""

    tz: ZoneInfo
    week: Week
    country: str | None
    subdivision: str | None
    closed_dates: frozenset[date]
    openings: tuple[Interval, ...]
    closures: tuple[Interval, ...]

    def closed_days(self, year: int) -> frozenset[date]:
        """The local dates of ``year`` closed as public holidays or closed dates."""
        days = {day for day in self.closed_dates if day.year == year}
        if self.country:
            days.update(holidays_in(self.country, self.subdivision, year))
        return frozenset(days)


@dataclass(frozen=True)
class Block:
    year: int
    lo: int
    hi: int
    intervals: list[Interval]


def build_year(rules: Rules, year: int) -> Block:
    """The open intervals of one local year: weekly hours minus closed days, plus openings,
    minus closures (a closure wins over an opening)."""
    if not 1 <= year <= LAST_YEAR:
        raise CalendarNeverOpens(f"Business time cannot be counted in year {year}.")
    tz = rules.tz
    lo = local_to_us(date(year, 1, 1), 0, tz)
    hi = local_to_us(date(year + 1, 1, 1), 0, tz)
    closed = rules.closed_days(year)
    raw: list[Interval] = []
    for day, midnight in _days(year, lo, tz):
        hours = rules.week[day.weekday()]
        if not hours or day in closed:
            continue
        if midnight is not None:
            raw.extend((midnight + a * US_PER_MINUTE, midnight + b * US_PER_MINUTE)
                       for a, b in hours)
        else:
            raw.extend((local_to_us(day, a, tz), local_to_us(day, b, tz)) for a, b in hours)
    raw.extend(clip(rules.openings, lo, hi))
    return Block(year, lo, hi, subtract(union(raw), clip(rules.closures, lo, hi)))


def _days(year: int, lo: int, tz: ZoneInfo) -> Iterator[tuple[date, int | None]]:
    """Each local day of the year with its midnight in UTC microseconds, or ``None`` for the
    days of a week that is not exactly 7 × 24 h long (a DST change: convert each bound).
    DST changes are months apart, so a week of exact length has one offset throughout."""
    day, midnight = date(year, 1, 1), lo
    while day.year == year:
        span = min(7, (date(year + 1, 1, 1) - day).days)
        following = local_to_us(day + timedelta(days=span), 0, tz)
        uniform = following - midnight == span * US_PER_DAY
        for i in range(span):
            yield day + timedelta(days=i), midnight + i * US_PER_DAY if uniform else None
        day, midnight = day + timedelta(days=span), following


def clip(intervals: Iterable[Interval], lo: int, hi: int) -> list[Interval]:
    """The parts of ``intervals`` inside [lo, hi)."""
    return [(max(s, lo), min(e, hi)) for s, e in intervals if s < hi and e > lo]


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint, non-touching intervals covering the same instants."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: Sequence[Interval], cuts: Iterable[Interval]) -> list[Interval]:
    """``intervals`` (sorted, disjoint) minus every cut."""
    cuts = union(cuts)
    if not cuts:
        return list(intervals)
    result: list[Interval] = []
    j = 0
    for start, end in intervals:
        while j < len(cuts) and cuts[j][1] <= start:
            j += 1
        k, cursor = j, start
        while k < len(cuts) and cuts[k][0] < end:
            if cuts[k][0] > cursor:
                result.append((cursor, cuts[k][0]))
            cursor = max(cursor, cuts[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


class Index:
    """Open intervals over [lo, hi) with the cumulative open time at each start and end."""

    __slots__ = ("base", "cend", "cum", "ends", "first", "hi", "last", "lo", "starts")

    def __init__(self, first: int, last: int, lo: int, hi: int, starts: list[int],
                 ends: list[int], cum: list[int], cend: list[int], base: int) -> None:
        self.first, self.last, self.lo, self.hi = first, last, lo, hi
        self.starts, self.ends, self.cum, self.cend, self.base = starts, ends, cum, cend, base

    def value(self, t: int) -> int:
        """``F(t)``: open time before ``t``, from the index's origin."""
        k = bisect_right(self.starts, t) - 1
        if k < 0:
            return self.base
        end = self.ends[k]
        return self.cum[k] + (t if t < end else end) - self.starts[k]

    def inverse(self, x: int) -> int:
        """The first instant where ``F`` reaches ``x`` (``base < x <= cend[-1]``)."""
        k = bisect_left(self.cend, x)
        return self.starts[k] + x - self.cum[k]

    def is_open(self, t: int) -> bool:
        k = bisect_right(self.starts, t) - 1
        return k >= 0 and t < self.ends[k]

    def intervals(self, a: int, b: int) -> list[Interval]:
        """The open intervals within [a, b), clipped."""
        k = max(bisect_right(self.starts, a) - 1, 0)
        stop = bisect_left(self.starts, b)
        return clip(zip(self.starts[k:stop], self.ends[k:stop], strict=True), a, b)

    @classmethod
    def of(cls, block: Block) -> Index:
        return cls(block.year, block.year, block.lo, block.hi, [], [], [], [], 0).append(block)

    def append(self, block: Block) -> Index:
        cum, cend = list(self.cum), list(self.cend)
        total = cend[-1] if cend else self.base
        for start, end in block.intervals:
            cum.append(total)
            total += end - start
            cend.append(total)
        return Index(self.first, block.year, self.lo, block.hi,
                     self.starts + [s for s, _ in block.intervals],
                     self.ends + [e for _, e in block.intervals], cum, cend, self.base)

    def prepend(self, block: Block) -> Index:
        base = self.base - sum(e - s for s, e in block.intervals)
        cum, cend, total = [], [], base
        for start, end in block.intervals:
            cum.append(total)
            total += end - start
            cend.append(total)
        return Index(block.year, self.last, block.lo, self.hi,
                     [s for s, _ in block.intervals] + self.starts,
                     [e for _, e in block.intervals] + self.ends,
                     cum + self.cum, cend + self.cend, base)


class Holder:
    """The growing index of one calendar; safe to share between threads."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._lock = threading.Lock()
        self.index: Index | None = None

    def covering(self, t: int) -> Index:
        """The index extended so that lo <= t < hi."""
        index = self.index
        if index is not None and index.lo <= t < index.hi:
            return index
        with self._lock:
            index = self.index or Index.of(build_year(self.rules, from_us(t).year))
            while t < index.lo:
                index = index.prepend(build_year(self.rules, index.first - 1))
            while t >= index.hi:
                index = index.append(build_year(self.rules, index.last + 1))
            self.index = index
            return index

    def reaching(self, x: int) -> Index:
        """The index extended until ``F`` reaches ``x`` (after the index was first built)."""
        index = self.index
        assert index is not None, "covering() builds the index first"
        if index.cend and index.cend[-1] >= x:
            return index
        with self._lock:
            index, empty = self.index, 0
            assert index is not None
            while not index.cend or index.cend[-1] < x:
                block = build_year(self.rules, index.last + 1)
                empty = 0 if block.intervals else empty + 1
                if empty > MAX_EMPTY_YEARS:
                    raise CalendarNeverOpens(
                        f"No open time in the {MAX_EMPTY_YEARS} years up to {block.year}.")
                index = index.append(block)
            self.index = index
            return index
