"""Business calendars: hours parsing, exceptions, edge cases of add and between."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, time, timedelta

import pytest

from palier.sla.calendar import (
    CLOSURE,
    OPENING,
    BusinessCalendar,
    CalendarNeverOpens,
    Period,
    parse_week,
    week_to_json,
)

H = timedelta(hours=1)
MON = datetime(2025, 6, 2, tzinfo=UTC)  # a Monday without holidays anywhere used here


def utc_office(**kwargs) -> BusinessCalendar:
    hours = {d: [["09:00", "12:00"], ["13:00", "17:00"]] for d in ("mon", "tue", "wed", "thu",
                                                                    "fri")}
    return BusinessCalendar("UTC", hours, **kwargs)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MON + timedelta(days=day, hours=hour, minutes=minute)


def test_several_intervals_a_day_skip_the_lunch_break() -> None:
    calendar = utc_office()
    assert calendar.add(at(0, 11), 2 * H) == at(0, 14)
    assert calendar.between(at(0, 8), at(0, 18)) == 7 * H


def test_a_due_time_on_a_closing_time_is_that_closing_time() -> None:
    assert utc_office().add(at(0, 9), 3 * H) == at(0, 12)
    assert utc_office().add(at(0, 9), 7 * H) == at(0, 17)


def test_counting_starts_at_the_next_opening() -> None:
    calendar = utc_office()
    assert calendar.add(at(0, 6), H) == at(0, 10)
    assert calendar.add(at(4, 18), H) == at(7, 10)  # Friday evening → Monday


def test_zero_returns_the_start_unchanged_and_negative_is_refused() -> None:
    calendar = utc_office()
    saturday = at(5, 3)
    assert calendar.add(saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError):
        calendar.add(saturday, -H)
    assert calendar.between(at(0, 12), at(0, 10)) == timedelta(0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        utc_office().add(datetime(2025, 6, 2, 9), H)


def test_long_durations_span_many_weeks_exactly() -> None:
    calendar = utc_office()
    due = calendar.add(at(0, 9), 7 * H * 5 * 52)
    assert due == datetime(2026, 5, 29, 17, tzinfo=UTC)
    assert calendar.between(at(0, 9), due) == 7 * H * 5 * 52


def test_microsecond_precision() -> None:
    calendar = utc_office()
    duration = timedelta(hours=5, microseconds=7)
    assert calendar.add(at(0, 9), duration) == at(0, 15) + timedelta(microseconds=7)


def test_closure_removes_time_and_wins_over_an_opening() -> None:
    closure = Period(at(0, 10), at(0, 14), "power cut")
    opening = Period(at(0, 12), at(0, 13), "inventory")
    calendar = utc_office(closures=[closure], openings=[opening])
    assert calendar.between(at(0, 9), at(0, 17)) == 4 * H
    assert calendar.add(at(0, 9), 2 * H) == at(0, 15)
    assert not calendar.is_open(at(0, 12, 30))
    segments = calendar.segments(at(0, 9), at(0, 17))
    assert [(s.kind, s.label) for s in segments if s.kind == CLOSURE] == [(CLOSURE, "power cut")]


def test_opening_adds_time_on_a_weekend() -> None:
    calendar = utc_office(openings=[(at(5, 10), at(5, 12), "migration")])
    assert calendar.add(at(4, 16), 2 * H) == at(5, 11)
    assert [s.kind for s in calendar.segments(at(5, 10), at(5, 12))] == [OPENING]


def test_24x7_with_a_closure() -> None:
    calendar = BusinessCalendar.twenty_four_seven(closures=[(at(0, 0), at(1, 0))])
    assert calendar.add(at(0, 0) - H, 2 * H) == at(1, 1)
    assert calendar.between(at(0, 0) - H, at(1, 1)) == 2 * H


def test_a_calendar_that_never_opens_refuses_to_add() -> None:
    calendar = BusinessCalendar("UTC", {})
    with pytest.raises(CalendarNeverOpens):
        calendar.add(at(0, 9), H)
    assert calendar.between(at(0, 9), at(9, 9)) == timedelta(0)


def test_hours_parse_times_strings_and_midnight_end() -> None:
    week = parse_week({"mon": [[time(9), "12:30"]], "sat": [["20:00", "24:00"]], 6: []})
    assert week[0] == ((540, 750),) and week[5] == ((1200, 1440),) and week[6] == ()
    assert week_to_json(week) == {"mon": [["09:00", "12:30"]], "sat": [["20:00", "24:00"]]}


@pytest.mark.parametrize("hours", [
    {"mon": [["09:00", "25:00"]]},
    {"mon": [["12:00", "09:00"]]},
    {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]},
    {"funday": [["09:00", "17:00"]]},
    {"mon": [["9h", "17h"]]},
    {"mon": "09:00-17:00"},
    {"mon": [["09:00"]]},
])
def test_bad_hours_are_refused(hours: dict) -> None:
    with pytest.raises(ValueError):
        parse_week(hours)


def test_bad_zone_and_region_are_refused() -> None:
    with pytest.raises(ValueError):
        BusinessCalendar("Mars/Olympus", {})
    with pytest.raises(ValueError):
        BusinessCalendar("UTC", {}, holiday_country="FR", holiday_subdivision="XX")
    with pytest.raises(ValueError):
        BusinessCalendar("UTC", {}, holiday_country="ZZ")


def test_equal_calendars_share_their_index_and_pickle() -> None:
    first, second = utc_office(), utc_office()
    first.add(at(0, 9), H)
    assert first == second and hash(first) == hash(second)
    assert first._holder is second._holder
    assert pickle.loads(pickle.dumps(first)) == first
    assert utc_office(holiday_country="FR") != first
