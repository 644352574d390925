"""The queues: mine, my level, unassigned, breaching soon, pending, recently resolved;
sortable, filterable, saved views (kept in the session) and bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palier.console.forms import QueueFilterForm
from palier.console.views.common import run, staff_required
from palier.tickets import services
from palier.tickets.filters import TicketFilters
from palier.tickets.queues import named_queue

PAGE = 50
EXPORT_ROWS = 10_000  # a CSV export's cap (``views.exports``)
QUEUES = {
    "mine": gettext_lazy("Mine"),
    "level": gettext_lazy("My level"),
    "unassigned": gettext_lazy("Unassigned"),
    "breaching": gettext_lazy("Breaching soon"),
    "pending": gettext_lazy("Pending"),
    "resolved": gettext_lazy("Recently resolved"),
}
SESSION_VIEWS = "palier_saved_views"
# What a queue row shows (``queue_rows``): loading only this halves the page's model building.
ROW_FIELDS = ("number", "title", "status", "priority", "due_at", "resolved_at", "level__code",
              "group__name", "client__name", "assignee__user__full_name",
              "assignee__user__email")


def _filters(form: QueueFilterForm) -> TicketFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return TicketFilters(q=data.get("q") or None,
                         priority=[data["priority"]] if data.get("priority") else None)


def queue_query(user, queue: str, form: QueueFilterForm):
    """The whole queue with the form's filters and sort."""
    sort = form.cleaned_data.get("sort") if form.is_valid() else ""
    return named_queue(user, queue, _filters(form), sort or "")


def queue_tickets(user, queue: str, form: QueueFilterForm) -> list:
    """One page of the queue."""
    return list(queue_query(user, queue, form).only(*ROW_FIELDS)[:PAGE])


@staff_required
def queue(request, name: str = "mine"):
    if name not in QUEUES:
        name = "mine"
    form = QueueFilterForm(request.GET or None)
    tickets = queue_tickets(request.user, name, form)
    context = {"queue": name, "queues": QUEUES, "form": form, "tickets": tickets,
               "saved": request.session.get(SESSION_VIEWS, []),
               "query": request.GET.urlencode(), "export_rows": EXPORT_ROWS}
    template = "console/_queue_rows.html" if request.htmx else "console/queue.html"
    return render(request, template, context)


@staff_required
def save_view(request):
    """Keep the current queue and filters under a name (in the session)."""
    if request.method != "POST":
        return HttpResponseRedirect("/console/")
    name = (request.POST.get("name") or "").strip()[:60]
    target = request.POST.get("target", "/console/")
    if not name or not target.startswith("/console/"):
        messages.error(request, _("Give the view a name."))
        return HttpResponseRedirect(target if target.startswith("/console/") else "/console/")
    saved = [v for v in request.session.get(SESSION_VIEWS, []) if v["name"] != name]
    request.session[SESSION_VIEWS] = [*saved, {"name": name, "url": target}][-20:]
    messages.success(request, _("View saved."))
    return HttpResponseRedirect(target)


@staff_required
def bulk(request):
    """Take or assign-to-me several tickets at once; each is one service call."""
    target = request.POST.get("target", "/console/")
    if not target.startswith("/console/"):
        target = "/console/"
    ids = [int(i) for i in request.POST.getlist("ticket") if i.isdigit()][:PAGE]
    if request.method != "POST" or request.POST.get("action") != "take" or not ids:
        messages.error(request, _("Choose tickets and an action."))
        return HttpResponseRedirect(target)
    done = sum(run(request, lambda pk=pk: services.take(request.user, pk)) for pk in ids)
    messages.success(request, _("%(done)d of %(total)d tickets taken.")
                     % {"done": done, "total": len(ids)})
    return HttpResponseRedirect(target)


def queue_url(name: str, **params) -> str:
    return f"/console/queues/{name}/" + (f"?{urlencode(params)}" if params else "")
