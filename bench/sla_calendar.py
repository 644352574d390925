"""Business-calendar benchmark: due times for many (start, duration) pairs.

    .venv/bin/python bench/sla_calendar.py [--pairs 1000000] [--seed 7]

Ten calendars (five zones, split days, holidays of five countries, closures, one 24×7); the
pairs are drawn beforehand (starts over 2025–2026, SLA-like targets from 15 minutes to two
weeks). ``seconds`` is the total time of the ``add`` calls, cold: it includes building
each calendar's index. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from palier.sla.calendar import BusinessCalendar, Period

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
TARGET_MINUTES = (15, 30, 60, 120, 240, 480, 960, 1440, 2400, 4320, 9600)


def calendars() -> list[BusinessCalendar]:
    split = [["09:00", "12:30"], ["13:30", "18:00"]]
    closure = Period(datetime(2025, 8, 11, tzinfo=UTC), datetime(2025, 8, 16, tzinfo=UTC))
    return [
        BusinessCalendar("Europe/Paris", {d: split for d in WEEKDAYS}, holiday_country="FR",
                         closures=(closure,)),
        BusinessCalendar("America/New_York", {d: [["08:00", "18:00"]] for d in WEEKDAYS},
                         holiday_country="US", holiday_subdivision="NY"),
        BusinessCalendar("Europe/London", {d: [["09:00", "17:30"]] for d in WEEKDAYS},
                         holiday_country="GB", holiday_subdivision="ENG"),
        BusinessCalendar("Europe/Berlin", {**{d: [["07:00", "19:00"]] for d in WEEKDAYS},
                                           "sat": [["09:00", "13:00"]]},
                         holiday_country="DE", holiday_subdivision="BY"),
        BusinessCalendar("Asia/Tokyo", {d: [["09:00", "18:00"]] for d in WEEKDAYS}),
        BusinessCalendar("Australia/Sydney", {d: [["08:30", "17:00"]] for d in WEEKDAYS}),
        BusinessCalendar("America/Los_Angeles", {d: [["06:00", "12:00"], ["13:00", "24:00"]]
                                                 for d in (*WEEKDAYS, "sat", "sun")},
                         holiday_country="US", holiday_subdivision="CA"),
        BusinessCalendar("Europe/Paris", {d: [["00:00", "24:00"]] for d in WEEKDAYS},
                         holiday_country="FR"),
        BusinessCalendar("UTC", {d: [["08:00", "20:00"]] for d in (*WEEKDAYS, "sat")}),
        BusinessCalendar.twenty_four_seven("Europe/Paris", closures=(closure,)),
    ]


def pairs(count: int, seed: int, calendar_count: int) -> list[tuple[int, datetime, timedelta]]:
    rng = random.Random(seed)
    base, span = datetime(2025, 1, 1, tzinfo=UTC), 2 * 365 * 86400
    return [(rng.randrange(calendar_count),
             base + timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6)),
             timedelta(minutes=rng.choice(TARGET_MINUTES)))
            for _ in range(count)]


def run(count: int, seed: int) -> dict:
    desk = calendars()
    work = pairs(count, seed, len(desk))
    started = time.perf_counter()
    for index, start, duration in work:
        desk[index].add(start, duration)
    seconds = time.perf_counter() - started
    warm = time.perf_counter()
    for index, start, duration in work[: count // 10]:
        desk[index].between(start, start + duration)
    between_seconds = (time.perf_counter() - warm) * 10
    return {
        "benchmark": "sla_calendar.add", "pairs": count, "calendars": len(desk),
        "seconds": round(seconds, 3), "microseconds_per_add": round(seconds / count * 1e6, 3),
        "between_seconds_estimated": round(between_seconds, 3),
        "python": platform.python_version(), "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(run(args.pairs, args.seed)))


if __name__ == "__main__":
    main()
