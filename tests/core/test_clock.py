"""The one clock: aware UTC time, frozen by time-machine, moved by ``at()``."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.core import clock

NOON = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)


def test_now_is_timezone_aware_utc():
    assert clock.now().utcoffset() == dt.timedelta(0)


def test_now_follows_a_frozen_clock(time_machine):
    time_machine.move_to(NOON, tick=False)
    assert clock.now() == NOON
    time_machine.shift(dt.timedelta(minutes=5))
    assert clock.now() == NOON + dt.timedelta(minutes=5)


def test_at_moves_the_clock_for_the_block_only(time_machine):
    time_machine.move_to(NOON, tick=False)
    earlier = NOON - dt.timedelta(days=30)
    with clock.at(earlier):
        assert clock.now() == earlier
        with clock.at(earlier + dt.timedelta(hours=1)):
            assert clock.now() == earlier + dt.timedelta(hours=1)
        assert clock.now() == earlier
    assert clock.now() == NOON


def test_at_is_undone_when_the_block_fails(time_machine):
    time_machine.move_to(NOON, tick=False)
    with pytest.raises(ZeroDivisionError), clock.at(NOON - dt.timedelta(days=1)):
        1 / 0  # noqa: B018
    assert clock.now() == NOON


def test_at_needs_an_aware_datetime():
    with pytest.raises(ValueError, match="timezone-aware"), clock.at(dt.datetime(2025, 1, 1)):
        pass


def test_services_stamp_events_with_the_replayed_time(desk):
    past = dt.datetime(2024, 11, 5, 8, 30, tzinfo=dt.UTC)
    with clock.at(past):
        ticket = desk.open(desk.a)
    assert ticket.created_at == past
    assert ticket.events.get().created_at == past
