"""Writing articles: create, edit (each save a version), the review workflow, and the draft
an L2/L3 resolution offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from palier.accounts.models import Level, User
from palier.core import clock
from palier.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from palier.knowledge import index
from palier.knowledge.models import Article, ArticleStatus, ArticleVersion, Audience, Language
from palier.knowledge.selectors import access_article, highest_rank
from palier.knowledge.services.checks import (
    check_category,
    check_client,
    check_min_level,
    clean_tags,
    require_staff,
    required,
)
from palier.tickets.models import Handoff, TicketStatus
from palier.tickets.selectors import access_ticket

REVIEWER_LEVEL = "L2"
MOVES = {  # (from, action) → to
    (ArticleStatus.DRAFT, "submit"): ArticleStatus.IN_REVIEW,
    (ArticleStatus.IN_REVIEW, "publish"): ArticleStatus.PUBLISHED,
    (ArticleStatus.IN_REVIEW, "return"): ArticleStatus.DRAFT,
    (ArticleStatus.DRAFT, "retire"): ArticleStatus.RETIRED,
    (ArticleStatus.IN_REVIEW, "retire"): ArticleStatus.RETIRED,
    (ArticleStatus.PUBLISHED, "retire"): ArticleStatus.RETIRED,
}


def create_article(actor: User, *, title: str, body: str, audience: str,
                   min_level_id: int | None = None, client_id: int | None = None,
                   category_id: int | None = None, tags: Iterable[str] = (),
                   language: str | None = None, review_by: dt.date | None = None,
                   source_ticket_id: int | None = None) -> Article:
    """A new draft, version 1, owned by the actor (desk staff only)."""
    require_staff(actor)
    if audience not in Audience.values:
        raise ValidationFailed("The audience is public or internal.",
                               fields={"audience": "invalid"})
    if language not in (None, *Language.values):
        raise ValidationFailed("The language is en or fr.", fields={"language": "invalid"})
    now = clock.now()
    article = Article(
        title=required(title, "title", 200), body=required(body, "body", 100_000),
        audience=audience, client=check_client(actor, client_id),
        min_level=check_min_level(actor, audience, min_level_id),
        category=check_category(category_id), tags=clean_tags(tags),
        language=language or "en", owner=actor, review_by=review_by,
        source_ticket_id=source_ticket_id, created_at=now, updated_at=now)
    with transaction.atomic():
        article.save()
        _version(article, actor, _("Created"))
        index.sync(article)
    return article


def edit_article(actor: User, article_id: int, *, version: int | None = None,
                 title: str | None = None, body: str | None = None,
                 audience: str | None = None, min_level_id: int | None = None,
                 category_id: int | None = None, tags: Iterable[str] | None = None,
                 review_by: dt.date | None = None, note: str = "") -> Article:
    """Change an article: a new version. A published one may be changed by reviewers only."""
    with transaction.atomic():
        article = _lock(actor, article_id, version)
        require_staff(actor)
        if article.status == ArticleStatus.RETIRED:
            raise IllegalTransition(_("A retired article cannot be changed."))
        if article.status == ArticleStatus.PUBLISHED and not is_reviewer(actor):
            raise PermissionDenied(_("Only a reviewer (level 2 or above, or a manager) may "
                                     "change a published article."))
        if title is not None:
            article.title = required(title, "title", 200)
        if body is not None:
            article.body = required(body, "body", 100_000)
        if audience is not None or min_level_id is not None:
            article.audience = audience or article.audience
            if article.audience not in Audience.values:
                raise ValidationFailed("The audience is public or internal.",
                                       fields={"audience": "invalid"})
            article.min_level = check_min_level(actor, article.audience,
                                                min_level_id or article.min_level_id)
        if category_id is not None:
            article.category = check_category(category_id)
        if tags is not None:
            article.tags = clean_tags(tags)
        if review_by is not None:
            article.review_by = review_by
        article.version += 1
        article.updated_at = clock.now()
        article.save()
        _version(article, actor, note)
        index.sync(article)
    return article


def submit_for_review(actor: User, article_id: int, *, version: int | None = None) -> Article:
    return _move(actor, article_id, version, "submit")


def return_to_draft(actor: User, article_id: int, *, version: int | None = None) -> Article:
    """A reviewer sends an article in review back to its author."""
    return _move(actor, article_id, version, "return", reviewer=True)


def publish(actor: User, article_id: int, *, version: int | None = None) -> Article:
    """A reviewer (L2 or above, or a manager) publishes an article in review."""
    return _move(actor, article_id, version, "publish", reviewer=True)


def retire(actor: User, article_id: int, *, version: int | None = None) -> Article:
    """Withdraw an article (its owner or a reviewer); it leaves search and suggestions."""
    return _move(actor, article_id, version, "retire")


def is_reviewer(actor: User) -> bool:
    rank = Level.objects.filter(code=REVIEWER_LEVEL).values_list("rank", flat=True).first()
    return actor.is_manager or highest_rank(actor) >= (rank or 2)


def _move(actor: User, article_id: int, version: int | None, action: str, *,
          reviewer: bool = False) -> Article:
    with transaction.atomic():
        article = _lock(actor, article_id, version)
        require_staff(actor)
        target = MOVES.get((ArticleStatus(article.status), action))
        if target is None:
            raise IllegalTransition(
                _("An article that is %(status)s cannot be %(action)s.")
                % {"status": article.get_status_display().lower(), "action": action + "ed"})
        must_review = reviewer or (action == "retire" and article.owner_id != actor.pk)
        if must_review and not is_reviewer(actor):
            raise PermissionDenied(_("A reviewer must be level 2 or above, or a manager."))
        article.status, article.updated_at = target, clock.now()
        if target == ArticleStatus.PUBLISHED:
            article.published_at, article.published_by = article.updated_at, actor
        article.save()
        index.sync(article)
    return article


def _lock(actor: User, article_id: int, version: int | None) -> Article:
    article = access_article(actor, article_id, for_update=True)
    if version is not None and article.version != version:
        raise Conflict(_("The article was changed by someone else (version %(current)s, you "
                         "had %(yours)s); reload it and try again.")
                       % {"current": article.version, "yours": version})
    return article


def _version(article: Article, actor: User, note: str) -> None:
    ArticleVersion.objects.create(article=article, number=article.version, title=article.title,
                                  body=article.body, note=(note or "")[:300], edited_by=actor,
                                  created_at=article.updated_at)


def draft_from_ticket(actor: User, ticket_id: int) -> Article:
    """"Turn this into an article": a draft prefilled from the handoff(s) and the resolution
    of a ticket resolved at L2 or above, linked to it, usable from level 1 up."""
    require_staff(actor)
    ticket = access_ticket(actor, ticket_id)
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise IllegalTransition(_("%(number)s is not resolved yet.") % {"number": ticket.number})
    if ticket.level.rank < 2:
        raise IllegalTransition(_("Articles are offered for tickets resolved at level 2 or "
                                  "above; %(number)s was resolved at %(level)s.")
                                % {"number": ticket.number, "level": ticket.level.code})
    existing = Article.objects.filter(source_ticket=ticket).exclude(
        status=ArticleStatus.RETIRED).first()
    if existing is not None:
        return access_article(actor, existing.pk)
    lowest = Level.objects.order_by("rank").first()
    return create_article(
        actor, title=ticket.title, body=_draft_body(ticket), audience=Audience.INTERNAL,
        min_level_id=lowest.pk if lowest else None, client_id=ticket.client_id,
        category_id=ticket.category_id, language=ticket.client.language
        if ticket.client.language in Language.values else "en", source_ticket_id=ticket.pk)


def _draft_body(ticket) -> str:
    handoffs = list(Handoff.objects.filter(ticket=ticket).order_by("created_at", "id"))
    parts = [f"## {_('Symptoms')}", ticket.description or ticket.title]
    if handoffs:
        parts += [f"## {_('What was tried')}",
                  *[f"- {h.steps_tried}" for h in handoffs if h.steps_tried]]
        parts += [f"## {_('Diagnosis')}",
                  *[f"{h.summary}\n\n{h.diagnostics}" for h in handoffs]]
    parts += [f"## {_('Resolution')}", ticket.resolution]
    return "\n\n".join(parts)
