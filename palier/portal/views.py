"""The requester portal: open and follow tickets, rate resolutions, read the public KB."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palier.console.errors import message_for
from palier.core.errors import DomainError, NotFound
from palier.idempotency.services import open_ticket_once
from palier.knowledge import selectors as knowledge
from palier.knowledge import services as kb_services
from palier.knowledge.text import render_markdown
from palier.portal.forms import NewTicketForm, RateForm
from palier.tickets import selectors, services
from palier.tickets.models import Satisfaction, TicketStatus

PAGE = 50


def requester_view(view):
    """Signed-in people; anything out of their scope is a 404."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
    return wrapper


@requester_view
def home(request):
    tickets = (selectors.visible_tickets(request.user).select_related("level")
               .order_by("-created_at", "-id")[:PAGE])
    return render(request, "portal/home.html", {"tickets": tickets})


@requester_view
def new_ticket(request):
    form = NewTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = open_ticket_once(
                request.user, form.idempotency_key(), title=data["title"],
                description=data["description"],
                category_id=data["category"].pk if data["category"] else None)
        except DomainError as exc:
            messages.error(request, message_for(exc))
            if exc.code == "idempotency_key_reused":
                form = form.renewed()
        else:
            ticket = opened.ticket
            for upload in [] if opened.replayed else data["attachments"]:
                try:
                    services.add_attachment(request.user, ticket.pk, upload)
                except DomainError as exc:
                    messages.error(request, message_for(exc))
            messages.success(request, _("Your ticket %(number)s was opened.")
                             % {"number": ticket.number})
            return HttpResponseRedirect(f"/portal/tickets/{ticket.pk}/")
    return render(request, "portal/new.html", {"form": form})


@requester_view
def suggest(request):
    """Articles that may answer what is being typed (htmx partial)."""
    typed = f"{request.GET.get('title', '')} {request.GET.get('description', '')}".strip()
    hits = []
    if len(typed) >= 3:
        try:
            hits = knowledge.search(request.user, typed, limit=5).hits
        except DomainError:
            hits = []
    return render(request, "portal/_suggestions.html", {"hits": hits, "typed": typed})


@require_POST
@requester_view
def solved(request, article_id: int):
    """"This solved my problem": counted, and no ticket is opened."""
    try:
        kb_services.deflect(request.user, article_id=article_id,
                            text=request.POST.get("typed", "")[:2000])
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, message_for(exc))
        return HttpResponseRedirect("/portal/new/")
    return render(request, "portal/solved.html",
                  {"article": knowledge.access_article(request.user, article_id)})


@requester_view
def ticket_page(request, ticket_id: int):
    ticket = selectors.access_ticket(request.user, ticket_id)
    rated = Satisfaction.objects.filter(ticket=ticket).first()
    can_rate = (ticket.requester_id == request.user.pk and rated is None
                and ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED))
    return render(request, "portal/ticket.html", {
        "ticket": ticket, "events": selectors.journal(request.user, ticket_id),
        "files": selectors.attachments(request.user, ticket_id), "rated": rated,
        "rate_form": RateForm() if can_rate else None})


@requester_view
def ticket_by_number(request, number: str):
    """Links in mail name the ticket by number (``INC-000123``)."""
    ticket = selectors.access_ticket_by_number(request.user, number)
    return HttpResponseRedirect(f"/portal/tickets/{ticket.pk}/")


@require_POST
@requester_view
def reply(request, ticket_id: int):
    selectors.access_ticket(request.user, ticket_id)  # another client's ticket: 404 first
    try:
        services.add_message(request.user, ticket_id, body=request.POST.get("body", ""))
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, message_for(exc))
    else:
        messages.success(request, _("Your reply was sent."))
    return HttpResponseRedirect(f"/portal/tickets/{ticket_id}/")


@require_POST
@requester_view
def rate(request, ticket_id: int):
    selectors.access_ticket(request.user, ticket_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return HttpResponseRedirect(f"/portal/tickets/{ticket_id}/")
    try:
        services.rate_resolution(request.user, ticket_id, score=form.cleaned_data["score"],
                                 comment=form.cleaned_data["comment"])
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, message_for(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    return HttpResponseRedirect(f"/portal/tickets/{ticket_id}/")


@requester_view
def attachment(request, attachment_id: int):
    item = selectors.access_attachment(request.user, attachment_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name,
                        content_type=item.content_type)


@requester_view
def kb_index(request):
    query = (request.GET.get("q") or "").strip()
    hits, articles = [], []
    if query:
        try:
            hits = knowledge.search(request.user, query, limit=20, audience="public").hits
        except DomainError:
            hits = []
    else:
        articles = (knowledge.visible_articles(request.user)
                    .filter(status="published", audience="public")
                    .order_by("-published_at", "-id")[:PAGE])
    return render(request, "portal/kb.html", {"q": query, "hits": hits, "articles": articles})


@requester_view
def kb_article(request, article_id: int):
    article = knowledge.access_article(request.user, article_id)
    if article.status != "published" or article.audience != "public":
        raise Http404
    return render(request, "portal/article.html",
                  {"article": article, "html": render_markdown(article.body)})
