from __future__ import annotations

from palier.tickets.models import Ticket, TicketEvent


def test_requester_opens_a_ticket_and_reads_it_back(desk, api):
    client = api(desk.a.requester)
    response = client.post("/tickets", {"title": "Printer jam", "description": "Tray 2",
                                        "category": desk.categories["password"].pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "INC-000001"
    assert body["level"] == "L1" and body["status"] == "new" and body["priority"] == "P3"
    assert body["client"] == {"id": desk.a.client.pk, "name": "Acme Logistics"}
    assert client.get(f"/tickets/{body['id']}").json()["title"] == "Printer jam"


def test_unknown_fields_are_refused_with_422(desk, api):
    response = api(desk.a.requester).post("/tickets", {"title": "x", "colour": "red"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "colour" in response.json()["detail"]


def test_malformed_json_gets_400(desk, api):
    response = api(desk.a.requester).call("post", "/tickets", "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_cross_client_read_is_not_found_and_changes_nothing(desk, api):
    ticket = desk.open(desk.b)
    response = api(desk.a.l1).post(f"/tickets/{ticket.pk}/take")
    assert response.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).assignee_id is None
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


def test_escalation_with_incomplete_handoff_names_missing_fields(desk, api):
    ticket = desk.open(desk.a)
    l1 = api(desk.a.l1)
    assert l1.post(f"/tickets/{ticket.pk}/take").status_code == 200
    response = l1.post(f"/tickets/{ticket.pk}/escalate",
                       {"to_level": "L2", "handoff": {"summary": "drops"}})
    assert response.status_code == 422
    assert response.json()["code"] == "handoff_incomplete"
    assert set(response.json()["fields"]) == {"steps_tried", "diagnostics", "affected_host",
                                              "error_message"}


def test_list_is_scoped_and_paginated(desk, api):
    for _ in range(3):
        desk.open(desk.a)
    desk.open(desk.b)
    page = api(desk.a.l1).get("/tickets", data={"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = api(desk.a.l1).get(page["next"].split("/api/v1")[1]).json()
    assert len(rest["results"]) == 1
    numbers = {t["client"]["id"] for t in page["results"] + rest["results"]}
    assert numbers == {desk.a.client.pk}


def test_revoked_token_gets_401(desk, api):
    client = api(desk.a.requester)
    assert client.get("/me").status_code == 200
    token_id = client.get("/tokens").json()[0]["id"]
    assert client.delete(f"/tokens/{token_id}").status_code == 200
    assert client.get("/me").status_code == 401


def test_a_duplicate_merged_over_the_api_points_to_its_original(desk, api):
    original, duplicate = desk.open(desk.a), desk.open(desk.a)
    client = api(desk.a.l1)
    response = client.post(f"/tickets/{duplicate.pk}/merge", {"into": original.pk})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert response.json()["merged_into_id"] == original.pk
    assert client.get(f"/tickets/{original.pk}").json()["merged_into_id"] is None
    kinds = [e["kind"] for e in client.get(f"/tickets/{original.pk}/events").json()]
    assert kinds[-1] == "duplicate_merged"
    again = client.post(f"/tickets/{duplicate.pk}/merge", {"into": original.pk})
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    itself = client.post(f"/tickets/{original.pk}/merge", {"into": original.pk})
    assert itself.status_code == 422 and itself.json()["code"] == "merge_into_itself"
