"""The new-ticket form carries a one-time token: sent twice, it opens one ticket."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from palier.tickets.models import Attachment, Ticket, TicketEvent


def _token(page: str) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)


def test_each_form_carries_a_fresh_hidden_token(desk, browse):
    http = browse(desk.a.requester)
    first = http.get("/portal/new/").content.decode()
    second = http.get("/portal/new/").content.decode()
    assert 'type="hidden" name="submission"' in first
    assert _token(first) != _token(second)
    assert "Submission" not in first  # hidden: no label


def test_the_same_form_sent_twice_opens_one_ticket_and_redirects_to_it(desk, browse):
    http = browse(desk.a.requester)
    token = _token(http.get("/portal/new/").content.decode())
    form = {"title": "VPN drops", "description": "Every ten minutes.", "submission": token}
    first = http.post("/portal/new/", {**form, "attachments": SimpleUploadedFile(
        "log.txt", b"IKE timeout", content_type="text/plain")})
    again = http.post("/portal/new/", {**form, "attachments": SimpleUploadedFile(
        "log.txt", b"IKE timeout", content_type="text/plain")})
    ticket = Ticket.objects.get()
    assert first["Location"] == again["Location"] == f"/portal/tickets/{ticket.pk}/"
    assert TicketEvent.objects.filter(ticket=ticket, kind="created").count() == 1
    assert Attachment.objects.filter(ticket=ticket).count() == 1


def test_a_form_with_errors_keeps_its_token(desk, browse):
    http = browse(desk.a.requester)
    page = http.post("/portal/new/", {"title": "", "description": "x",
                                      "submission": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633d"})
    assert _token(page.content.decode()) == "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633d"


def test_a_token_sent_again_with_other_answers_asks_and_renews_it(desk, browse):
    """The browser's Back button shows the sent form again: changed and sent, it is refused
    with a message, and the form comes back under a new token."""
    http = browse(desk.a.requester)
    token = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633d"
    http.post("/portal/new/", {"title": "VPN drops", "description": "x", "submission": token})
    page = http.post("/portal/new/", {"title": "Printer jam", "description": "y",
                                      "submission": token})
    assert page.status_code == 200 and Ticket.objects.count() == 1
    body = page.content.decode()
    assert "already sent for another ticket" in body
    assert _token(body) != token and "Printer jam" in body
    renewed = http.post("/portal/new/", {"title": "Printer jam", "description": "y",
                                         "submission": _token(body)})
    assert renewed.status_code == 302 and Ticket.objects.count() == 2


def test_a_form_without_token_still_opens_a_ticket(desk, browse):
    response = browse(desk.a.requester).post("/portal/new/", {"title": "VPN drops",
                                                              "description": "x"})
    assert response.status_code == 302 and Ticket.objects.count() == 1
