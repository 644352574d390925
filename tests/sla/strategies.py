"""Hypothesis strategies: random business calendars, instants and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from palier.sla.calendar import BusinessCalendar, Period

ZONES = ["Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo", "Australia/Sydney"]
REGIONS = [(None, None), ("FR", None), ("US", None), ("US", "NY"), ("GB", "ENG"),
           ("GB", "SCT"), ("DE", None), ("DE", "BY")]
LOW = datetime(2024, 1, 1, tzinfo=UTC)
HIGH = datetime(2027, 1, 1, tzinfo=UTC)

#: DST changes in Paris, New York and Sydney, and year ends, where bugs like to live.
TRICKY = [
    datetime(2025, 3, 30, 1, tzinfo=UTC), datetime(2025, 10, 26, 1, tzinfo=UTC),
    datetime(2025, 3, 9, 7, tzinfo=UTC), datetime(2025, 11, 2, 6, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2024, 11, 3, 6, tzinfo=UTC),
    datetime(2025, 4, 5, 16, tzinfo=UTC), datetime(2025, 10, 4, 16, tzinfo=UTC),
    datetime(2024, 12, 31, 23, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC),
    datetime(2025, 12, 24, 12, tzinfo=UTC),
]


def _pairs(points: list[int]) -> tuple[tuple[int, int], ...]:
    points = sorted(points)
    return tuple(zip(points[::2], points[1::2], strict=False))


#: 0–3 disjoint intervals, in minutes; an interval may end at 24:00.
DAY = st.lists(st.integers(0, 1440), max_size=6, unique=True).map(_pairs)


def _calendar(week: tuple, tz: str, region: tuple[str | None, str | None],
              closures: list[Period], openings: list[Period]) -> BusinessCalendar:
    if not any(week):
        week = (((540, 1020),), *week[1:])
    return BusinessCalendar(tz, week, holiday_country=region[0], holiday_subdivision=region[1],
                            closures=closures, openings=openings)


def calendars(*, exceptions: bool = True) -> st.SearchStrategy[BusinessCalendar]:
    """Random calendars with some open time every week."""
    period = st.builds(lambda start, minutes: Period(start, start + timedelta(minutes=minutes),
                                                     "random"),
                       instants(), st.integers(1, 10 * 1440))
    return st.builds(_calendar, st.tuples(*[DAY] * 7), st.sampled_from(ZONES),
                     st.sampled_from(REGIONS),
                     st.lists(period, max_size=3 if exceptions else 0),
                     st.lists(period, max_size=2 if exceptions else 0))


def instants() -> st.SearchStrategy[datetime]:
    """Aware instants in 2024–2026, half of them near a DST change or a year end."""
    anywhere = st.integers(0, (HIGH - LOW) // timedelta(microseconds=1)).map(
        lambda us: LOW + timedelta(microseconds=us))
    near = st.builds(lambda base, minutes, us: base + timedelta(minutes=minutes, microseconds=us),
                     st.sampled_from(TRICKY), st.integers(-36 * 60, 36 * 60),
                     st.integers(0, 59_999_999))
    return st.one_of(anywhere, near)


FRACTIONS = st.one_of(st.just(0.0), st.floats(0, 1), st.floats(0, 0.02))


def duration_for(calendar: BusinessCalendar, fraction: float, weeks: int = 6) -> timedelta:
    """A business duration: ``fraction`` of ``weeks`` ordinary weeks of the calendar's open
    time (at most ``weeks`` weeks), to the microsecond."""
    limit = min(calendar.weekly_hours * weeks, timedelta(weeks=weeks))
    return timedelta(microseconds=int(limit // timedelta(microseconds=1) * fraction))


CALENDARS = calendars()
INSTANTS = instants()
