"""GET /api/v1/events: the journal of every ticket the caller may read, in the order written,
read on from the last id, held back until settled, never another client's."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.tickets import services
from palier.tickets.models import TicketEvent

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def written(desk, time_machine):
    """Client A: a ticket with a public reply and an internal note, a colleague's ticket;
    client B: one ticket. Then 6 seconds pass."""
    time_machine.move_to(START, tick=False)
    mine = desk.open(desk.a, title="Printer jammed")
    services.add_message(desk.a.l1, mine.pk, body="On my way")
    services.add_message(desk.a.l1, mine.pk, body="Toner smells burnt", internal=True)
    colleague = services.open_ticket(desk.a.colleague, title="Screen flickers",
                                     description="Since Monday.")
    other = desk.open(desk.b, title="Caisse bloquée")
    time_machine.move_to(START + dt.timedelta(seconds=6), tick=False)
    return {"mine": mine, "colleague": colleague, "other": other}


def _read(client, **query):
    response = client.get("/events", data=query)
    assert response.status_code == 200, response.content
    return response.json()


def test_staff_read_their_clients_events_in_order_and_read_on_from_after(desk, api, written):
    agent = api(desk.a.l1)
    everything = _read(agent)
    ids = [e["id"] for e in everything["events"]]
    expected = list(TicketEvent.objects.filter(ticket__client=desk.a.client)
                    .order_by("pk").values_list("pk", flat=True))
    assert ids == expected and everything["after"] == ids[-1]
    assert {e["ticket_number"] for e in everything["events"]} == {
        written["mine"].number, written["colleague"].number}
    assert "Toner smells burnt" in [e["body"] for e in everything["events"]]

    first = _read(agent, limit=2)
    rest = _read(agent, after=first["after"])
    assert [e["id"] for e in first["events"] + rest["events"]] == ids
    assert _read(agent, after=everything["after"]) == {"events": [],
                                                       "after": everything["after"]}


def test_events_wait_until_settled(desk, api, written, time_machine):
    agent = api(desk.a.l1)
    after = _read(agent)["after"]
    services.add_message(desk.a.l1, written["mine"].pk, body="Fixed the roller")
    assert _read(agent, after=after)["events"] == []  # written this instant
    time_machine.move_to(START + dt.timedelta(seconds=12), tick=False)
    assert [e["body"] for e in _read(agent, after=after)["events"]] == ["Fixed the roller"]


def test_a_requester_reads_the_public_entries_of_their_own_tickets_only(desk, api, written):
    events = _read(api(desk.a.requester))["events"]
    assert {e["ticket_id"] for e in events} == {written["mine"].pk}
    assert all(e["public"] for e in events) and "Toner smells burnt" not in [
        e["body"] for e in events]
    boss = _read(api(desk.a.client_manager))["events"]
    assert {e["ticket_id"] for e in boss} == {written["mine"].pk, written["colleague"].pk}


def test_another_clients_people_never_see_the_events(desk, api, written):
    for person in (desk.b.requester, desk.b.l1, desk.b.manager):
        events = _read(api(person))["events"]
        assert {e["ticket_id"] for e in events} <= {written["other"].pk}


@pytest.mark.parametrize("query", [{"after": -1}, {"after": "x"}, {"limit": 0},
                                   {"limit": 501}])
def test_bad_cursors_and_limits_get_a_reason(desk, api, written, query):
    response = api(desk.a.l1).get("/events", data=query)
    assert response.status_code == 422
    assert set(response.json()) >= {"code", "detail"}


def test_the_feed_needs_authentication(api, db):
    assert api().get("/events").status_code == 401
