"""Every endpoint × every persona gets exactly the expected status; refusals change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from palier.tickets import services
from palier.tickets.models import Ticket, TicketEvent
from tests.factories import full_handoff

PERSONAS = ["requester", "l1", "l2", "l3", "manager"]
STAFF = ["l1", "l2", "l3", "manager"]


def _new(desk):
    return desk.open(desk.a)


def _taken(desk):
    ticket = _new(desk)
    return services.take(desk.a.l1, ticket.pk)


def _escalated(desk):
    ticket = _taken(desk)
    return services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                             handoff=full_handoff())


def _at_l2(desk):
    return services.accept(desk.a.l2, _escalated(desk).pk)


def _pending(desk):
    return services.set_pending(desk.a.l1, _taken(desk).pk, waiting_on="screenshot")


def _resolved(desk):
    return services.resolve(desk.a.l1, _taken(desk).pk, resolution="done")


def _with_file(desk):
    ticket = _new(desk)
    services.add_attachment(desk.a.requester, ticket.pk,
                            SimpleUploadedFile("log.txt", b"log", content_type="text/plain"))
    return ticket


@dataclass
class Case:
    method: str
    path: str
    expected: dict[str, int]
    setup: object = _new
    body: object = field(default_factory=dict)
    ticket_scoped: bool = True


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def only(allowed: dict[str, int], refused: int = 403) -> dict[str, int]:
    return {p: allowed.get(p, refused) for p in PERSONAS}


HANDOFF = {"to_level": "L2", "handoff": {
    "summary": "s", "steps_tried": "t", "diagnostics": "d",
    "fields": {"affected_host": "h", "error_message": "e"}}}

CASES = {
    "list": Case("get", "/tickets", everyone(200), ticket_scoped=False),
    "read": Case("get", "/tickets/{id}", everyone(200)),
    "classify": Case("patch", "/tickets/{id}", only({"l1": 200, "manager": 200}),
                     body={"impact": "high"}),
    "reword": Case("patch", "/tickets/{id}", only({"requester": 200, "l1": 200,
                                                   "manager": 200}),
                   body={"title": "Reworded"}),
    "events": Case("get", "/tickets/{id}/events", everyone(200)),
    "sla": Case("get", "/tickets/{id}/sla", everyone(200), setup=_pending),
    "message": Case("post", "/tickets/{id}/messages", everyone(201), body={"body": "hi"}),
    "note": Case("post", "/tickets/{id}/messages", only({p: 201 for p in STAFF}),
                 body={"body": "internal", "internal": True}),
    "take": Case("post", "/tickets/{id}/take", only({"l1": 200, "manager": 422})),
    "assign": Case("post", "/tickets/{id}/assign", only({"l1": 200, "manager": 200}),
                   body="agent"),
    "escalate": Case("post", "/tickets/{id}/escalate", only({"l1": 200, "manager": 200}),
                     setup=_taken, body=HANDOFF),
    "accept": Case("post", "/tickets/{id}/accept", only({"l2": 200, "manager": 200}),
                   setup=_escalated),
    "return": Case("post", "/tickets/{id}/return", only({"l2": 200, "manager": 200}),
                   setup=_escalated, body={"reason": "no logs"}),
    "de-escalate": Case("post", "/tickets/{id}/de-escalate",
                        only({"l2": 200, "manager": 200}), setup=_at_l2,
                        body={"to_level": "L1", "instructions": "confirm with the user"}),
    "alert-managers": Case("post", "/tickets/{id}/alert-managers",
                           only({p: 200 for p in STAFF}), body={"reason": "VIP"}),
    "vendor": Case("post", "/tickets/{id}/vendor", only({"l1": 200, "manager": 200}),
                   setup=_taken, body={"vendor": "Cisco", "reference": "TAC-1"}),
    "pending": Case("post", "/tickets/{id}/pending", only({"l1": 200, "manager": 200}),
                    setup=_taken, body={"waiting_on": "a screenshot"}),
    "resume": Case("post", "/tickets/{id}/resume", only({"l1": 200, "manager": 200}),
                   setup=_pending),
    "resolve": Case("post", "/tickets/{id}/resolve", only({"l1": 200, "manager": 200}),
                    setup=_taken, body={"resolution": "rebooted"}),
    "reopen": Case("post", "/tickets/{id}/reopen",
                   only({"requester": 200, "l1": 200, "manager": 200}), setup=_resolved,
                   body={"reason": "still broken"}),
    "close": Case("post", "/tickets/{id}/close",
                  only({"requester": 200, "l1": 200, "manager": 200}), setup=_resolved),
    "merge": Case("post", "/tickets/{id}/merge", only({"l1": 200, "manager": 200}),
                  body="original"),
    "satisfaction": Case("post", "/tickets/{id}/satisfaction", only({"requester": 201}),
                         setup=_resolved, body={"score": 4, "comment": "quick"}),
    "worklog-read": Case("get", "/tickets/{id}/worklog", only({p: 200 for p in STAFF})),
    "worklog-write": Case("post", "/tickets/{id}/worklog", only({p: 201 for p in STAFF}),
                          body={"minutes": 15, "note": "call"}),
    "attachments": Case("get", "/tickets/{id}/attachments", everyone(200)),
    "download": Case("get", "/attachments/{file}/download", everyone(200), setup=_with_file),
    "create": Case("post", "/tickets", everyone(201), body="create", ticket_scoped=False),
    "levels": Case("get", "/levels", everyone(200), ticket_scoped=False),
    "groups": Case("get", "/groups", everyone(200), ticket_scoped=False),
    "categories": Case("get", "/categories", everyone(200), ticket_scoped=False),
    "clients": Case("get", "/clients", everyone(200), ticket_scoped=False),
    "me": Case("get", "/me", everyone(200), ticket_scoped=False),
    "tokens": Case("get", "/tokens", everyone(200), ticket_scoped=False),
    "feed": Case("get", "/events", everyone(200), ticket_scoped=False),
}


def _body(case: Case, desk):
    if case.body == "agent":
        return {"agent": desk.a.l1.agent.pk}
    if case.body == "original":
        return {"into": desk.open(desk.a).pk}
    if case.body == "create":
        return {"title": "New", "client": desk.a.client.pk,
                "requester_email": desk.a.requester.email}
    return case.body


def _snapshot(ticket: Ticket) -> tuple:
    fresh = Ticket.objects.get(pk=ticket.pk)
    return fresh.version, fresh.status, fresh.level_id, fresh.assignee_id, \
        TicketEvent.objects.filter(ticket=ticket).count()


def _expected_for(case: Case, side: str, persona: str) -> int:
    if side == "a":
        return case.expected[persona]
    if case.ticket_scoped or case.body == "create":
        return 404  # client A's ticket, or a ticket for client A: not found for B's people
    return case.expected[persona]  # reference data: B's people use their own desk


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_persona_gets_the_expected_status(desk, api, name):
    case = CASES[name]
    outcomes = {}
    for side in ("a", "b"):
        for persona in PERSONAS:
            ticket = case.setup(desk)
            file_id = ticket.attachments.values_list("pk", flat=True).first()
            path = case.path.format(id=ticket.pk, file=file_id)
            before = _snapshot(ticket)
            client = api(getattr(getattr(desk, side), persona))
            response = client.call(case.method, path, _body(case, desk))
            outcomes[f"{side}.{persona}"] = (response.status_code,
                                             _expected_for(case, side, persona))
            if response.status_code >= 400:
                assert _snapshot(ticket) == before, f"{side}.{persona} changed {name}"
                assert set(response.json()) >= {"code", "detail"}
    anonymous = api().call(case.method, case.path.format(id=1, file=1), _body(case, desk))
    outcomes["anonymous"] = (anonymous.status_code, 401)
    wrong = {who: got for who, got in outcomes.items() if got[0] != got[1]}
    assert not wrong, f"{name}: (got, expected) {wrong}"
