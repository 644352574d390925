"""/api/v1/articles, /knowledge/search, /knowledge/suggestions: the knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from palier.api.idempotent import idempotent
from palier.api.schemas import Error, Id, Strict, TicketOut, VersionIn
from palier.knowledge import selectors, services
from palier.knowledge.text import render_markdown

router = Router(tags=["knowledge"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
AudienceName = Literal["public", "internal"]


class ArticleOut(Schema):
    id: int
    title: str
    body: str
    html: str
    audience: str
    min_level: str | None
    client_id: int | None
    category_id: int | None
    tags: list[str]
    language: str
    status: str
    owner_id: int
    review_by: dt.date | None
    source_ticket_id: int | None
    version: int
    updated_at: dt.datetime
    published_at: dt.datetime | None

    @staticmethod
    def resolve_html(obj) -> str:
        return render_markdown(obj.body)

    @staticmethod
    def resolve_min_level(obj) -> str | None:
        return obj.min_level.code if obj.min_level_id else None


class ArticleIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=100_000)
    audience: AudienceName
    min_level: Id | None = None
    client: Id | None = None
    category: Id | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    language: Literal["en", "fr"] | None = None
    review_by: dt.date | None = None


class ArticlePatch(VersionIn):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=100_000)
    audience: AudienceName | None = None
    min_level: Id | None = None
    category: Id | None = None
    tags: list[str] | None = Field(default=None, max_length=20)
    review_by: dt.date | None = None
    note: str = Field(default="", max_length=300)


class VersionOut(Schema):
    number: int
    title: str
    note: str
    edited_by_id: int | None
    created_at: dt.datetime


class HitOut(Schema):
    article: ArticleOut
    score: float
    snippet: str


class SearchOut(Schema):
    query: str
    mode: str
    reason: str
    hits: list[HitOut]


class SimilarTicketOut(Schema):
    id: int
    number: str
    title: str
    score: float
    resolution: str


class SuggestionsOut(Schema):
    mode: str
    reason: str
    articles: list[HitOut]
    tickets: list[SimilarTicketOut]


class SuggestIn(Strict):
    text: str = Field(min_length=1, max_length=20000)
    client: Id | None = None
    limit: int = Field(default=5, ge=1, le=20)


class StatsOut(Schema):
    uses: int
    helpful: int
    unhelpful: int
    deflections: int
    resolved_by_level: dict[str, int]


class VoteIn(Strict):
    helpful: bool


class DeflectIn(Strict):
    text: str = Field(default="", max_length=20000)
    ticket: Id | None = None


class UseIn(Strict):
    ticket: Id | None = None


class ResolveWithArticleIn(VersionIn):
    article: Id
    resolution: str | None = Field(default=None, max_length=20000)


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=1000)
    limit: int = Field(default=10, ge=1, le=50)
    category: Id | None = None
    audience: AudienceName | None = None
    client: Id | None = None
    level: Id | None = None


class ListQuery(Schema):
    status: Literal["draft", "in_review", "published", "retired"] | None = None
    stale: bool = False


@router.get("/articles", response={200: list[ArticleOut], **ERRORS})
def list_articles(request: HttpRequest, filters: Query[ListQuery]):
    if filters.stale:
        return selectors.stale_articles(request.auth)
    articles = selectors.visible_articles(request.auth).select_related("min_level")
    if filters.status:
        articles = articles.filter(status=filters.status)
    return articles.order_by("-updated_at", "-id")[:200]


@router.post("/articles", response={201: ArticleOut, **ERRORS})
def create_article(request: HttpRequest, data: ArticleIn):
    return Status(201, services.create_article(
        request.auth, title=data.title, body=data.body, audience=data.audience,
        min_level_id=data.min_level, client_id=data.client, category_id=data.category,
        tags=data.tags, language=data.language, review_by=data.review_by))


@router.get("/articles/{article_id}", response={200: ArticleOut, **ERRORS})
def get_article(request: HttpRequest, article_id: Id):
    return selectors.access_article(request.auth, article_id)


@router.patch("/articles/{article_id}", response={200: ArticleOut, **ERRORS})
def edit_article(request: HttpRequest, article_id: Id, data: ArticlePatch):
    return services.edit_article(
        request.auth, article_id, version=data.version, title=data.title, body=data.body,
        audience=data.audience, min_level_id=data.min_level, category_id=data.category,
        tags=data.tags, review_by=data.review_by, note=data.note)


@router.get("/articles/{article_id}/versions", response={200: list[VersionOut], **ERRORS})
def list_versions(request: HttpRequest, article_id: Id):
    return selectors.versions(request.auth, article_id)


@router.get("/articles/{article_id}/diff", response={200: str, **ERRORS})
def diff(request: HttpRequest, article_id: Id,
         old: int = Query(..., alias="from", ge=1, le=2**63 - 1),
         new: int = Query(..., alias="to", ge=1, le=2**63 - 1)):
    return selectors.diff(request.auth, article_id, old, new)


@router.get("/articles/{article_id}/stats", response={200: StatsOut, **ERRORS})
def stats(request: HttpRequest, article_id: Id):
    return selectors.stats(request.auth, article_id)


@router.post("/articles/{article_id}/submit", response={200: ArticleOut, **ERRORS})
def submit(request: HttpRequest, article_id: Id, data: VersionIn | None = None):
    return services.submit_for_review(request.auth, article_id, version=data and data.version)


@router.post("/articles/{article_id}/publish", response={200: ArticleOut, **ERRORS})
def publish(request: HttpRequest, article_id: Id, data: VersionIn | None = None):
    """A reviewer (level 2 or above, or a manager) publishes an article in review."""
    return services.publish(request.auth, article_id, version=data and data.version)


@router.post("/articles/{article_id}/return", response={200: ArticleOut, **ERRORS})
def return_to_draft(request: HttpRequest, article_id: Id, data: VersionIn | None = None):
    return services.return_to_draft(request.auth, article_id, version=data and data.version)


@router.post("/articles/{article_id}/retire", response={200: ArticleOut, **ERRORS})
def retire(request: HttpRequest, article_id: Id, data: VersionIn | None = None):
    return services.retire(request.auth, article_id, version=data and data.version)


@router.post("/articles/{article_id}/vote", response={200: StatsOut, **ERRORS})
def vote(request: HttpRequest, article_id: Id, data: VoteIn):
    services.vote(request.auth, article_id, helpful=data.helpful)
    return selectors.stats(request.auth, article_id)


@router.post("/articles/{article_id}/deflect", response={201: StatsOut, **ERRORS})
def deflect(request: HttpRequest, article_id: Id, data: DeflectIn):
    """The article solved the requester's problem: no ticket (or their ticket is closed)."""
    services.deflect(request.auth, article_id=article_id, text=data.text, ticket_id=data.ticket)
    return Status(201, selectors.stats(request.auth, article_id))


