"""SLA state on the API: the ticket read model, the breaching-within filter, and
``GET /tickets/{id}/sla`` with its explanation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palier.tickets import services
from tests.api.conftest import api  # noqa: F401  (the fixture)
from tests.sla.conftest import paris, sweep

pytestmark = pytest.mark.usefixtures("policy")


def test_a_ticket_read_carries_its_clock_now(desk, api, at):  # noqa: F811
    at(paris(16, 10))
    ticket = desk.open(desk.a)
    at(paris(16, 12))
    body = api(desk.a.l1).get(f"/tickets/{ticket.pk}").json()
    assert body["due_at"] == "2025-06-18T08:00:00Z" and body["ola_due_at"] == "2025-06-16T13:00:00Z"
    sla = body["sla"]
    assert sla["policy"] == "Standard" and sla["paused"] is False
    assert sla["resolution"] == {"state": "running", "due_at": "2025-06-18T08:00:00Z",
                                 "remaining_seconds": 14 * 3600, "percent": 12.5,
                                 "breached": False, "breached_at": None}
    assert sla["response"]["remaining_seconds"] == 2 * 3600 and sla["response"]["percent"] == 50
    assert sla["ola"]["level"] == "L1"
    at(paris(16, 16))  # past the response due time; the worker has not run yet
    late = api(desk.a.l1).get(f"/tickets/{ticket.pk}").json()["sla"]["response"]
    assert late["breached"] and late["breached_at"] == "2025-06-16T13:00:00Z"
    assert late["remaining_seconds"] == -3600 and late["percent"] == 125


def test_a_paused_clock_reads_as_paused(desk, api, at):  # noqa: F811
    at(paris(16, 10))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 11))
    services.set_pending(desk.a.l1, ticket.pk, waiting_on="A log")
    at(paris(17, 11))
    sla = api(desk.a.requester).get(f"/tickets/{ticket.pk}").json()["sla"]
    assert sla["paused"] and sla["resolution"]["state"] == "paused"
    assert sla["resolution"]["remaining_seconds"] == 15 * 3600  # frozen since 11:00


def test_breaching_within_lists_the_tickets_falling_due_soon(desk, api, at):  # noqa: F811
    at(paris(16, 9))
    soon = services.take(desk.a.l1, desk.open(desk.a, title="Soon").pk)  # response due 14:00
    at(paris(16, 11))
    later = services.take(desk.a.l1, desk.open(desk.a, title="Later").pk)  # due 16:00
    waiting = services.take(desk.a.l1, desk.open(desk.a, title="Waiting").pk)
    services.set_pending(desk.a.l1, waiting.pk, waiting_on="logs")
    at(paris(16, 12, 30))

    def within(minutes: int) -> set[int]:
        found = api(desk.a.l1).get("/tickets", data={"breaching_within": minutes})
        assert found.status_code == 200
        return {t["id"] for t in found.json()["results"]}

    assert within(89) == set()
    assert within(90) == {soon.pk}
    assert within(210) == {soon.pk, later.pk}
    at(paris(16, 14, 30))
    assert soon.pk not in within(600)  # already overdue: a breach, not a risk
    assert api(desk.a.l1).get("/tickets", data={"breaching_within": 0}).status_code == 422


def test_the_list_costs_the_same_queries_for_any_number_of_tickets(desk, api, at):  # noqa: F811
    at(paris(16, 9))
    desk.open(desk.a)
    client = api(desk.a.l1)
    client.get("/tickets")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/tickets").status_code == 200
        return len(queries)

    one = cost()
    for n in range(5):
        desk.open(desk.a, title=f"More {n}")
    assert cost() == one


def test_the_sla_endpoint_explains_the_clock(desk, api, at):  # noqa: F811
    at(paris(16, 10))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    at(paris(16, 11))
    services.set_pending(desk.a.l1, ticket.pk, waiting_on="A log")
    at(paris(17, 10))
    services.resume(desk.a.l1, ticket.pk)
    at(paris(17, 12))
    sweep()
    response = api(desk.a.requester).get(f"/tickets/{ticket.pk}/sla")
    assert response.status_code == 200
    body = response.json()
    assert (body["policy"], body["status"], body["level"]) == ("Standard", "open", "L1")
    resolution = body["resolution"]
    assert resolution["consumed_seconds"] == 3 * 3600
    assert resolution["paused_seconds"] == 7 * 3600
    assert resolution["due_at"] == "2025-06-18T16:00:00Z"
    assert [w["percent"] for w in resolution["warnings"]] == [75, 90]
    assert body["ola"]["name"] == "ola L1" and body["olas"][0]["kind"] == "ola"
    assert "paused (pending requester): 7h00 of business time not counted" in (
        body["explanation"])
    assert body["lines"][0]["text"] == "created at L1, priority P3"
    utc = api(desk.a.l1).get(f"/tickets/{ticket.pk}/sla", data={"tz": "UTC"}).json()
    assert body["lines"][0]["at"] == "2025-06-16T10:00:00+02:00"
    assert utc["lines"][0]["at"] == "2025-06-16T08:00:00Z"
    assert "UTC" in utc["explanation"].splitlines()[0]


def test_the_sla_endpoint_is_scoped_like_the_ticket(desk, api, at):  # noqa: F811
    at(paris(16, 10))
    ticket = desk.open(desk.a)
    assert api(desk.b.l1).get(f"/tickets/{ticket.pk}/sla").status_code == 404
    assert api(desk.a.colleague).get(f"/tickets/{ticket.pk}/sla").status_code == 404
    assert api(desk.a.client_manager).get(f"/tickets/{ticket.pk}/sla").status_code == 200
    bad = api(desk.a.l1).get(f"/tickets/{ticket.pk}/sla", data={"tz": "Mars/Olympus"})
    assert bad.status_code == 422 and bad.json()["fields"] == {"tz": "invalid"}
