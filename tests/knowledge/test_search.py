"""Full-text search: English and French stemming, snippets, and the model-absent fallback."""

from __future__ import annotations

from palier.knowledge import selectors


def test_english_stemming_matches_other_word_forms(desk, publish):
    publish(desk.a.l2, title="Resetting passwords", body="How the desk resets a password.")
    hits = selectors.search(desk.a.l1, "password reset").hits
    assert [h.article.title for h in hits] == ["Resetting passwords"]


def test_french_stemming_and_accents(desk, publish):
    publish(desk.a.l2, title="Réinitialisation du mot de passe", language="fr",
            body="Les imprimantes réseau se réinitialisent depuis la console.")
    hits = selectors.search(desk.a.l1, "reinitialiser imprimante").hits
    assert [h.article.title for h in hits] == ["Réinitialisation du mot de passe"]


def test_snippets_highlight_the_query_words_and_are_html_safe(desk, publish):
    publish(desk.a.l2, title="Printer", body="Open <b>the</b> spooler, then restart the printer.")
    hit = selectors.search(desk.a.l1, "restart printer").hits[0]
    assert "<mark>restart</mark>" in hit.snippet and "<mark>printer.</mark>" in hit.snippet
    assert "<b>" not in hit.snippet


def test_title_matches_rank_above_body_mentions(desk, publish):
    publish(desk.a.l2, title="Mailbox quota", body="Archive old mail to free space.")
    publish(desk.a.l2, title="Shared calendars", body="A calendar lives in a mailbox quota.")
    hits = selectors.search(desk.a.l1, "mailbox quota").hits
    assert hits[0].article.title == "Mailbox quota"


def test_without_the_model_search_says_it_runs_on_full_text(desk, publish):
    publish(desk.a.l2)
    result = selectors.search(desk.a.l1, "VPN")
    assert result.mode == "full_text"
    assert "PALIER_KB_MODEL=off" in result.reason
    assert result.hits


def test_retired_articles_leave_the_index(desk, publish):
    from palier.knowledge import services

    article = publish(desk.a.l2, title="Old VPN client")
    services.retire(desk.a.l2, article.pk)
    assert selectors.search(desk.a.l1, "VPN client").hits == []


def test_bad_queries_are_refused(desk):
    import pytest

    from palier.core.errors import ValidationFailed

    for kwargs in ({"query": "  "}, {"query": "vpn", "limit": 0},
                   {"query": "vpn", "audience": "all"}, {"query": "vpn", "mode": "magic"}):
        with pytest.raises(ValidationFailed):
            selectors.search(desk.a.l1, **kwargs)


def test_an_edited_article_is_found_by_its_new_words_only(desk, publish,
                                                          django_capture_on_commit_callbacks):
    from palier.knowledge import services

    article = publish(desk.a.l2, title="Printer jam", body="Open the tray.")
    assert selectors.search(desk.a.l1, "printer").hits  # loads this process's index
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_article(desk.a.l2, article.pk, title="Scanner jam",
                              body="Open the scanner lid.")
    assert selectors.search(desk.a.l1, "printer tray").hits == []
    assert [h.article.pk for h in selectors.search(desk.a.l1, "scanner lid").hits] == [
        article.pk]
