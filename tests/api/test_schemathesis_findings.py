"""Bugs schemathesis found against the live server, each pinned by a test."""

from __future__ import annotations


def test_an_article_version_beyond_64_bits_is_refused_not_a_server_error(desk, api):
    # found once the run's token stayed valid to the end (tests/api/test_schemathesis.py)
    response = api(desk.a.l1).get("/articles/1/diff?from=1&to=4861229395432552005632")
    assert response.status_code == 422
    assert "to" in response.json()["fields"]


def test_a_nul_character_in_a_body_is_refused_and_changes_nothing(desk, api):
    # found by the stateful run on PostgreSQL, which cannot store U+0000 (it answered 500)
    from palier.tickets.models import TicketEvent

    ticket = desk.open(desk.a)
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = api(desk.a.l2).post(f"/tickets/{ticket.pk}/de-escalate",
                                   {"to_level": "L1\u0000", "instructions": "\u00f6"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request" and "NUL" in response.json()["detail"]
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_a_nul_character_in_a_query_string_is_refused(desk, api):
    response = api(desk.a.l1).get("/tickets?q=vpn%00")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_nul_characters_are_found_anywhere_in_a_json_value():
    from palier.api.parser import holds_nul

    assert holds_nul({"handoff": {"steps_tried": ["ok", "x\u0000"]}})
    assert holds_nul({"key\u0000": 1})
    assert not holds_nul({"n": 0, "body": "plain", "tags": [None, True, 1.5]})


def test_malformed_json_says_why(desk, api):
    response = api(desk.a.l1).call("post", "/tickets", "{not json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Cannot parse request body: Expecting")
