"""Articles: draft → in review → published → retired, reviewers, versions and diffs."""

from __future__ import annotations

import pytest

from palier.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from palier.knowledge import selectors, services
from palier.knowledge.models import ArticleStatus, ArticleVersion


def _draft(desk, author=None, **fields):
    fields.setdefault("title", "Reset the VPN")
    fields.setdefault("body", "Step one.\nStep two.")
    fields.setdefault("audience", "internal")
    return services.create_article(author or desk.a.l1, **fields)


def test_workflow_from_draft_to_retired(desk):
    article = _draft(desk)
    assert article.status == ArticleStatus.DRAFT and article.owner == desk.a.l1
    services.submit_for_review(desk.a.l1, article.pk)
    published = services.publish(desk.a.l2, article.pk)
    assert published.status == ArticleStatus.PUBLISHED and published.published_by == desk.a.l2
    assert services.retire(desk.a.l1, article.pk).status == ArticleStatus.RETIRED


def test_only_l2_and_above_or_a_manager_review(desk):
    article = _draft(desk)
    services.submit_for_review(desk.a.l1, article.pk)
    with pytest.raises(PermissionDenied):
        services.publish(desk.a.l1, article.pk)
    assert services.publish(desk.a.manager, article.pk).status == ArticleStatus.PUBLISHED


def test_illegal_moves_are_refused(desk):
    article = _draft(desk)
    with pytest.raises(IllegalTransition):
        services.publish(desk.a.l2, article.pk)  # never reviewed
    services.retire(desk.a.l1, article.pk)
    with pytest.raises(IllegalTransition):
        services.submit_for_review(desk.a.l1, article.pk)
    with pytest.raises(IllegalTransition):
        services.edit_article(desk.a.l1, article.pk, body="again")


def test_requesters_and_other_clients_cannot_write(desk):
    with pytest.raises(PermissionDenied):
        _draft(desk, desk.a.requester)
    article = _draft(desk, client_id=desk.a.client.pk)
    with pytest.raises(NotFound):
        services.edit_article(desk.b.l2, article.pk, body="x")
    with pytest.raises(NotFound):
        _draft(desk, desk.a.l1, client_id=desk.b.client.pk)


def test_an_author_cannot_restrict_above_their_own_level(desk):
    with pytest.raises(PermissionDenied):
        _draft(desk, desk.a.l1, min_level_id=desk.levels["L3"].pk)
    assert _draft(desk, desk.a.l3, min_level_id=desk.levels["L3"].pk).min_level.code == "L3"


def test_bad_input_stores_nothing(desk):
    for fields in ({"title": " "}, {"body": ""}, {"audience": "everyone"},
                   {"category_id": 999999}, {"tags": "vpn"}):
        with pytest.raises(ValidationFailed):
            _draft(desk, **fields)
    assert not selectors.visible_articles(desk.a.manager).exists()


def test_each_edit_is_a_version_with_a_readable_diff(desk):
    article = _draft(desk, body="Step one.\nStep two.")
    services.edit_article(desk.a.l1, article.pk, body="Step one.\nStep 2, carefully.",
                          note="clearer", version=1)
    assert list(ArticleVersion.objects.filter(article=article)
                .values_list("number", flat=True)) == [1, 2]
    diff = selectors.diff(desk.a.l1, article.pk, 1, 2)
    assert "-Step two." in diff and "+Step 2, carefully." in diff
    with pytest.raises(Conflict):
        services.edit_article(desk.a.l1, article.pk, body="stale", version=1)
    with pytest.raises(NotFound):
        selectors.diff(desk.a.l1, article.pk, 1, 9)


def test_published_articles_are_changed_by_reviewers_only(desk):
    article = _draft(desk)
    services.submit_for_review(desk.a.l1, article.pk)
    services.publish(desk.a.l2, article.pk)
    with pytest.raises(PermissionDenied):
        services.edit_article(desk.a.l1, article.pk, body="L1 change")
    edited = services.edit_article(desk.a.l2, article.pk, body="L2 change")
    assert edited.status == ArticleStatus.PUBLISHED and edited.version == 2


def test_stale_articles_are_listed_for_staff(desk, publish, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    old = publish(desk.a.l2, title="Old", review_by=dt.date(2026, 2, 1))
    publish(desk.a.l2, title="Fresh", review_by=dt.date(2026, 6, 1))
    assert list(selectors.stale_articles(desk.a.l1)) == [old]
    assert not selectors.stale_articles(desk.a.requester).exists()
