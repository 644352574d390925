"""Properties of business-time arithmetic on random calendars, instants and durations.

Precision: exact to the microsecond (integer arithmetic), so round trips use ``==``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palier.sla.calendar import BusinessCalendar
from tests.sla.strategies import CALENDARS, FRACTIONS, INSTANTS, duration_for

US = timedelta(microseconds=1)
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(CALENDARS, INSTANTS, FRACTIONS)
def test_add_then_between_gives_the_duration_back(calendar: BusinessCalendar, start: datetime,
                                                  fraction: float) -> None:
    duration = duration_for(calendar, fraction)
    due = calendar.add(start, duration)
    assert due >= start
    assert calendar.between(start, due) == duration


@FAST
@given(CALENDARS, INSTANTS, FRACTIONS)
def test_add_gives_the_first_instant_the_duration_has_elapsed(
        calendar: BusinessCalendar, start: datetime, fraction: float) -> None:
    duration = duration_for(calendar, fraction)
    due = calendar.add(start, duration)
    if duration:
        assert calendar.is_open(due - US)
        assert calendar.between(start, due - US) == duration - US
    else:
        assert due == start


@FAST
@given(CALENDARS, INSTANTS, INSTANTS, FRACTIONS, FRACTIONS)
def test_add_is_monotonic_in_start_and_duration(calendar: BusinessCalendar, a: datetime,
                                                b: datetime, f1: float, f2: float) -> None:
    a, b = sorted([a, b])
    d1, d2 = sorted([duration_for(calendar, f1), duration_for(calendar, f2)])
    assert calendar.add(a, d1) <= calendar.add(a, d2)
    assert calendar.add(a, d1) <= calendar.add(b, d1)


@FAST
@given(CALENDARS, st.lists(INSTANTS, min_size=3, max_size=3))
def test_between_is_additive_and_bounded_by_elapsed_time(calendar: BusinessCalendar,
                                                         moments: list[datetime]) -> None:
    a, b, c = sorted(moments)
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)
    assert timedelta(0) <= calendar.between(a, c) <= c - a
    assert calendar.between(c, a) == timedelta(0)
    counted = sum((end - start for start, end in calendar.open_intervals(a, c)), timedelta(0))
    assert counted == calendar.between(a, c)


@FAST
@given(CALENDARS, INSTANTS, FRACTIONS, st.floats(0, 0.999))
def test_no_time_inside_a_closure_is_ever_counted(calendar: BusinessCalendar, start: datetime,
                                                  fraction: float, where: float) -> None:
    for closure in calendar.closures:
        assert calendar.between(closure.start, closure.end) == timedelta(0)
        assert not calendar.is_open(closure.start + (closure.end - closure.start) * where)
    due = calendar.add(start, duration_for(calendar, fraction))
    for closure in calendar.closures:
        for open_start, open_end in calendar.open_intervals(start, due):
            assert open_end <= closure.start or open_start >= closure.end
        assert not closure.start < due <= closure.end or due == start


@FAST
@given(CALENDARS, INSTANTS)
def test_is_open_agrees_with_wall_clock_reading(calendar: BusinessCalendar,
                                                moment: datetime) -> None:
    local = moment.astimezone(ZoneInfo(calendar.tz))
    if _dst_day(local.date(), ZoneInfo(calendar.tz)):
        return  # DST days have their own hand-computed tests
    assert calendar.is_open(moment) == _oracle_is_open(calendar, moment)


@FAST
@given(st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Sydney"]), INSTANTS,
       INSTANTS)
def test_a_24x7_calendar_counts_elapsed_time(tz: str, a: datetime, b: datetime) -> None:
    calendar = BusinessCalendar.twenty_four_seven(tz)
    a, b = sorted([a, b])
    assert calendar.between(a, b) == b - a
    assert calendar.add(a, b - a) == b


@settings(max_examples=60, deadline=None)
@given(CALENDARS, INSTANTS, st.integers(1, 24 * 20))
def test_segments_cover_the_range_and_count_what_between_counts(
        calendar: BusinessCalendar, a: datetime, hours: int) -> None:
    b = a + timedelta(hours=hours)
    segments = calendar.segments(a, b)
    assert segments[0].start == a and segments[-1].end == b
    assert all(x.end == y.start for x, y in pairwise(segments))
    counted = sum((s.end - s.start for s in segments if s.counted), timedelta(0))
    assert counted == calendar.between(a, b)


def _oracle_is_open(calendar: BusinessCalendar, moment: datetime) -> bool:
    """Open-ness read directly from the rules, without the index."""
    if any(p.start <= moment < p.end for p in calendar.closures):
        return False
    if any(p.start <= moment < p.end for p in calendar.openings):
        return True
    local = moment.astimezone(ZoneInfo(calendar.tz))
    day = local.date()
    if calendar.holiday_country and day in holidays.country_holidays(
            calendar.holiday_country, subdiv=calendar.holiday_subdivision, years=day.year):
        return False
    wall = (local - datetime.combine(day, time(), tzinfo=local.tzinfo)) // US
    return any(a * 60_000_000 <= wall < b * 60_000_000 for a, b in calendar.week[day.weekday()])


def _dst_day(day: date, zone: ZoneInfo) -> bool:
    midnight = datetime.combine(day, time(), tzinfo=zone)
    following = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return midnight.utcoffset() != following.utcoffset() or midnight.dst() != following.dst()


DST_DAYS = {"Europe/Paris": [date(2024, 3, 31), date(2024, 10, 27), date(2025, 3, 30),
                             date(2025, 10, 26), date(2026, 3, 29), date(2026, 10, 25)],
            "America/New_York": [date(2024, 3, 10), date(2024, 11, 3), date(2025, 3, 9),
                                 date(2025, 11, 2), date(2026, 3, 8), date(2026, 11, 1)]}
GAP = range(120, 180)  # 02:00–03:00 local does not exist on spring days in both zones


@FAST
@given(st.sampled_from(sorted(DST_DAYS)), st.integers(0, 5),
       st.lists(st.integers(0, 1440).filter(lambda m: m not in GAP), max_size=6, unique=True))
def test_dst_days_count_the_real_time_between_local_bounds(tz: str, which: int,
                                                           points: list[int]) -> None:
    """On DST-change days each interval counts the UTC time between its local bounds."""
    day, zone = DST_DAYS[tz][which], ZoneInfo(tz)
    points = sorted(points)
    hours = list(zip(points[::2], points[1::2], strict=False))
    calendar = BusinessCalendar(tz, (tuple(hours),) * 7)

    def instant(minute: int) -> datetime:
        return datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=minute)

    def utc(minute: int) -> datetime:  # wall-clock arithmetic, then the zone's fold=0 reading
        return instant(minute).astimezone(ZoneInfo("UTC"))

    expected = sum((utc(b) - utc(a) for a, b in hours), timedelta(0))
    assert calendar.between(utc(0), utc(1440)) == expected
    if hours:
        assert calendar.add(utc(0), expected) == utc(hours[-1][1])
