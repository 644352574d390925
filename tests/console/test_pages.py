"""Console pages: queues, the ticket page and its actions, for desk staff only."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient

from palier.tickets import services
from palier.tickets.models import Handoff, TicketStatus


def test_root_sends_agents_to_console_and_requesters_to_portal(desk, browse):
    assert browse(desk.a.l1).get("/")["Location"] == "/console/"
    assert browse(desk.a.requester).get("/")["Location"] == "/portal/"
    assert HttpClient().get("/")["Location"] == "/login/"


def test_console_is_not_found_for_requesters(desk, browse):
    assert browse(desk.a.requester).get("/console/").status_code == 404


def test_console_asks_anonymous_visitors_to_sign_in(desk):
    response = HttpClient().get("/console/queues/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("queue", ["mine", "level", "unassigned", "breaching", "pending",
                                   "resolved"])
def test_every_queue_lists_only_what_belongs_in_it(desk, browse, queue):
    ticket = desk.open(desk.a)
    other = desk.open(desk.b, title="Printer on fire")
    if queue == "mine":
        services.take(desk.a.l1, ticket.pk)
    page = browse(desk.a.l1).get(f"/console/queues/{queue}/").content.decode()
    assert other.number not in page
    assert (ticket.number in page) is (queue in ("mine", "level", "unassigned"))


def test_queue_filters_by_text_and_sorts(desk, browse):
    vpn = desk.open(desk.a)
    mail = desk.open(desk.a, title="Mailbox full", category_id=None)
    page = browse(desk.a.l1).get("/console/queues/level/?q=mailbox&sort=created")
    assert mail.number in page.content.decode() and vpn.number not in page.content.decode()


def test_queue_page_query_count_is_pinned(desk, browse, django_assert_num_queries):
    for n in range(5):
        desk.open(desk.a, title=f"VPN issue {n}")
    http = browse(desk.a.l1)
    http.get("/console/queues/level/")  # warm the session and caches
    with django_assert_num_queries(5):
        assert http.get("/console/queues/level/").status_code == 200


def test_saved_views_are_kept_in_the_session(desk, browse):
    http = browse(desk.a.l1)
    http.post("/console/views/save/", {"name": "P2 VPN", "target": "/console/queues/level/?q=vpn"})
    page = http.get("/console/queues/mine/").content.decode()
    assert "P2 VPN" in page and "/console/queues/level/?q=vpn" in page


def test_bulk_take_takes_each_selected_ticket(desk, browse):
    tickets = [desk.open(desk.a, title=f"VPN {n}") for n in range(3)]
    browse(desk.a.l1).post("/console/bulk/", {"action": "take",
                                              "ticket": [t.pk for t in tickets]})
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee_id == desk.a.l1.agent.pk


def test_ticket_page_shows_journal_clocks_and_actions(desk, browse):
    ticket = desk.open(desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Checking the gateway.", internal=True)
    page = browse(desk.a.l1).get(f"/console/tickets/{ticket.pk}/").content.decode()
    assert "Checking the gateway." in page and 'class="internal"' in page
    assert "First response" in page and 'id="panel-escalate"' in page
    assert "affected_host" in page  # the category's required handoff field


def test_the_console_is_driven_from_the_keyboard(desk, browse):
    """Access keys on the navigation and the ticket's main actions, each key used once."""
    ticket = desk.open(desk.a)
    page = browse(desk.a.l1).get(f"/console/tickets/{ticket.pk}/").content.decode()
    keys = re.findall(r'accesskey="(\w)"', page)
    assert {"q", "k", "p", "r", "n", "t", "e", "s"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert "None" not in re.sub(r"<textarea.*?</textarea>", "", page, flags=re.S).split("<main")[1]


def test_ticket_page_query_count_is_pinned(desk, browse, django_assert_num_queries):
    ticket = desk.open(desk.a)
    for n in range(4):  # the count does not grow with the journal
        services.add_message(desk.a.l1, ticket.pk, body=f"Note {n}", internal=True)
    http = browse(desk.a.l1)
    http.get(f"/console/tickets/{ticket.pk}/")
    with django_assert_num_queries(15):  # problems linking it: one; requester's others: one
        assert http.get(f"/console/tickets/{ticket.pk}/").status_code == 200


def test_incomplete_handoff_is_refused_and_names_what_is_missing(desk, browse):
    ticket = desk.open(desk.a)
    http = browse(desk.a.l1)
    http.post(f"/console/tickets/{ticket.pk}/act/take/")
    response = http.post(f"/console/tickets/{ticket.pk}/escalate/", {
        "to_level": desk.levels["L2"].pk, "summary": "Drops."})
    assert response.status_code == 422
    assert "Steps tried" in response.content.decode()
    assert response.content.decode().count("Required for the escalation.") == 4
    assert not Handoff.objects.filter(ticket=ticket).exists()


def test_escalate_return_accept_resolve_through_the_console(desk, browse):
    ticket = desk.open(desk.a)
    l1, l2 = browse(desk.a.l1), browse(desk.a.l2)
    l1.post(f"/console/tickets/{ticket.pk}/act/take/")
    handoff = {"to_level": desk.levels["L2"].pk, "summary": "Drops.", "steps_tried": "Reboot.",
               "diagnostics": "Logs.", "field_affected_host": "LT-1",
               "field_error_message": "timeout"}
    assert l1.post(f"/console/tickets/{ticket.pk}/escalate/", handoff).status_code == 302
    l2.post(f"/console/tickets/{ticket.pk}/act/return/", {"reason": "Need the log."})
    ticket.refresh_from_db()
    assert ticket.level.code == "L1" and ticket.status == TicketStatus.OPEN
    l1.post(f"/console/tickets/{ticket.pk}/escalate/", handoff)
    l2.post(f"/console/tickets/{ticket.pk}/act/accept/")
    l2.post(f"/console/tickets/{ticket.pk}/act/resolve/", {"resolution": "Fixed the MTU."})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    response = l2.post(f"/console/tickets/{ticket.pk}/make-article/")
    assert response.status_code == 302 and response["Location"].startswith("/console/kb/")
    assert "Fixed the MTU." in l2.get(response["Location"]).content.decode()


def test_a_stale_version_is_refused_with_a_message(desk, browse):
    ticket = desk.open(desk.a)
    http = browse(desk.a.l1)
    response = http.post(f"/console/tickets/{ticket.pk}/act/take/", {"version": 0},
                         follow=True)
    assert "Someone else changed this ticket first" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


def test_suggestions_panel_lists_articles(desk, browse, public_article):
    ticket = desk.open(desk.a)
    page = browse(desk.a.l1).get(f"/console/tickets/{ticket.pk}/suggestions/").content.decode()
    assert "VPN keeps disconnecting" in page


def test_actions_require_post_and_csrf(desk):
    ticket = desk.open(desk.a)
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(desk.a.l1)
    assert http.get(f"/console/tickets/{ticket.pk}/act/take/").status_code == 405
    assert http.post(f"/console/tickets/{ticket.pk}/act/take/").status_code == 403
