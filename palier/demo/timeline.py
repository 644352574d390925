"""Demo time: the desk's business hours (Europe/Paris) and when tickets arrive."""

from __future__ import annotations

import bisect
import itertools
from datetime import UTC, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

DESK_TZ = ZoneInfo("Europe/Paris")
OPENS, CLOSES = time(8, 0), time(18, 0)

#: Relative arrival rate per weekday (Monday first) and per local hour.
WEEKDAY_WEIGHT = (1.35, 1.1, 1.0, 1.0, 0.85, 0.06, 0.03)
HOUR_WEIGHT = (0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.3, 1.0, 1.5, 1.4, 1.2, 0.7, 0.9,
               1.3, 1.2, 1.0, 0.7, 0.35, 0.12, 0.06, 0.04, 0.03, 0.02)
MONDAY_MORNING_BOOST = 1.4


def business_after(moment: datetime, minutes: float) -> datetime:
    """The instant ``minutes`` of desk opening time after ``moment`` (nights and weekends
    do not count)."""
    local = moment.astimezone(DESK_TZ)
    remaining = timedelta(minutes=max(minutes, 1.0))
    while True:
        if local.weekday() >= 5 or local.time() >= CLOSES:
            local = _next_opening(local)
            continue
        if local.time() < OPENS:
            local = local.replace(hour=OPENS.hour, minute=0, second=0, microsecond=0)
        closing = local.replace(hour=CLOSES.hour, minute=0, second=0, microsecond=0)
        if local + remaining <= closing:
            return (local + remaining).astimezone(UTC)
        remaining -= closing - local
        local = _next_opening(local)


def _next_opening(local: datetime) -> datetime:
    following = (local + timedelta(days=1)).replace(hour=OPENS.hour, minute=0, second=0,
                                                    microsecond=0)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following


def arrivals(rng: Random, count: int, start: datetime, end: datetime) -> list[datetime]:
    """``count`` arrival instants in [start, end): business hours and weekdays, more on
    Monday mornings, a trickle at night. Sorted."""
    slots, weights = [], []
    slot = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while slot < end:
        local = slot.astimezone(DESK_TZ)
        weight = WEEKDAY_WEIGHT[local.weekday()] * HOUR_WEIGHT[local.hour]
        if local.weekday() == 0 and local.hour < 12:
            weight *= MONDAY_MORNING_BOOST
        slots.append(slot)
        weights.append(weight)
        slot += timedelta(hours=1)
    cumulative = list(itertools.accumulate(weights))
    moments = []
    while len(moments) < count:
        index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
        moment = slots[min(index, len(slots) - 1)] + timedelta(seconds=rng.randrange(3600))
        if start <= moment < end:
            moments.append(moment)
    return sorted(moments)
