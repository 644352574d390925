"""Business calendars with hand-computed expectations: DST changes, holidays, year ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from palier.sla.calendar import HOLIDAY, OUTSIDE_HOURS, BusinessCalendar

PARIS, NEW_YORK, LONDON = (ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York"),
                           ZoneInfo("Europe/London"))
H = timedelta(hours=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def office(tz: str, country: str | None = None, subdivision: str | None = None,
           hours: list[list[str]] | None = None, days=WEEKDAYS) -> BusinessCalendar:
    return BusinessCalendar(tz, {d: hours or [["09:00", "17:00"]] for d in days},
                            holiday_country=country, holiday_subdivision=subdivision)


def every_day(tz: str, hours: list[list[str]]) -> BusinessCalendar:
    return office(tz, hours=hours, days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


# Europe/Paris: spring forward 2025-03-30 02:00 → 03:00; fall back 2025-10-26 03:00 → 02:00.

def test_paris_local_day_is_23_hours_in_spring_and_25_in_autumn() -> None:
    calendar = every_day("Europe/Paris", [["00:00", "24:00"]])
    assert calendar.between(local(PARIS, 2025, 3, 30), local(PARIS, 2025, 3, 31)) == 23 * H
    assert calendar.between(local(PARIS, 2025, 10, 26), local(PARIS, 2025, 10, 27)) == 25 * H
    assert calendar.between(local(PARIS, 2025, 3, 29), local(PARIS, 2025, 3, 30)) == 24 * H


def test_paris_nine_to_five_is_eight_hours_on_both_change_days() -> None:
    calendar = every_day("Europe/Paris", [["09:00", "17:00"]])
    for day in ((2025, 3, 30), (2025, 10, 26)):
        assert calendar.between(local(PARIS, *day), local(PARIS, *day, 23)) == 8 * H
        assert calendar.add(local(PARIS, *day), 8 * H) == local(PARIS, *day, 17)


def test_paris_interval_across_the_change_counts_real_elapsed_time() -> None:
    calendar = every_day("Europe/Paris", [["01:00", "04:00"]])
    assert calendar.between(local(PARIS, 2025, 3, 30), local(PARIS, 2025, 3, 30, 12)) == 2 * H
    assert calendar.between(local(PARIS, 2025, 10, 26), local(PARIS, 2025, 10, 26, 12)) == 4 * H
    # 1 h after 01:00 on the spring night is 03:00 CEST; the rest is after 03:00.
    assert calendar.add(local(PARIS, 2025, 3, 30, 1), H) == local(PARIS, 2025, 3, 30, 3)
    assert calendar.add(local(PARIS, 2025, 3, 30, 1), 90 * H / 60) == local(
        PARIS, 2025, 3, 30, 3, 30)


def test_paris_bound_in_the_skipped_hour_opens_at_the_change() -> None:
    calendar = every_day("Europe/Paris", [["02:30", "05:00"]])
    spring = calendar.open_intervals(local(PARIS, 2025, 3, 30), local(PARIS, 2025, 3, 31))
    assert spring == [(datetime(2025, 3, 30, 1, tzinfo=UTC), datetime(2025, 3, 30, 3, tzinfo=UTC))]
    autumn = calendar.open_intervals(local(PARIS, 2025, 10, 26), local(PARIS, 2025, 10, 27))
    # 02:30 is the first (summer-time) occurrence; 05:00 is winter time: 3 h 30 in all.
    assert autumn == [(datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
                       datetime(2025, 10, 26, 4, tzinfo=UTC))]


def test_paris_add_over_the_spring_weekend() -> None:
    calendar = office("Europe/Paris", "FR")
    friday_4pm = local(PARIS, 2025, 3, 28, 16)  # CET, UTC+1
    assert calendar.add(friday_4pm, 2 * H) == local(PARIS, 2025, 3, 31, 10)  # CEST
    assert calendar.add(friday_4pm, 2 * H) == datetime(2025, 3, 31, 8, tzinfo=UTC)
    assert calendar.between(friday_4pm, local(PARIS, 2025, 3, 31, 10)) == 2 * H


# America/New_York: spring forward 2025-03-09 02:00 → 03:00; fall back 2025-11-02 02:00 → 01:00.

def test_new_york_local_day_lengths() -> None:
    calendar = every_day("America/New_York", [["00:00", "24:00"]])
    assert calendar.between(local(NEW_YORK, 2025, 3, 9), local(NEW_YORK, 2025, 3, 10)) == 23 * H
    assert calendar.between(local(NEW_YORK, 2025, 11, 2), local(NEW_YORK, 2025, 11, 3)) == 25 * H


def test_new_york_interval_across_the_change() -> None:
    calendar = every_day("America/New_York", [["01:00", "03:00"]])
    spring = calendar.between(local(NEW_YORK, 2025, 3, 9), local(NEW_YORK, 2025, 3, 9, 12))
    autumn = calendar.between(local(NEW_YORK, 2025, 11, 2), local(NEW_YORK, 2025, 11, 2, 12))
    assert (spring, autumn) == (H, 3 * H)
    # In autumn 01:00–03:00 runs from 01:00 EDT (05:00 UTC) to 03:00 EST (08:00 UTC).
    assert calendar.add(local(NEW_YORK, 2025, 11, 2), 2 * H) == datetime(2025, 11, 2, 7,
                                                                        tzinfo=UTC)
    wall = calendar.add(local(NEW_YORK, 2025, 11, 2), 2 * H).astimezone(NEW_YORK)
    assert (wall.hour, wall.utcoffset()) == (2, -5 * H)  # 02:00 EST, after the repeated hour


def test_new_york_nine_to_five_over_the_autumn_weekend() -> None:
    calendar = office("America/New_York", "US")
    friday = local(NEW_YORK, 2025, 10, 31, 16)  # EDT
    assert calendar.add(friday, 3 * H) == local(NEW_YORK, 2025, 11, 3, 11)  # EST
    assert calendar.between(friday, local(NEW_YORK, 2025, 11, 3, 11)) == 3 * H


def test_24x7_counts_real_time_across_dst() -> None:
    calendar = BusinessCalendar.twenty_four_seven("Europe/Paris")
    start = local(PARIS, 2025, 3, 29, 12)
    assert calendar.add(start, 24 * H) == local(PARIS, 2025, 3, 30, 13)
    assert calendar.is_24x7


# Holidays close the whole local day.

def test_bastille_day_is_skipped_in_france() -> None:
    calendar = office("Europe/Paris", "FR")
    friday = local(PARIS, 2025, 7, 11, 16)
    assert calendar.add(friday, 2 * H) == local(PARIS, 2025, 7, 15, 10)
    kinds = [s.kind for s in calendar.segments(friday, local(PARIS, 2025, 7, 15, 10))]
    assert HOLIDAY in kinds and OUTSIDE_HOURS in kinds
    holiday = next(s for s in calendar.segments(friday, local(PARIS, 2025, 7, 16))
                   if s.kind == HOLIDAY)
    assert (holiday.start, holiday.end) == (local(PARIS, 2025, 7, 14), local(PARIS, 2025, 7, 15))


def test_independence_day_and_its_observed_day_in_the_us() -> None:
    calendar = office("America/New_York", "US")
    assert calendar.between(local(NEW_YORK, 2025, 7, 3, 9), local(NEW_YORK, 2025, 7, 7, 9)) == 8 * H
    # 2026-07-04 is a Saturday: Friday 3 July is the observed holiday.
    assert not calendar.is_open(local(NEW_YORK, 2026, 7, 3, 12))
    assert calendar.is_open(local(NEW_YORK, 2026, 7, 2, 12))


def test_christmas_and_new_year_across_the_year_end_in_england() -> None:
    calendar = office("Europe/London", "GB", "ENG")
    # 25 and 26 December 2025 are Thursday and Friday.
    assert calendar.between(local(LONDON, 2025, 12, 24, 9), local(LONDON, 2025, 12, 29, 9)) == 8 * H
    # 1 January 2026 is a holiday: 1 h on 31 December, then Friday 2 January.
    assert calendar.add(local(LONDON, 2025, 12, 31, 16), 2 * H) == local(LONDON, 2026, 1, 2, 10)


def test_subdivision_holidays_apply_only_there() -> None:
    bavaria, berlin = office("Europe/Berlin", "DE", "BY"), office("Europe/Berlin", "DE", "BE")
    epiphany = datetime(2025, 1, 6, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    assert not bavaria.is_open(epiphany)
    assert berlin.is_open(epiphany)


def test_extra_closed_dates_close_the_day() -> None:
    calendar = BusinessCalendar("Europe/Paris", {"mon": [["09:00", "17:00"]]},
                                closed_dates=frozenset({datetime(2025, 6, 2).date()}))
    assert calendar.add(local(PARIS, 2025, 6, 2, 8), H) == local(PARIS, 2025, 6, 9, 10)


@pytest.mark.parametrize("tz", ["Australia/Sydney", "Asia/Tokyo", "America/New_York"])
def test_year_boundary_round_trip(tz: str) -> None:
    calendar = office(tz)
    start = datetime(2025, 12, 30, 12, tzinfo=ZoneInfo(tz))
    due = calendar.add(start, 40 * H)
    assert due.year == 2026
    assert calendar.between(start, due) == 40 * H
