"""Every ticket write of the API with an Idempotency-Key: a retry after a lost answer gets the
first answer again (status and body) and writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from palier.idempotency.models import IdempotencyKey
from palier.tickets import services
from palier.tickets.models import Attachment, EventKind, TicketEvent
from tests.idempotency.concurrency import hold_until_the_other_waits, twice_at_once

MESSAGE = {"body": "Rebooted the router; does it hold?"}


def _events(ticket, kind: EventKind) -> int:
    """Journal events of that kind, read again from the database."""
    return TicketEvent.objects.filter(ticket_id=ticket.pk, kind=kind).count()


def _taken(desk):
    ticket = desk.open(desk.a)
    return services.take(desk.a.l1, ticket.pk)


def _assert_replayed(first, again) -> None:
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_a_message_sent_again_is_posted_once_and_answered_the_same(desk, api):
    ticket = desk.open(desk.a)
    agent = api(desk.a.l1)
    first = agent.post(f"/tickets/{ticket.pk}/messages", MESSAGE, key="m-1")
    assert first.status_code == 201, first.content
    agent.post(f"/tickets/{ticket.pk}/messages", {"body": "Another reply"})  # moves the ticket on
    again = agent.post(f"/tickets/{ticket.pk}/messages", MESSAGE, key="m-1")
    _assert_replayed(first, again)
    assert again.json()["version"] == first.json()["version"]  # the first answer, not now
    assert TicketEvent.objects.filter(ticket_id=ticket.pk, body=MESSAGE["body"]).count() == 1
    stored = IdempotencyKey.objects.get(key="m-1")
    assert (stored.operation, stored.ticket_id, stored.status) == (
        f"POST /api/v1/tickets/{ticket.pk}/messages", ticket.pk, 201)


def test_a_take_sent_again_answers_200_not_already_assigned(desk, api):
    ticket = desk.open(desk.a)
    agent = api(desk.a.l1)
    first = agent.post(f"/tickets/{ticket.pk}/take", key="t-1")
    assert first.status_code == 200, first.content
    again = agent.post(f"/tickets/{ticket.pk}/take", key="t-1")
    _assert_replayed(first, again)
    assert _events(ticket, EventKind.ASSIGNED) == 1
    assert agent.post(f"/tickets/{ticket.pk}/take").status_code == 409  # without a key: as before


def test_a_resolve_sent_again_resolves_once(desk, api):
    ticket = _taken(desk)
    agent = api(desk.a.l1)
    body = {"resolution": "Replaced the router.", "version": ticket.version}
    first = agent.post(f"/tickets/{ticket.pk}/resolve", body, key="r-1")
    assert first.status_code == 200 and first.json()["status"] == "resolved", first.content
    again = agent.post(f"/tickets/{ticket.pk}/resolve", body, key="r-1")
    _assert_replayed(first, again)
    assert _events(ticket, EventKind.RESOLVED) == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(desk, api):
    ticket = desk.open(desk.a)
    agent = api(desk.a.l1)
    assert agent.post(f"/tickets/{ticket.pk}/messages", MESSAGE, key="m-1").status_code == 201
    response = agent.post(f"/tickets/{ticket.pk}/messages", {"body": "Other"}, key="m-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert _events(ticket, EventKind.MESSAGE) == 1


@pytest.mark.parametrize("elsewhere", ["another ticket", "another operation"])
def test_the_same_key_elsewhere_is_422_and_writes_nothing(desk, api, elsewhere):
    ticket, other = desk.open(desk.a), desk.open(desk.a)
    agent = api(desk.a.l1)
    assert agent.post(f"/tickets/{ticket.pk}/take", key="k-1").status_code == 200
    path = (f"/tickets/{other.pk}/take" if elsewhere == "another ticket"
            else f"/tickets/{ticket.pk}/resume")
    response = agent.post(path, key="k-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert _events(other, EventKind.ASSIGNED) == 0 and _events(ticket, EventKind.RESUMED) == 0


def test_a_refused_write_stores_no_key_and_may_be_sent_again_fixed(desk, api):
    ticket = _taken(desk)
    agent = api(desk.a.l1)
    stale = agent.post(f"/tickets/{ticket.pk}/resolve",
                       {"resolution": "Done.", "version": ticket.version - 1}, key="r-1")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert not IdempotencyKey.objects.exists()
    fixed = agent.post(f"/tickets/{ticket.pk}/resolve",
                       {"resolution": "Done.", "version": ticket.version}, key="r-1")
    assert fixed.status_code == 200 and "Idempotent-Replayed" not in fixed.headers
    assert _events(ticket, EventKind.RESOLVED) == 1


def test_a_malformed_key_is_400_and_writes_nothing(desk, api):
    ticket = desk.open(desk.a)
    response = api(desk.a.l1).post(f"/tickets/{ticket.pk}/take", key="clé")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert _events(ticket, EventKind.ASSIGNED) == 0


def test_keys_belong_to_their_user(desk, api):
    ticket = desk.open(desk.a)
    first = api(desk.a.l1).post(f"/tickets/{ticket.pk}/messages", MESSAGE, key="shared")
    second = api(desk.a.requester).post(f"/tickets/{ticket.pk}/messages", MESSAGE,
                                        key="shared")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert _events(ticket, EventKind.MESSAGE) == 2


def test_a_patch_sent_again_is_applied_once(desk, api):
    ticket = desk.open(desk.a)
    agent = api(desk.a.l1)
    first = agent.patch(f"/tickets/{ticket.pk}", {"title": "VPN down"}, key="p-1")
    assert first.status_code == 200, first.content
    _assert_replayed(first, agent.patch(f"/tickets/{ticket.pk}", {"title": "VPN down"},
                                        key="p-1"))
    assert _events(ticket, EventKind.CLASSIFIED) == 1


def test_an_upload_sent_again_stores_one_attachment(desk, api):
    ticket = desk.open(desk.a)
    agent = api(desk.a.l1)

    def upload(content: bytes):
        return agent.http.post(f"/api/v1/tickets/{ticket.pk}/attachments",
                               {"file": SimpleUploadedFile("log.txt", content)},
                               headers={**agent.headers, "Idempotency-Key": "u-1"})

    first = upload(b"IKE timeout")
    assert first.status_code == 201, first.content
    _assert_replayed(first, upload(b"IKE timeout"))
    assert upload(b"another file").json()["code"] == "idempotency_key_reused"
    assert Attachment.objects.filter(ticket=ticket).count() == 1


def test_the_schema_documents_the_header_on_every_ticket_write(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [(path, method) for path, operations in paths.items()
              if path.startswith("/api/v1/tickets/{ticket_id}")
              for method in operations if method in ("post", "patch")]
    assert len(writes) == 21  # tickets, merge included; knowledge: resolve-with-article, draft
    for path, method in writes:
        headers = [p for p in paths[path][method]["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["Idempotency-Key"], (path, method)
        assert "Idempotent-Replayed" in headers[0]["description"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("action", "body", "kind"), [
    ("messages", MESSAGE, EventKind.MESSAGE), ("take", {}, EventKind.ASSIGNED)])
def test_two_simultaneous_writes_with_one_key_write_once(desk, api, monkeypatch, action, body,
                                                          kind):
    """The second waits on the ticket's row lock; then its insert fails (message) or the
    take is refused (already assigned): either way it replays the first's answer."""
    ticket = desk.open(desk.a)
    hold_until_the_other_waits(monkeypatch, services, "add_message" if action == "messages"
                               else "take")
    clients = [api(desk.a.l1), api(desk.a.l1)]
    answers = twice_at_once(
        lambda: clients.pop().post(f"/tickets/{ticket.pk}/{action}", body, key="double"))
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]
    assert answers[0].status_code == answers[1].status_code < 300
    assert answers[0].json() == answers[1].json()
    assert _events(ticket, kind) == 1 and IdempotencyKey.objects.count() == 1
