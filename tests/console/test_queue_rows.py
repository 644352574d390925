"""The queue rows built in Python (``queue_rows``) show what the template showed: escaped
text, the priority badge and status labels, the assignee, and the due time in the viewer's
time zone and language."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from palier.tickets import services


def _row(page: str, number: str) -> str:
    found = re.search(rf"<tr>(?:(?!</tr>).)*{number}(?:(?!</tr>).)*</tr>", page, re.S)
    assert found, f"no row for {number}"
    return found.group(0)


def test_a_row_escapes_what_requesters_typed(desk, browse):
    ticket = desk.open(desk.a, title='<script>alert(1)</script><img src=x onerror="x()">')
    page = browse(desk.a.l1).get("/console/queues/level/").content.decode()
    row = _row(page, ticket.number)
    assert "<script>" not in row and "<img" not in row
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;x()&quot;&gt;" in row


def test_a_row_shows_labels_assignee_and_due_time_in_the_viewers_zone(desk, browse):
    ticket = desk.open(desk.a, impact="high", urgency="medium")
    services.take(desk.a.l1, ticket.pk)
    ticket.refresh_from_db()
    desk.a.l1.timezone, desk.a.l1.language = "Europe/Paris", "fr"
    desk.a.l1.save()
    row = _row(browse(desk.a.l1).get("/console/queues/mine/",
                                     HTTP_ACCEPT_LANGUAGE="fr").content.decode(), ticket.number)
    assert f'value="{ticket.pk}" aria-label="Sélectionner {ticket.number}"' in row
    assert f'<span class="badge {ticket.priority}">' in row
    assert "Ouvert" in row or "Nouveau" in row
    assert f"{ticket.level.code} · {ticket.group.name}" in row and "l1-a" in row
    due = ticket.due_at.astimezone(ZoneInfo("Europe/Paris"))
    assert f'<time datetime="{due.isoformat()}">{due:%d/%m/%Y %H:%M}</time>' in row


def test_an_unassigned_ticket_without_due_time_shows_dashes(desk, browse):
    ticket = desk.open(desk.a)
    ticket.due_at = None
    ticket.save(update_fields=["due_at"])
    row = _row(browse(desk.a.l1).get("/console/queues/unassigned/").content.decode(),
               ticket.number)
    assert row.count("<td>—</td>") == 1 and '<td class="hide-phone">—</td>' in row


def test_an_empty_queue_says_so(desk, browse):
    page = browse(desk.a.l1).get("/console/queues/mine/").content.decode()
    assert "No tickets in this queue." in page
