"""Instants as integer microseconds since the Unix epoch (UTC), and local wall time → UTC.

All business-time arithmetic runs on integers, so adding a duration and measuring it back
is exact to the microsecond.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
US = timedelta(microseconds=1)
US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_DAY = 1440 * US_PER_MINUTE


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no timezone; business time needs aware datetimes.")
    return (moment - EPOCH) // US


def from_us(us: int) -> datetime:
    """The aware UTC datetime of an epoch-microsecond value."""
    return EPOCH + timedelta(microseconds=us)


def duration_us(duration: timedelta) -> int:
    return duration // US


@cache
def zone(key: str) -> ZoneInfo:
    """The IANA zone ``key``; raises ``ValueError`` if unknown."""
    if not isinstance(key, str) or key not in _zone_keys():
        raise ValueError(f"{key!r} is not an IANA timezone (e.g. Europe/Paris).")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{key!r} is not an IANA timezone (e.g. Europe/Paris).") from None


@lru_cache(maxsize=1)
def _zone_keys() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def local_to_us(day: date, minute: int, tz: ZoneInfo) -> int:
    """The instant of local wall time ``minute`` (0–1440) on ``day`` in ``tz``.

    A repeated wall time (autumn) is its first occurrence (PEP 495 ``fold=0``); a wall time
    that does not exist (spring gap) is the transition itself, the first instant after it.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    wall = (day.toordinal() - EPOCH_ORDINAL) * US_PER_DAY + minute * US_PER_MINUTE
    aware = naive.replace(tzinfo=tz)
    before = aware.utcoffset()
    after = aware.replace(fold=1).utcoffset()
    if before is None or after is None:
        raise ValueError(f"{tz} gives no UTC offset for {naive}.")
    if after <= before:
        return wall - before // US
    return _transition(wall - after // US, wall - before // US, tz, after)


def _transition(low: int, high: int, tz: ZoneInfo, offset: timedelta) -> int:
    """The first instant in (low, high] whose UTC offset is ``offset`` (to the second)."""
    low_s, high_s = low // US_PER_SECOND, -(-high // US_PER_SECOND)
    while high_s - low_s > 1:
        mid = (low_s + high_s) // 2
        if from_us(mid * US_PER_SECOND).astimezone(tz).utcoffset() == offset:
            high_s = mid
        else:
            low_s = mid
    return high_s * US_PER_SECOND


def local_date(us: int, tz: ZoneInfo) -> date:
    """The local calendar date of an instant."""
    return from_us(us).astimezone(tz).date()
