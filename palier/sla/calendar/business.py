"""``BusinessCalendar``: when a desk is open, and business-time arithmetic over it.

Semantics, in one place:

- Weekly hours are local wall-clock intervals, read in the calendar's zone on each date, so
  09:00–17:00 is 8 h on DST-change days too. Where a bound falls in a repeated hour it is the
  first occurrence; where it falls in a skipped hour it is the transition instant; the time
  counted is the real elapsed time between the two instants (00:00–24:00 is 23 h or 25 h).
- A public holiday (country/subdivision from ``holidays``) or a closed date closes the whole
  local day. Exceptional openings are added to what is open (they can open a holiday or a
  night); exceptional closures are removed afterwards, so a closure wins over an opening.
- ``add(start, d)`` is the first instant at which ``d`` of open time has elapsed since
  ``start``; outside hours, counting begins at the next opening. ``add(start, 0)`` returns
  ``start`` unchanged. A due time landing on a closing time is that closing time.
- ``between(a, b)`` is the open time in [a, b); zero when ``b <= a``.
- Arithmetic is exact to the microsecond: ``between(t, add(t, d)) == d`` for any ``d >= 0``.
  Results are aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from palier.sla.calendar import segments as _segments
from palier.sla.calendar.hours import FULL_WEEK, Week, normalise_day, parse_week, weekly_minutes
from palier.sla.calendar.index import Holder, Rules
from palier.sla.calendar.regions import check_region
from palier.sla.calendar.timeutil import US, from_us, to_us, zone


class Period(NamedTuple):
    """An exceptional closure or opening: [start, end) between aware datetimes."""

    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class BusinessCalendar:
    """A business calendar as a plain value; equal calendars share one cached index.

    ``week`` is seven tuples of ``(start, end)`` minutes since local midnight (Monday first),
    or a mapping such as ``{"mon": [["09:00", "12:30"], ["13:30", "18:00"]]}``.
    """

    tz: str
    week: Week
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = frozenset()
    closures: tuple[Period, ...] = ()
    openings: tuple[Period, ...] = ()
    name: str = field(default="", compare=False)
    _holder: Holder = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tz = zone(self.tz)
        set_ = object.__setattr__
        set_(self, "week", _week(self.week))
        set_(self, "holiday_country", self.holiday_country or None)
        set_(self, "holiday_subdivision", self.holiday_subdivision or None)
        check_region(self.holiday_country, self.holiday_subdivision)
        set_(self, "closed_dates", frozenset(self.closed_dates))
        set_(self, "closures", _periods(self.closures, "closure"))
        set_(self, "openings", _periods(self.openings, "opening"))
        set_(self, "_holder", _holder_for(Rules(
            tz, self.week, self.holiday_country, self.holiday_subdivision, self.closed_dates,
            tuple((to_us(p.start), to_us(p.end)) for p in self.openings),
            tuple((to_us(p.start), to_us(p.end)) for p in self.closures),
        )))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init)

    @classmethod
    def twenty_four_seven(cls, tz: str = "UTC", *, closures: Iterable[Any] = (),
                          openings: Iterable[Any] = (), name: str = "24×7") -> BusinessCalendar:
        """Always open: no weekly closing, no public holidays; closures still apply."""
        return cls(tz, FULL_WEEK, closures=tuple(closures), openings=tuple(openings), name=name)

    @property
    def is_24x7(self) -> bool:
        return self.week == FULL_WEEK and not (self.holiday_country or self.closed_dates)

    @property
    def weekly_hours(self) -> timedelta:
        """Open time in an ordinary week (no holidays, no DST change)."""
        return timedelta(minutes=weekly_minutes(self.week))

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The first instant at which ``business`` of open time has elapsed since ``start``."""
        d = business // US
        if d <= 0:
            if d < 0:
                raise ValueError("A business duration cannot be negative.")
            return start
        t = to_us(start)
        holder = self._holder
        index = holder.index
        if index is None or not index.lo <= t < index.hi:
            index = holder.covering(t)
        x = index.value(t) + d
        if not index.cend or index.cend[-1] < x:
            index = holder.reaching(x)
        return from_us(index.inverse(x))

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Open time in [a, b); ``timedelta(0)`` when ``b <= a``."""
        x, y = to_us(a), to_us(b)
        if y <= x:
            return timedelta(0)
        holder = self._holder
        low = holder.covering(x).value(x)
        return timedelta(microseconds=holder.covering(y).value(y) - low)

    def is_open(self, moment: datetime) -> bool:
        t = to_us(moment)
        return self._holder.covering(t).is_open(t)

    def open_intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """The open intervals within [a, b), clipped to it, in UTC."""
        x, y = to_us(a), to_us(b)
        if y <= x:
            return []
        holder = self._holder
        holder.covering(x)
        return [(from_us(s), from_us(e)) for s, e in holder.covering(y).intervals(x, y)]

    def segments(self, a: datetime, b: datetime) -> list[_segments.Segment]:
        """[a, b) cut into open, opening, outside-hours, holiday and closure segments."""
        x, y = to_us(a), to_us(b)
        if y <= x:
            return []
        holder = self._holder
        holder.covering(x)
        index = holder.covering(y)
        return _segments.explain_range(
            holder.rules, index.intervals(x, y), x, y,
            closures=[(to_us(p.start), to_us(p.end), p.reason) for p in self.closures],
            openings=[(to_us(p.start), to_us(p.end), p.reason) for p in self.openings],
        )


def _week(week: Week | Mapping[Any, Any]) -> Week:
    if isinstance(week, Mapping):
        return parse_week(week)
    days = tuple(week)
    if len(days) != 7:
        raise ValueError("A week has seven days of opening hours, Monday first.")
    return tuple(normalise_day(day) for day in days)  # type: ignore[return-value]


def _periods(values: Iterable[Any], what: str) -> tuple[Period, ...]:
    periods = []
    for value in values:
        period = Period(*value)
        if period.start.tzinfo is None or period.end.tzinfo is None:
            raise ValueError(f"An exceptional {what} needs aware datetimes.")
        if period.end <= period.start:
            raise ValueError(f"An exceptional {what} must end after it starts.")
        periods.append(period)
    return tuple(sorted(periods))


@lru_cache(maxsize=256)
def _holder_for(rules: Rules) -> Holder:
    return Holder(rules)
