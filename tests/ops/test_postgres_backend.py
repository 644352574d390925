"""The PostgreSQL backend waits out a restarting server, and only that."""

from __future__ import annotations

from unittest import mock

import psycopg
import pytest
from django.db.backends.postgresql import base as django_pg

from palier.ops.postgres import base

SHUTTING_DOWN = psycopg.OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "FATAL:  the database system is shutting down")
REFUSED = psycopg.OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?")
BAD_PASSWORD = psycopg.OperationalError(
    'connection failed: FATAL:  password authentication failed for user "palier"')


def wrapper() -> base.DatabaseWrapper:
    return base.DatabaseWrapper({
        "ENGINE": "palier.ops.postgres", "NAME": "palier", "USER": "", "PASSWORD": "",
        "HOST": "", "PORT": "", "OPTIONS": {}, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TIME_ZONE": None, "TEST": {}})


def test_settings_use_it_for_postgres_urls(settings):
    from palier import settings as palier_settings

    with mock.patch.dict("os.environ", {"PALIER_DATABASE_URL": "postgres://u@db:5432/desk"}):
        assert palier_settings._database()["ENGINE"] == "palier.ops.postgres"


@pytest.mark.parametrize("error", [SHUTTING_DOWN, REFUSED])
def test_a_restarting_server_is_waited_for(settings, error):
    settings.PALIER_DB_CONNECT_WAIT = 10
    opened = object()
    with mock.patch.object(django_pg.DatabaseWrapper, "get_new_connection",
                           side_effect=[error, error, opened]) as connect, \
            mock.patch.object(base.time, "sleep") as sleep:
        assert wrapper().get_new_connection({}) is opened
    assert connect.call_count == 3
    assert [c.args[0] for c in sleep.call_args_list] == [0.1, 0.2]


def test_other_connection_errors_fail_at_once(settings):
    settings.PALIER_DB_CONNECT_WAIT = 10
    with mock.patch.object(django_pg.DatabaseWrapper, "get_new_connection",
                           side_effect=BAD_PASSWORD) as connect, \
            mock.patch.object(base.time, "sleep") as sleep, \
            pytest.raises(psycopg.OperationalError, match="password"):
        wrapper().get_new_connection({})
    assert connect.call_count == 1
    sleep.assert_not_called()


def test_the_wait_is_bounded(settings):
    settings.PALIER_DB_CONNECT_WAIT = 0
    with mock.patch.object(django_pg.DatabaseWrapper, "get_new_connection",
                           side_effect=SHUTTING_DOWN) as connect, \
            pytest.raises(psycopg.OperationalError, match="shutting down"):
        wrapper().get_new_connection({})
    assert connect.call_count == 1
