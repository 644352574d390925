"""On PostgreSQL, timestamps are read by psycopg's native loader with Django's results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from palier.ops.postgres.timestamps import UtcTimestamptzLoader, use_fast_timestamps

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")]


def test_the_connection_reads_timestamps_with_the_native_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)
    assert loader is UtcTimestamptzLoader
    assert loader.timezone is connection.timezone  # Django's per-cursor check stays quiet


def test_values_are_the_instants_stored_in_utc():
    moments = [datetime(2026, 12, 6, 21, 45, 30, 387179, tzinfo=UTC),
               datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
               datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2)))]
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])", [moments])
        read = [row[0] for row in cursor.fetchall()]
    assert read == moments
    assert all(value.tzinfo is UTC for value in read)


def test_another_session_time_zone_keeps_djangos_loader():
    import psycopg

    with psycopg.connect(_conninfo(), options="-c TimeZone=Europe/Paris") as other:
        assert use_fast_timestamps(other, connection.timezone) is False
        assert other.adapters.get_loader(1184, 0) is not UtcTimestamptzLoader
    assert use_fast_timestamps(connection.connection, None) is False


def _conninfo() -> str:
    params = connection.get_connection_params()
    keys = ("dbname", "user", "host", "port", "password")
    return " ".join(f"{k}={params[k]}" for k in keys if params.get(k))
