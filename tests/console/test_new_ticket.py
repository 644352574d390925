"""Recording a ticket at level 1 (a call, a visit, a chat): the console's new-ticket page."""

from __future__ import annotations

import re
import uuid

from django.test import Client as HttpClient

from palier.accounts.models import User
from palier.tickets.models import Channel, EventKind, Ticket

URL = "/console/tickets/new/"


def _form(desk, **changes) -> dict:
    data = {"client": desk.a.client.pk, "requester_email": desk.a.requester.email,
            "channel": "phone", "kind": "incident", "title": "Outlook asks for a password",
            "description": "Since the update this morning, on every start.",
            "category": "", "impact": "", "urgency": "", "submission": str(uuid.uuid4())}
    return {**data, **changes}


def test_an_agent_records_a_call_for_a_requester_of_a_client_they_serve(desk, browse):
    http = browse(desk.a.l1)
    page = http.get(URL).content.decode()
    assert desk.a.client.name in page and desk.b.client.name not in page
    response = http.post(URL, _form(desk, category=desk.categories["vpn"].pk, impact="high",
                                    urgency="medium"))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/tickets/{ticket.pk}/"
    assert (ticket.client, ticket.requester, ticket.channel, ticket.category) == (
        desk.a.client, desk.a.requester, Channel.PHONE, desk.categories["vpn"])
    assert (ticket.impact, ticket.urgency, ticket.priority, ticket.level.code) == (
        "high", "medium", "P2", "L1")
    created = ticket.events.get(kind=EventKind.CREATED)
    assert created.actor == desk.a.l1 and created.body == ticket.description
    shown = http.get(response["Location"]).content.decode()
    assert f"{ticket.number} opened for" in shown


def test_a_new_caller_becomes_a_requester_of_the_client(desk, browse):
    browse(desk.a.l1).post(URL, _form(desk, requester_email="New.Caller@Acme.example"))
    caller = User.objects.get(email="new.caller@acme.example")
    assert caller.client == desk.a.client and Ticket.objects.get().requester == caller


def test_a_client_the_agent_does_not_serve_is_refused_and_nothing_is_stored(desk, browse):
    response = browse(desk.a.l1).post(URL, _form(desk, client=desk.b.client.pk))
    page = response.content.decode()
    assert response.status_code == 200 and 'class="field-error"' in page
    assert "Outlook asks for a password" in page  # what was typed comes back
    assert not Ticket.objects.exists()


def test_a_requester_of_another_client_is_refused_with_the_reason(desk, browse):
    response = browse(desk.a.l1).post(URL, _form(desk, requester_email=desk.b.requester.email))
    page = response.content.decode()
    assert response.status_code == 200 and "is not a requester of" in page
    assert "Outlook asks for a password" in page and not Ticket.objects.exists()


def test_a_missing_subject_or_a_bad_email_is_a_field_error(desk, browse):
    page = browse(desk.a.l1).post(URL, _form(desk, title="", requester_email="nope"))
    assert len(re.findall(r'class="field-error"', page.content.decode())) == 2
    assert not Ticket.objects.exists()


def test_the_same_form_sent_twice_opens_one_ticket(desk, browse):
    http, data = browse(desk.a.l1), _form(desk)
    first, second = http.post(URL, data), http.post(URL, data)
    assert Ticket.objects.count() == 1 and first["Location"] == second["Location"]


def test_only_desk_staff_see_the_page(desk, browse):
    assert browse(desk.a.requester).get(URL).status_code == 404
    assert browse(desk.a.requester).post(URL, _form(desk)).status_code == 404
    anonymous = HttpClient().get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert not Ticket.objects.exists()


def test_suggestions_while_typing_stay_in_the_agents_scope(desk, browse, public_article):
    http = browse(desk.a.l1)
    url = f"{URL}suggestions/"
    found = http.get(url, {"title": public_article.title, "client": desk.a.client.pk})
    assert found.status_code == 200 and public_article.title in found.content.decode()
    other = http.get(url, {"title": public_article.title, "client": desk.b.client.pk})
    assert other.status_code == 200  # another side's client is ignored, not an error
    assert "No suggestions." in http.get(url, {"title": "ab"}).content.decode()
    assert browse(desk.a.requester).get(url, {"title": "vpn"}).status_code == 404


def test_a_token_reused_for_other_answers_is_refused_then_renewed(desk, browse):
    http, data = browse(desk.a.l1), _form(desk)
    http.post(URL, data)
    page = http.post(URL, {**data, "title": "Another call"}).content.decode()
    assert Ticket.objects.count() == 1 and "This form was already sent" in page
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    assert token != data["submission"] and "Another call" in page
    assert http.post(URL, {**data, "title": "Another call", "submission": token}).status_code == 302
    assert Ticket.objects.count() == 2


def test_the_caller_is_found_by_name_or_email_among_the_clients_requesters(desk, browse):
    url = f"{URL}requesters/"
    http = browse(desk.a.l1)
    by_email = http.get(url, {"client": desk.a.client.pk, "requester_email": "req-"})
    assert f'<option value="{desk.a.requester.email}">' in by_email.content.decode()
    by_name = http.get(url, {"client": desk.a.client.pk, "requester_email": "olleag"})
    assert desk.a.colleague.email in by_name.content.decode()
    assert desk.a.requester.email not in by_name.content.decode()
    # another client's requesters, desk staff, too short a prefix: no option at all
    for params in ({"client": desk.b.client.pk, "requester_email": "req-"},
                   {"client": desk.a.client.pk, "requester_email": "l1-"},
                   {"client": desk.a.client.pk, "requester_email": "r"},
                   {"client": "x", "requester_email": "req-"}):
        assert "<option" not in http.get(url, params).content.decode(), params
    assert browse(desk.a.requester).get(url, {"client": desk.a.client.pk,
                                              "requester_email": "req-"}).status_code == 404
