"""A small demo desk, built once per test module and rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from palier.demo.directory import DemoDirectory, build_directory
from palier.demo.history import generate_history

#: A Wednesday afternoon, so the last days' tickets are still in the queues.
END = datetime(2025, 3, 12, 15, 30, tzinfo=UTC)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _module_desk(django_db_blocker, tickets: int) -> Iterator[SimpleNamespace]:
    with (django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS),
          transaction.atomic()):
        desk: DemoDirectory = build_directory()
        count = generate_history(tickets, days=21, seed=7, end=END, desk=desk) if tickets else 0
        yield SimpleNamespace(desk=desk, count=count)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_directory(django_db_setup, django_db_blocker):
    """The demo directory alone (no tickets)."""
    yield from _module_desk(django_db_blocker, 0)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The directory and 150 tickets over three weeks, the same every time."""
    yield from _module_desk(django_db_blocker, 150)
