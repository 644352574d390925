from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from palier.clients.models import Client
from palier.demo.history import generate_history
from palier.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_command_loads_once_then_keeps_the_data():
    first = StringIO()
    call_command("demo", "--no-serve", "--tickets", "100", stdout=first)
    assert Ticket.objects.count() == 100 and Client.objects.count() == 3
    assert "requester2@demo.palier.test" in first.getvalue()
    assert "http://127.0.0.1:8000/" in first.getvalue()
    second = StringIO()
    call_command("demo", "--no-serve", "--tickets", "100", "--port", "8123", stdout=second)
    assert "keeping the existing data" in second.getvalue()
    assert "http://127.0.0.1:8123/" in second.getvalue()
    assert Ticket.objects.count() == 100


def _snapshot() -> list[tuple]:
    """The history, numbers aside: PostgreSQL does not give a rolled-back number again."""
    return list(Ticket.objects.order_by("id").values_list(
        "kind", "title", "status", "level__code", "requester__email", "created_at"))


def test_history_is_the_same_for_the_same_seed():
    end = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            generate_history(40, days=10, seed=3, end=end)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1] and len(snapshots[0]) == 40
