"""Every console and portal URL that takes an id answers 404 for another client's object."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from palier.knowledge import services as kb
from palier.problems import services as problems
from palier.tickets import services

SAMPLE_ACTIONS = {"action": "take", "step": "publish"}


def _patterns_with_ids() -> list[str]:
    """Route templates of the console and portal that take an id (all of them, so a new
    page is covered as soon as it is added)."""
    found = []
    for prefix in ("console/", "portal/"):
        resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == prefix)
        found += [prefix + str(p.pattern) for p in resolver.url_patterns
                  if "<int:" in str(p.pattern) or "<str:number>" in str(p.pattern)]
    return found


@pytest.fixture
def other_client(desk):
    """Client B's ticket, attachment, client-only article and problem."""
    ticket = desk.open(desk.b)
    attachment = services.add_attachment(
        desk.b.requester, ticket.pk,
        SimpleUploadedFile("b.txt", b"client B only", content_type="text/plain"))
    article = kb.create_article(desk.b.manager, title="Bistrot VPN", body="B only.",
                                audience="public", client_id=desk.b.client.pk)
    kb.submit_for_review(desk.b.manager, article.pk)
    kb.publish(desk.b.manager, article.pk)
    problem = problems.create_problem(desk.b.l3, title="Bistrot VPN", ticket_ids=[ticket.pk])
    return {"ticket_id": ticket.pk, "attachment_id": attachment.pk, "article_id": article.pk,
            "number": ticket.number, "problem_id": problem.pk}


def _url(route: str, ids: dict) -> str:
    path = route
    for name, value in {**ids, **SAMPLE_ACTIONS}.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
    assert "<" not in path, route
    return "/" + path


def test_every_id_route_is_covered():
    routes = _patterns_with_ids()
    assert any("tickets/<int:ticket_id>/" in r for r in routes) and len(routes) >= 12


@pytest.mark.parametrize("persona", ["requester", "client_manager", "l1", "l2"])
def test_another_clients_urls_are_not_found(desk, browse, other_client, persona):
    http = browse(getattr(desk.a, persona))
    for route in _patterns_with_ids():
        url = _url(route, other_client)
        for method in (http.get, http.post):
            status = method(url).status_code
            assert status in (404, 405), (persona, method.__name__, url, status)
            if status == 405:  # POST-only: the POST must be the 404
                assert http.post(url).status_code == 404, (persona, url)
