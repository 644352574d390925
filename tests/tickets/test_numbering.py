"""Ticket numbers: unique per kind, continuing after bulk writes, and on PostgreSQL taken
without holding up other creates."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from palier.tickets import numbering
from tests.locking import WAIT_SECONDS


def test_numbers_continue_per_kind(desk):
    assert desk.open(desk.a).number == "INC-000001"
    assert desk.open(desk.a, kind="request").number == "REQ-000001"
    assert numbering.last_given() == {"incident": 1, "request": 1}


def test_bulk_written_numbers_move_the_counter_forward_only(desk):
    numbering.continue_after({"incident": 41})
    numbering.continue_after({"incident": 7})  # an older batch never moves it back
    assert numbering.last_given()["incident"] == 41
    assert desk.open(desk.a).number == "INC-000042"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_create_in_flight_does_not_hold_up_the_next_number(desk):
    """With the counter as a locked row, a second create waited for the first one's commit:
    every concurrent create queued behind the slowest transaction."""
    taken = threading.Event()
    release = threading.Event()
    numbers: list[str] = []

    def first_create() -> None:
        try:
            with transaction.atomic():
                numbers.append(numbering.next_number("incident"))
                taken.set()
                release.wait(WAIT_SECONDS)
        finally:
            connection.close()

    thread = threading.Thread(target=first_create)
    thread.start()
    try:
        assert taken.wait(WAIT_SECONDS)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
            with transaction.atomic():
                second = numbering.next_number("incident")
            cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        thread.join(WAIT_SECONDS)
    assert numbers == ["INC-000001"] and second == "INC-000002"
