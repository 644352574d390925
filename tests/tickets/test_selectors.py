"""Queues: soonest due first, keyset pages, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from palier.tickets import selectors, services
from tests.factories import resolved, taken

MONDAY_9 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def _open_at(desk, time_machine, offsets_and_urgency):
    tickets = []
    for minutes, urgency in offsets_and_urgency:
        time_machine.move_to(MONDAY_9 + dt.timedelta(minutes=minutes), tick=False)
        tickets.append(desk.open(desk.a, category_id=desk.categories["password"].pk,
                                 urgency=urgency))
    return tickets


def test_a_queue_lists_the_soonest_due_first(desk, time_machine):
    first_p3, p2, second_p3 = _open_at(desk, time_machine,
                                   [(0, "medium"), (10, "high"), (5, "medium")])
    assert selectors.queue_for(desk.a.l1, desk.levels["L1"]) == [p2, first_p3, second_p3]


def test_a_queue_pages_by_due_time_and_id(desk, time_machine):
    tickets = _open_at(desk, time_machine, [(0, "medium")] * 5)  # same due time: by id
    first = selectors.queue_for(desk.a.l1, desk.levels["L1"], limit=2)
    assert first == tickets[:2]
    last = first[-1]
    second = selectors.queue_for(desk.a.l1, desk.levels["L1"], limit=2,
                                 after=(last.due_at, last.pk))
    assert second == tickets[2:4]
    rest = selectors.group_queue(desk.a.l1, desk.groups["sd"].pk, limit=10,
                                 after=(second[-1].due_at, second[-1].pk))
    assert rest == tickets[4:]


def test_queues_list_active_tickets_only(desk):
    active, done = taken(desk, desk.a), resolved(desk, desk.a)
    assert selectors.queue_for(desk.a.l1, desk.levels["L1"]) == [active]
    assert selectors.group_queue(desk.a.l1, desk.groups["sd"].pk) == [active]
    assert done not in selectors.my_tickets(desk.a.l1)


def test_my_tickets_lists_the_agents_active_tickets(desk):
    mine, _unassigned = taken(desk, desk.a), desk.open(desk.a)
    assert selectors.my_tickets(desk.a.l1) == [mine]
    assert selectors.my_tickets(desk.a.l2) == []


def test_a_queue_costs_one_query_whatever_its_length(desk, django_assert_num_queries):
    for _ in range(3):
        services.take(desk.a.l1, desk.open(desk.a).pk)
    selectors.scope_of(desk.a.l1)  # the scope is computed once per request
    with django_assert_num_queries(1):
        queue = selectors.queue_for(desk.a.l1, desk.levels["L1"])
        assert [(t.level.code, t.group.name, t.client.code, t.category.name,
                 t.assignee.user.email) for t in queue] == [
            ("L1", "Service Desk", "acme", "VPN", "l1-a@desk.test")] * 3


def test_the_journal_costs_two_queries(desk, django_assert_num_queries):
    ticket = taken(desk, desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Hello")
    selectors.scope_of(desk.a.l1)
    with django_assert_num_queries(2):
        assert [e.actor.email for e in selectors.journal(desk.a.l1, ticket.pk)] == [
            "req-a@example.test", "l1-a@desk.test", "l1-a@desk.test"]
