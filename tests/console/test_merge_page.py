"""Merging a duplicate from the ticket page, by the original's number."""

from __future__ import annotations

from palier.tickets.models import Ticket, TicketStatus


def test_an_agent_merges_a_duplicate_by_number_and_both_pages_say_so(desk, browse):
    original = desk.open(desk.a)
    duplicate = desk.open(desk.a, title="VPN down again", description="Same as this morning.")
    http = browse(desk.a.l1)
    page = http.get(f"/console/tickets/{duplicate.pk}/").content.decode()
    assert 'id="panel-merge"' in page
    response = http.post(f"/console/tickets/{duplicate.pk}/act/merge/",
                         {"into": original.number.lower(), "version": duplicate.version},
                         follow=True)
    page = response.content.decode()
    assert "Ticket merged into the original." in page
    assert f"Merged into {original.number} as a duplicate." in page
    assert f'href="/console/tickets/{original.pk}/"' in page
    assert 'id="panel-merge"' not in page  # closed: nothing more to do
    duplicate.refresh_from_db()
    assert duplicate.status == TicketStatus.CLOSED and duplicate.merged_into_id == original.pk
    page = http.get(f"/console/tickets/{original.pk}/").content.decode()
    assert "A duplicate was merged in" in page and "Same as this morning." in page
    assert f'href="/console/tickets/{duplicate.pk}/"' in page


def test_an_unknown_or_foreign_number_is_a_message_and_nothing_changes(desk, browse):
    duplicate = desk.open(desk.a)
    theirs = desk.open(desk.b)
    http = browse(desk.a.l1)
    for number in ("INC-999999", theirs.number, duplicate.number):
        response = http.post(f"/console/tickets/{duplicate.pk}/act/merge/", {"into": number},
                             follow=True)
        assert response.status_code == 200
    page = response.content.decode()
    assert "A ticket cannot be merged into itself." in page
    first = http.post(f"/console/tickets/{duplicate.pk}/act/merge/", {"into": theirs.number},
                      follow=True).content.decode()
    assert "There is no such ticket among those you may see." in first
    assert theirs.number not in first
    assert Ticket.objects.get(pk=duplicate.pk).status == TicketStatus.NEW
    assert Ticket.objects.get(pk=theirs.pk).version == theirs.version


def test_the_requester_sees_in_the_portal_where_the_request_is_followed(desk, browse):
    original, duplicate = desk.open(desk.a), desk.open(desk.a)
    browse(desk.a.l1).post(f"/console/tickets/{duplicate.pk}/act/merge/",
                           {"into": original.number})
    page = browse(desk.a.requester).get(f"/portal/tickets/{duplicate.pk}/").content.decode()
    assert f"Merged into another ticket</strong> {original.number}" in page
    assert "A duplicate was merged in" not in browse(desk.a.requester).get(
        f"/portal/tickets/{original.pk}/").content.decode()  # internal: the desk's only


def test_the_requesters_other_open_tickets_are_offered_as_originals(desk, browse):
    original = desk.open(desk.a, title="Outlook asks for my password")
    resolved_one = desk.open(desk.a, title="Old printer jam")
    from palier.tickets import services

    services.resolve(desk.a.l1, resolved_one.pk, resolution="Cleared the tray")
    desk.open(desk.a, title="Teams will not start")  # the same requester: offered too
    colleague = services.open_ticket(desk.a.colleague, title="Colleague's ticket")
    duplicate = desk.open(desk.a, title="Outlook password prompt again")
    http = browse(desk.a.l1)
    page = http.get(f"/console/tickets/{duplicate.pk}/").content.decode()
    offered = page.split('id="same-requester"')[1].split("</ul>")[0]
    assert original.number in offered and f"Merge into {original.number}" in offered
    assert resolved_one.number not in offered and colleague.number not in offered
    assert duplicate.number not in offered
    assert "2 other open tickets of this requester" in page
    response = http.post(f"/console/tickets/{duplicate.pk}/act/merge/",
                         {"into": original.number, "version": duplicate.version})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == original.pk
