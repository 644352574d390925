"""POST /api/v1/tickets with an Idempotency-Key: safe retries of a lost answer."""

from __future__ import annotations

import json

from palier.tickets.models import Ticket, TicketEvent

BODY = {"title": "Printer jam", "description": "Tray 2"}


def _create(client, key, body=BODY):
    return client.post("/tickets", body, key=key)


def test_a_repeat_with_the_same_key_returns_the_same_ticket_and_opens_nothing(desk, api):
    client = api(desk.a.requester)
    first = _create(client, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first.headers
    again = _create(client, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(ticket_id=first.json()["id"]).count() == 1


def test_the_same_key_with_another_body_is_422_and_opens_nothing(desk, api):
    client = api(desk.a.requester)
    assert _create(client, "k-1").status_code == 201
    response = _create(client, "k-1", {**BODY, "title": "Scanner jam"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different request" in response.json()["detail"]
    assert Ticket.objects.count() == 1


def test_the_body_is_compared_by_its_fields_not_its_spelling(desk, api):
    client = api(desk.a.requester)
    first = _create(client, "k-1", {"title": "Printer jam", "description": "Tray 2"})
    again = client.http.post("/api/v1/tickets", content_type="application/json",
                             data='{ "description": "Tray 2",  "title": "Printer jam" }',
                             headers={**client.headers, "Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


def test_keys_belong_to_the_user_who_sent_them(desk, api):
    mine = _create(api(desk.a.requester), "shared-key")
    theirs = _create(api(desk.a.colleague), "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_malformed_key_is_400_with_its_reason(desk, api):
    client = api(desk.a.requester)
    for key in ("x" * 101, "clé-été"):
        response = _create(client, key)
        assert response.status_code == 400, key
        assert response.json()["code"] == "idempotency_key_invalid"
        assert "1 to 100 printable ASCII" in response.json()["detail"]
    assert Ticket.objects.count() == 0


def test_an_empty_key_is_400(desk, api):
    client = api(desk.a.requester)
    response = client.http.post("/api/v1/tickets", data=json.dumps(BODY),
                                content_type="application/json",
                                HTTP_IDEMPOTENCY_KEY="", headers=client.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"


def test_without_a_key_every_create_opens_a_ticket(desk, api):
    client = api(desk.a.requester)
    assert client.post("/tickets", BODY).status_code == 201
    assert client.post("/tickets", BODY).status_code == 201
    assert Ticket.objects.count() == 2


def test_the_schema_documents_the_header(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/tickets"]["post"]
    header = next(p for p in operation["parameters"] if p["in"] == "header")
    assert header["name"] == "Idempotency-Key" and header["required"] is False
    assert header["schema"]["maxLength"] == 100
    assert "Idempotent-Replayed" in header["description"]
