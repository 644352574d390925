"""The unassigned and pending queues read one page from their partial index, however many
tickets wait: regression for 1M-ticket desks where they read every unassigned ticket and
sorted (75–190 ms on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from palier.console.forms import QueueFilterForm
from palier.console.views.queues import queue_tickets
from palier.tickets.filters import TicketFilters
from palier.tickets.queues import named_queue


def _sql(user, queue: str) -> tuple[str, list]:
    """The page's query, as the console runs it (joins and order included)."""
    return named_queue(user, queue, TicketFilters())[:50].query.sql_with_params()


@pytest.mark.parametrize(("queue", "index"), [("unassigned", "ticket_unassigned_queue"),
                                              ("pending", "ticket_pending_queue")])
def test_sqlite_reads_the_queue_from_its_partial_index(desk, queue, index):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner only")
    sql, params = _sql(desk.a.l1, queue)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert index in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("queue", ["unassigned", "pending"])
def test_postgres_can_stop_after_one_page(desk, queue):
    """With sequential scans and sorts priced out, the plan is an index scan, no sort."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner only")
    sql, params = _sql(desk.a.l1, queue)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"ticket_{queue}_queue" in plan and "Sort" not in plan, plan


def test_the_queues_still_list_what_they_should(desk):
    ticket = desk.open(desk.a)
    form = QueueFilterForm(None)
    assert ticket in queue_tickets(desk.a.l1, "unassigned", form)
    assert ticket not in queue_tickets(desk.a.l1, "pending", form)


def test_an_unknown_queue_is_refused(desk):
    with pytest.raises(ValueError, match="No queue"):
        named_queue(desk.a.l1, "everything", TicketFilters())
