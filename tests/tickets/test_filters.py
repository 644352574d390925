"""The ticket list's filters: always inside what the actor may see."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.core.errors import ValidationFailed
from palier.tickets import services
from palier.tickets.filters import TicketFilters, filter_tickets
from tests.factories import escalated, taken


def _numbers(actor, **filters) -> list[str]:
    return sorted(t.number for t in filter_tickets(actor, TicketFilters(**filters)))


@pytest.fixture
def tickets(desk):
    """INC-1 taken by l1, INC-2 escalated to L2, REQ-1 new, INC-3 of client B."""
    first = taken(desk, desk.a)
    second = escalated(desk, desk.a, title="Printer offline", impact="high", urgency="medium")
    request = desk.open(desk.a, kind="request", title="New laptop",
                        category_id=desk.categories["password"].pk)
    theirs = desk.open(desk.b)
    return first, second, request, theirs


def test_no_filter_lists_every_visible_ticket(desk, tickets):
    assert _numbers(desk.a.l1) == ["INC-000001", "INC-000002", "REQ-000001"]
    assert _numbers(desk.a.requester) == ["INC-000001", "INC-000002", "REQ-000001"]
    assert _numbers(desk.a.colleague) == []
    assert _numbers(desk.b.l1) == ["INC-000003"]


def test_filters_by_status_level_group_kind_and_priority(desk, tickets):
    assert _numbers(desk.a.l1, status=["open", "new"]) == ["INC-000001", "REQ-000001"]
    assert _numbers(desk.a.l1, level="L2") == ["INC-000002"]
    assert _numbers(desk.a.l1, group=desk.groups["sd"].pk) == ["INC-000001", "REQ-000001"]
    assert _numbers(desk.a.l1, kind="request") == ["REQ-000001"]
    assert _numbers(desk.a.l1, priority=["P2"]) == ["INC-000002"]
    assert _numbers(desk.a.l1, category=desk.categories["password"].pk) == ["REQ-000001"]


def test_filters_by_assignee(desk, tickets):
    assert _numbers(desk.a.l1, assignee="me") == ["INC-000001"]
    assert _numbers(desk.a.l2, assignee="me") == []
    assert _numbers(desk.a.requester, assignee="me") == []
    assert _numbers(desk.a.l1, assignee="none") == ["INC-000002", "REQ-000001"]
    assert _numbers(desk.a.l2, assignee=str(desk.a.l1.agent.pk)) == ["INC-000001"]


def test_an_assignee_that_is_not_an_id_is_refused(desk, tickets):
    with pytest.raises(ValidationFailed) as caught:
        _numbers(desk.a.l1, assignee="nobody")
    assert caught.value.fields == {"assignee": "invalid"}
    assert _numbers(desk.a.l1, assignee=" 99999 ") == []


def test_a_number_search_finds_the_ticket_whatever_the_padding(desk, tickets):
    assert _numbers(desk.a.l1, q="inc-2") == ["INC-000002"]
    assert _numbers(desk.a.l1, q="INC-000002") == ["INC-000002"]
    assert _numbers(desk.a.l1, q="INC-3") == []  # client B's


def test_a_text_search_looks_in_title_and_description(desk, tickets):
    services.classify(desk.a.l1, tickets[2].pk, description="Needs a docking station")
    assert _numbers(desk.a.l1, q="printer") == ["INC-000002"]
    assert _numbers(desk.a.l1, q="DOCKING") == ["REQ-000001"]


def test_created_between(desk, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    desk.open(desk.a)
    time_machine.move_to(dt.datetime(2025, 3, 4, 9, tzinfo=dt.UTC), tick=False)
    desk.open(desk.a)
    day = dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    assert _numbers(desk.a.l1, created_after=day) == ["INC-000002"]
    assert _numbers(desk.a.l1, created_before=day) == ["INC-000001"]


def test_filtering_on_another_client_lists_nothing(desk, tickets):
    for persona in ("requester", "client_manager", "l1", "manager"):
        actor = getattr(desk.a, persona)
        assert _numbers(actor, client=desk.b.client.pk) == []
        assert _numbers(actor, q="VPN") <= ["INC-000001", "INC-000002", "REQ-000001"]
