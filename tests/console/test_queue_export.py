"""A queue exported as CSV: the agent's scope and the filters on screen, formulas defused."""

from __future__ import annotations

import csv
import io

from django.test import Client as HttpClient

from palier.tickets import services


def _rows(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_the_queue_in_its_order_and_nothing_of_another_client(desk, browse):
    vpn = desk.open(desk.a)
    mail = desk.open(desk.a, title="Mailbox full", category_id=None)
    other = desk.open(desk.b, title="Printer on fire")
    services.take(desk.a.l1, vpn.pk)
    response = browse(desk.a.l1).get("/console/queues/level/export.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="palier-level-')
    rows = _rows(response)
    assert {r["number"] for r in rows} == {vpn.number, mail.number}
    assert other.number not in {r["number"] for r in rows}
    first = next(r for r in rows if r["number"] == vpn.number)
    assert (first["client"], first["requester"], first["assignee"], first["level"]) == (
        desk.a.client.name, desk.a.requester.email, desk.a.l1.email, "L1")
    vpn.refresh_from_db()
    assert first["due_at"] == vpn.due_at.isoformat() and first["resolved_at"] == ""
    assert first["created_at"] == vpn.created_at.isoformat()


def test_the_export_follows_the_filters_on_screen(desk, browse):
    desk.open(desk.a)
    mail = desk.open(desk.a, title="Mailbox full", category_id=None)
    rows = _rows(browse(desk.a.l1).get("/console/queues/level/export.csv", {"q": "mailbox"}))
    assert [r["number"] for r in rows] == [mail.number]


def test_a_title_that_looks_like_a_formula_is_defused(desk, browse):
    ticket = desk.open(desk.a, title='=HYPERLINK("http://evil.example","click")')
    rows = _rows(browse(desk.a.l1).get("/console/queues/level/export.csv"))
    row = next(r for r in rows if r["number"] == ticket.number)
    assert row["title"] == "'" + ticket.title


def test_the_page_links_its_export_and_strangers_get_nothing(desk, browse):
    page = browse(desk.a.l1).get("/console/queues/level/", {"q": "vpn"}).content.decode()
    assert "/console/queues/level/export.csv?q=vpn" in page
    assert browse(desk.a.l1).get("/console/queues/nope/export.csv").status_code == 404
    assert browse(desk.a.requester).get("/console/queues/level/export.csv").status_code == 404
    assert HttpClient().get("/console/queues/level/export.csv").status_code == 302
