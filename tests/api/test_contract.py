"""The API's contract: the committed schema, and input the API must refuse cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command

from palier.tickets.models import Ticket, TicketEvent

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_generated_schema_matches_the_committed_openapi_json(tmp_path):
    generated = tmp_path / "openapi.json"
    call_command("export_openapi_schema", api="palier.api.main.api", indent=1,
                 sorted=True, output=str(generated))
    assert json.loads(generated.read_text()) == json.loads(COMMITTED.read_text()), (
        "The API schema drifted from docs/openapi.json; run `make openapi` and review the diff."
    )


def test_every_operation_documents_the_answers_from_outside_its_handler(client):
    """503 (database away, retry after Retry-After) everywhere; 413 where a body is sent."""
    schema = client.get("/api/v1/openapi.json").json()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert operations and all("503" in op["responses"] for op in operations)
    assert all("Retry-After" in op["responses"]["503"]["headers"] for op in operations)
    assert all(("413" in op["responses"]) is ("requestBody" in op) for op in operations)


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_wrong_types_get_422_with_the_field_named(desk, api):
    response = api(desk.a.requester).post("/tickets", {"title": ["not", "a", "string"]})
    assert response.status_code == 422
    assert "title" in response.json()["fields"]


def test_oversized_body_is_refused_and_nothing_is_stored(desk, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api(desk.a.requester).post("/tickets", {"title": "big", "description": "x" * 20_000})
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {"too_large", "bad_request"}
    assert not Ticket.objects.exists()


def test_bad_cursor_is_a_client_error(desk, api):
    response = api(desk.a.l1).get("/tickets", data={"cursor": "%%%not-base64"})
    assert 400 <= response.status_code < 500


def test_empty_title_is_refused(desk, api):
    response = api(desk.a.requester).post("/tickets", {"title": ""})
    assert response.status_code == 422


def test_every_action_writes_exactly_one_event_and_a_refusal_none(desk, api):
    ticket = desk.open(desk.a)
    l1 = api(desk.a.l1)
    steps = [("take", {}), ("pending", {"waiting_on": "logs"}), ("resume", {}),
             ("alert-managers", {"reason": "VIP"}), ("resolve", {"resolution": "ok"}),
             ("reopen", {"reason": "again"}), ("resolve", {"resolution": "ok"}),
             ("close", {})]
    for action, body in steps:
        before = TicketEvent.objects.filter(ticket=ticket).count()
        response = l1.post(f"/tickets/{ticket.pk}/{action}", body)
        assert response.status_code == 200, (action, response.content)
        assert TicketEvent.objects.filter(ticket=ticket).count() == before + 1, action
    before = TicketEvent.objects.filter(ticket=ticket).count()
    refused = l1.post(f"/tickets/{ticket.pk}/reopen", {"reason": "closed already"})
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    assert TicketEvent.objects.filter(ticket=ticket).count() == before


def test_stale_version_gets_409_conflict(desk, api):
    ticket = desk.open(desk.a)
    response = api(desk.a.l1).post(f"/tickets/{ticket.pk}/take", {"version": ticket.version + 5})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
