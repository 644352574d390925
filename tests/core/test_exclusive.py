"""``exclusive.alone``: one worker at a time for a job that cannot claim rows."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from palier.core import exclusive


@pytest.mark.django_db(transaction=True)
def test_a_second_holder_is_refused_while_the_first_holds_the_name():
    inner: list[bool] = []
    with exclusive.alone("test.job") as first:
        def other() -> None:
            with exclusive.alone("test.job") as second:
                inner.append(second)
            connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert first is True
    assert inner == [connection.vendor != "postgresql"]  # SQLite: everyone may run
    with exclusive.alone("test.job") as again:  # released with its transaction
        assert again


def test_keys_are_stable_and_distinct():
    assert exclusive.lock_key("a") == exclusive.lock_key("a") != exclusive.lock_key("b")
    assert -2**63 <= exclusive.lock_key("knowledge.embed_tickets") < 2**63
