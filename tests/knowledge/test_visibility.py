"""The core rule: an L1 agent never sees an internal article restricted to L2+, a requester
sees only published public articles of their client or shared ones, nobody crosses clients."""

from __future__ import annotations

import pytest

from palier.core.errors import NotFound
from palier.knowledge import selectors


@pytest.fixture
def articles(desk, publish):
    a = desk.a
    return {
        "l2_only": publish(a.l2, title="Rebuild the IKE cache", audience="internal",
                           min_level_id=desk.levels["L2"].pk,
                           body="Internal VPN procedure for level two."),
        "l1_internal": publish(a.l2, title="VPN first checks", audience="internal",
                               min_level_id=desk.levels["L1"].pk,
                               body="Level one VPN checklist."),
        "public_shared": publish(a.l2, title="Connect to the VPN", audience="public",
                                 body="Open the VPN app and sign in."),
        "public_a": publish(a.l2, title="Acme VPN portal", audience="public",
                            client_id=a.client.pk, body="Acme VPN address and steps."),
        "public_b": publish(desk.b.l2, desk.b.manager, title="Durand VPN portal",
                            audience="public", client_id=desk.b.client.pk,
                            body="Durand VPN address and steps."),
    }


def _titles(hits) -> set[str]:
    return {hit.article.title for hit in hits}


def test_l1_never_sees_or_gets_an_l2_internal_article(desk, articles):
    l1 = desk.a.l1
    assert articles["l2_only"] not in selectors.visible_articles(l1)
    with pytest.raises(NotFound):
        selectors.access_article(l1, articles["l2_only"].pk)
    assert "Rebuild the IKE cache" not in _titles(selectors.search(l1, "IKE cache VPN").hits)
    assert "Rebuild the IKE cache" not in _titles(
        selectors.suggest(l1, "VPN IKE cache problem").articles)
    assert "VPN first checks" in _titles(selectors.search(l1, "VPN checklist").hits)


def test_l2_and_manager_see_the_l2_article(desk, articles):
    for actor in (desk.a.l2, desk.a.l3, desk.a.manager):
        assert "Rebuild the IKE cache" in _titles(selectors.search(actor, "IKE cache").hits)


def test_requester_sees_public_articles_of_their_client_and_shared_only(desk, articles):
    seen = _titles(selectors.search(desk.a.requester, "VPN", limit=20).hits)
    assert seen == {"Connect to the VPN", "Acme VPN portal"}
    assert set(selectors.visible_articles(desk.a.requester)) == {
        articles["public_shared"], articles["public_a"]}
    suggested = _titles(selectors.suggest(desk.a.requester, "VPN portal steps").articles)
    assert suggested <= {"Connect to the VPN", "Acme VPN portal"}
    with pytest.raises(NotFound):
        selectors.access_article(desk.a.requester, articles["l1_internal"].pk)


def test_no_one_sees_another_clients_article(desk, articles):
    for actor in (desk.a.requester, desk.a.l1, desk.a.l2, desk.a.manager):
        assert "Durand VPN portal" not in _titles(selectors.search(actor, "Durand VPN").hits)
        with pytest.raises(NotFound):
            selectors.access_article(actor, articles["public_b"].pk)
    with pytest.raises(NotFound):
        selectors.search(desk.a.l2, "VPN", client_id=desk.b.client.pk)


def test_drafts_are_never_searched_nor_seen_by_requesters(desk, articles):
    from palier.knowledge import services

    draft = services.create_article(desk.a.l2, title="VPN draft", body="VPN draft text",
                                    audience="public")
    assert draft not in selectors.visible_articles(desk.a.requester)
    assert draft in selectors.visible_articles(desk.a.l1)
    assert "VPN draft" not in _titles(selectors.search(desk.a.l2, "VPN draft", limit=20).hits)


def test_filters_by_audience_category_and_level(desk, articles):
    l2 = desk.a.l2
    assert _titles(selectors.search(l2, "VPN", audience="public", limit=20).hits) == {
        "Connect to the VPN", "Acme VPN portal"}
    internal = _titles(selectors.search(l2, "VPN", audience="internal", limit=20).hits)
    assert internal == {"Rebuild the IKE cache", "VPN first checks"}
    at_l1 = _titles(selectors.search(l2, "VPN", level_id=desk.levels["L1"].pk, limit=20).hits)
    assert "Rebuild the IKE cache" not in at_l1
    assert selectors.search(l2, "VPN", category_id=desk.categories["vpn"].pk).hits == []


def test_full_text_finds_visible_articles_behind_many_better_hidden_ones(desk, publish):
    """SQLite checks visibility on the best matches first; hidden ones outranking every
    visible article must neither leak nor crowd it out."""
    a = desk.a
    for n in range(6):
        publish(a.l2, title=f"Printer spooler jam fix {n}", audience="internal",
                min_level_id=desk.levels["L2"].pk, body="Printer spooler jam printer spooler.")
    public = publish(a.l2, title="Office equipment", audience="public",
                     body="When the printer stops, call the desk.")
    found = selectors.search(a.requester, "printer spooler jam", limit=1, mode="full_text")
    assert [hit.article for hit in found.hits] == [public]
    l1 = selectors.search(a.l1, "printer spooler jam", limit=2, mode="full_text")
    assert [hit.article for hit in l1.hits] == [public]
