"""The feedback loop: articles that resolve tickets, deflect them, and get voted on.

Journal: resolving with an article is one action and writes one event, the ticket's
``resolved`` event, whose data names the article (``article``); using an article on a
ticket without resolving it writes one ``article_linked`` event.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import IllegalTransition, NotFound, PermissionDenied
from palier.knowledge.models import Article, ArticleStatus, ArticleUse, ArticleVote, UseKind
from palier.knowledge.selectors import access_article
from palier.tickets import services as tickets
from palier.tickets.models import EventKind, Ticket
from palier.tickets.selectors import access_ticket
from palier.tickets.services.base import lock, record, save


def _usable(actor: User, article_id: int, ticket: Ticket | None = None) -> Article:
    """A published article the actor may see (and, for a ticket, of its client or shared)."""
    article = access_article(actor, article_id)
    if article.status != ArticleStatus.PUBLISHED:
        raise IllegalTransition(_("Only a published article can be used."))
    if ticket is not None and article.client_id not in (None, ticket.client_id):
        raise NotFound(f"Article {article_id} was not found.")
    return article


def _count(article: Article, kind: str, actor: User | None, *, ticket: Ticket | None = None,
           text: str = "") -> ArticleUse:
    Article.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)
    return ArticleUse.objects.create(
        article=article, kind=kind, ticket=ticket, level_id=ticket.level_id if ticket else None,
        actor=actor, text=text[:2000], created_at=clock.now())


def resolve_with_article(actor: User, ticket_id: int, *, article_id: int,
                         resolution: str | None = None, version: int | None = None) -> Ticket:
    """Resolve the ticket as ``tickets.services.resolve`` does, recording "solved with"."""
    with transaction.atomic():
        article = _usable(actor, article_id, access_ticket(actor, ticket_id))
        text = (resolution or "").strip() or _("Solved with the article “%(title)s”.") % {
            "title": article.title}
        ticket = tickets.resolve(actor, ticket_id, resolution=text, version=version,
                                 article_id=article.pk)
        _count(article, UseKind.RESOLVED, actor, ticket=ticket)
    return ticket


def record_use(actor: User, article_id: int, *, ticket_id: int | None = None) -> ArticleUse:
    """An agent used the article (on a ticket: journaled as ``article_linked``)."""
    with transaction.atomic():
        access_article(actor, article_id)  # another client's article: not found
        if not actor.is_desk_staff:
            raise PermissionDenied(_("Only desk staff record article uses."))
        if ticket_id is None:
            return _count(_usable(actor, article_id), UseKind.LINKED, actor)
        ticket = lock(actor, ticket_id, None, work=False)
        article = _usable(actor, article_id, ticket)
        save(ticket)
        record(ticket, EventKind.ARTICLE_LINKED, actor, body=article.title,
               article=article.pk, level=ticket.level.code)
        return _count(article, UseKind.LINKED, actor, ticket=ticket)


def deflect(actor: User, *, article_id: int, text: str = "",
            ticket_id: int | None = None) -> ArticleUse:
    """A requester says the article solved their problem: counted, and no ticket is opened;
    with ``ticket_id``, their open ticket is resolved with the article and closed."""
    with transaction.atomic():
        if ticket_id is None:
            return _count(_usable(actor, article_id), UseKind.DEFLECTED, actor, text=text)
        ticket = access_ticket(actor, ticket_id)
        if actor.is_desk_staff or not ticket.is_active:
            raise IllegalTransition(_("Only the requester closes their own open ticket this way."))
        article = _usable(actor, article_id, ticket)
        note = _("%(who)s says the article “%(title)s” solved the problem.") % {
            "who": actor, "title": article.title}
        # The requester may not resolve; the desk's system resolves on their word, then the
        # requester closes: two journal events for two state changes.
        tickets.resolve(None, ticket.pk, resolution=note, article_id=article.pk)
        closed = tickets.close(actor, ticket.pk)
        return _count(article, UseKind.CLOSED, actor, ticket=closed, text=text)


def vote(actor: User, article_id: int, *, helpful: bool) -> Article:
    """One vote per person and article; voting again changes it."""
    with transaction.atomic():
        article = _usable(actor, article_id)
        Article.objects.select_for_update().filter(pk=article.pk).first()
        previous = ArticleVote.objects.filter(article=article, voter=actor).first()
        if previous is not None and previous.helpful == helpful:
            return article
        counters = {"helpful_count": F("helpful_count") + (1 if helpful else 0),
                    "unhelpful_count": F("unhelpful_count") + (0 if helpful else 1)}
        if previous is not None:
            gone = "unhelpful_count" if helpful else "helpful_count"
            counters[gone] = F(gone) - 1
            ArticleVote.objects.filter(pk=previous.pk).update(helpful=helpful,
                                                             created_at=clock.now())
        else:
            ArticleVote.objects.create(article=article, voter=actor, helpful=helpful,
                                       created_at=clock.now())
        Article.objects.filter(pk=article.pk).update(**counters)
        article.refresh_from_db()
    return article


__all__ = ["deflect", "record_use", "resolve_with_article", "vote"]