@router.post("/articles/{article_id}/uses", response={201: StatsOut, **ERRORS})
def record_use(request: HttpRequest, article_id: Id, data: UseIn):
    services.record_use(request.auth, article_id, ticket_id=data.ticket)
    return Status(201, selectors.stats(request.auth, article_id))


@router.get("/knowledge/search", response={200: SearchOut, **ERRORS})
def search(request: HttpRequest, params: Query[SearchQuery]):
    return selectors.search(request.auth, params.q, limit=params.limit,
                            category_id=params.category, audience=params.audience,
                            client_id=params.client, level_id=params.level)


@router.post("/knowledge/suggestions", response={200: SuggestionsOut, **ERRORS})
def suggestions(request: HttpRequest, data: SuggestIn):
    found = selectors.suggest(request.auth, data.text, client_id=data.client, limit=data.limit)
    return {"mode": found.mode, "reason": found.reason, "articles": found.articles,
            "tickets": [{"id": s.ticket.pk, "number": s.ticket.number, "title": s.ticket.title,
                         "score": s.score, "resolution": s.resolution} for s in found.tickets]}


@router.post("/tickets/{ticket_id}/resolve-with-article", response={200: TicketOut, **ERRORS})
@idempotent
def resolve_with_article(request: HttpRequest, ticket_id: Id, data: ResolveWithArticleIn):
    return services.resolve_with_article(request.auth, ticket_id, article_id=data.article,
                                         resolution=data.resolution, version=data.version)


@router.post("/tickets/{ticket_id}/article-draft", response={201: ArticleOut, **ERRORS})
@idempotent
def draft_from_ticket(request: HttpRequest, ticket_id: Id):
    """"Turn this into an article": a draft from the ticket's handoffs and resolution."""
    return Status(201, services.draft_from_ticket(request.auth, ticket_id))
