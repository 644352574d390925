"""Knowledge base pages of the console: search, read, and move an article through review."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palier.console.views.common import run, staff_required
from palier.core.errors import DomainError
from palier.knowledge import selectors, services
from palier.knowledge.text import render_markdown

PAGE = 50


@staff_required
def kb_index(request):
    query = (request.GET.get("q") or "").strip()
    result, error = None, ""
    if query:
        try:
            result = selectors.search(request.user, query, limit=20)
        except DomainError as exc:
            error = exc.detail
    recent = list(selectors.visible_articles(request.user).select_related("owner")
                  .order_by("-updated_at", "-id")[:PAGE]) if not query else []
    stale = list(selectors.stale_articles(request.user)[:10])
    return render(request, "console/kb_index.html", {"q": query, "result": result,
                                                     "error": error, "recent": recent,
                                                     "stale": stale})


@staff_required
def kb_article(request, article_id: int):
    article = selectors.access_article(request.user, article_id)
    return render(request, "console/kb_article.html", {
        "article": article, "html": render_markdown(article.body),
        "reviewer": services.articles.is_reviewer(request.user)})


WORKFLOW = {
    "submit": (services.submit_for_review, lambda: _("Article sent for review.")),
    "publish": (services.publish, lambda: _("Article published.")),
    "retire": (services.retire, lambda: _("Article retired.")),
}


@require_POST
@staff_required
def kb_move(request, article_id: int, step: str):
    if step not in WORKFLOW:
        raise Http404
    call, done = WORKFLOW[step]
    version = request.POST.get("version")
    run(request, lambda: call(request.user, article_id,
                              version=int(version) if (version or "").isdigit() else None),
        done())
    return HttpResponseRedirect(f"/console/kb/{article_id}/")
