"""/articles and /knowledge: every endpoint × every persona of both clients gets exactly the
expected status; refusals change nothing; another client's article is simply not found."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from palier.knowledge import services
from palier.knowledge.models import Article, ArticleUse, ArticleVersion, ArticleVote
from palier.tickets import services as tickets
from tests.api.conftest import api  # noqa: F401
from tests.factories import accepted, taken

PERSONAS = ["requester", "l1", "l2", "l3", "manager"]
STAFF = ["l1", "l2", "l3", "manager"]


@pytest.fixture(autouse=True)
def _no_model(settings):
    settings.PALIER_KB_MODEL = "off"


def _article(desk, status="published", audience="public", level="L1"):
    article = services.create_article(desk.a.l2, title="VPN drops", body="Restart the VPN.",
                                      audience=audience, client_id=desk.a.client.pk,
                                      min_level_id=desk.levels[level].pk)
    if status in ("in_review", "published"):
        services.submit_for_review(desk.a.l2, article.pk)
    if status == "published":
        services.publish(desk.a.manager, article.pk)
    return article


@dataclass
class Case:
    method: str
    path: str
    expected: dict[str, int]
    setup: object = _article
    body: object = field(default_factory=dict)


def only(allowed: dict[str, int], refused: int = 403) -> dict[str, int]:
    return {p: allowed.get(p, refused) for p in PERSONAS}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


CASES = {
    "read-public": Case("get", "/articles/{id}", everyone(200)),
    "read-internal-l2": Case("get", "/articles/{id}", only(
        {"l2": 200, "l3": 200, "manager": 200}, 404),
        setup=lambda d: _article(d, audience="internal", level="L2")),
    "read-draft": Case("get", "/articles/{id}", only({p: 200 for p in STAFF}, 404),
                       setup=lambda d: _article(d, status="draft")),
    "versions": Case("get", "/articles/{id}/versions", everyone(200)),
    "diff": Case("get", "/articles/{id}/diff?from=1&to=1", everyone(200)),
    "stats": Case("get", "/articles/{id}/stats", everyone(200)),
    "edit-published": Case("patch", "/articles/{id}", only(
        {"l2": 200, "l3": 200, "manager": 200}), body={"body": "Restart it twice."}),
    "submit": Case("post", "/articles/{id}/submit", only({p: 200 for p in STAFF}, 404),
                   setup=lambda d: _article(d, status="draft")),
    "publish": Case("post", "/articles/{id}/publish", only(
        {"l2": 200, "l3": 200, "manager": 200}, 403) | {"requester": 404},
        setup=lambda d: _article(d, status="in_review")),
    "retire": Case("post", "/articles/{id}/retire", only(
        {"l2": 200, "l3": 200, "manager": 200})),
    "vote": Case("post", "/articles/{id}/vote", everyone(200), body={"helpful": True}),
    "deflect": Case("post", "/articles/{id}/deflect", everyone(201), body={"text": "vpn"}),
    "use": Case("post", "/articles/{id}/uses", only({p: 201 for p in STAFF})),
}


def _snapshot(article_id: int) -> tuple:
    row = Article.objects.filter(pk=article_id).values().get()
    return (row, ArticleVersion.objects.filter(article_id=article_id).count(),
            ArticleUse.objects.filter(article_id=article_id).count(),
            ArticleVote.objects.filter(article_id=article_id).count())


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_persona_gets_the_expected_status(desk, api, name):  # noqa: F811
    case = CASES[name]
    wrong = {}
    for side in ("a", "b"):
        for persona in PERSONAS:
            article = case.setup(desk)
            before = _snapshot(article.pk)
            response = api(getattr(getattr(desk, side), persona)).call(
                case.method, case.path.format(id=article.pk), case.body)
            expected = case.expected[persona] if side == "a" else 404
            if response.status_code != expected:
                wrong[f"{side}.{persona}"] = (response.status_code, expected)
            if response.status_code >= 400:
                assert _snapshot(article.pk) == before, f"{side}.{persona} changed {name}"
                assert set(response.json()) >= {"code", "detail"}
    anonymous = api().call(case.method, case.path.format(id=1), case.body)
    if anonymous.status_code != 401:
        wrong["anonymous"] = (anonymous.status_code, 401)
    assert not wrong, f"{name}: (got, expected) {wrong}"


def test_search_and_suggestions_respect_levels_and_clients(desk, api):  # noqa: F811
    _article(desk, audience="internal", level="L2")
    _article(desk, audience="public")
    counts = {}
    for side in ("a", "b"):
        for persona in PERSONAS:
            client = api(getattr(getattr(desk, side), persona))
            found = client.get("/knowledge/search", data={"q": "VPN drops"}).json()
            suggested = client.post("/knowledge/suggestions", {"text": "my VPN drops"}).json()
            counts[f"{side}.{persona}"] = (len(found["hits"]), len(suggested["articles"]))
            assert found["mode"] == "full_text" and found["reason"]
    assert counts == {"a.requester": (1, 1), "a.l1": (1, 1), "a.l2": (2, 2), "a.l3": (2, 2),
                      "a.manager": (2, 2), **{f"b.{p}": (0, 0) for p in PERSONAS}}
    other = api(desk.b.l2).get("/knowledge/search",
                               data={"q": "VPN", "client": desk.a.client.pk})
    assert other.status_code == 404


def test_create_article_validates_and_is_staff_only(desk, api):  # noqa: F811
    body = {"title": "New", "body": "Text", "audience": "internal"}
    assert api(desk.a.requester).post("/articles", body).status_code == 403
    assert api(desk.a.l1).post("/articles", body).status_code == 201
    bad = api(desk.a.l1).post("/articles", {**body, "audience": "all", "extra": 1})
    assert bad.status_code == 422 and "audience" in bad.json()["fields"]
    cross = api(desk.b.l1).post("/articles", {**body, "client": desk.a.client.pk})
    assert cross.status_code == 404
    assert api(desk.a.l1).get("/knowledge/search", data={"q": ""}).status_code == 422


def test_resolve_with_article_and_draft_from_ticket(desk, api):  # noqa: F811
    article = _article(desk)
    ticket = taken(desk, desk.a)
    assert api(desk.b.l1).post(f"/tickets/{ticket.pk}/resolve-with-article",
                               {"article": article.pk}).status_code == 404
    assert api(desk.a.requester).post(f"/tickets/{ticket.pk}/resolve-with-article",
                                      {"article": article.pk}).status_code == 403
    done = api(desk.a.l1).post(f"/tickets/{ticket.pk}/resolve-with-article",
                               {"article": article.pk})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    at_l2 = accepted(desk, desk.a)
    tickets.resolve(desk.a.l2, at_l2.pk, resolution="MTU 1400")
    assert api(desk.b.l2).post(f"/tickets/{at_l2.pk}/article-draft").status_code == 404
    assert api(desk.a.requester).post(f"/tickets/{at_l2.pk}/article-draft").status_code == 403
    draft = api(desk.a.l2).post(f"/tickets/{at_l2.pk}/article-draft")
    assert draft.status_code == 201 and "MTU 1400" in draft.json()["body"]
