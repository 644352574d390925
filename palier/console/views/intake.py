"""Recording a ticket at level 1: a call, a visit or a chat, typed by the agent, with the
articles and similar resolved tickets that may solve it on first contact."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from palier.console.errors import message_for
from palier.console.forms import NewTicketForm
from palier.console.views.common import staff_required
from palier.core.errors import DomainError
from palier.idempotency.services import open_ticket_once
from palier.knowledge import selectors as knowledge
from palier.tickets.selectors import requesters_like, scope_of


@staff_required
def new_ticket(request):
    client_ids = scope_of(request.user).client_ids
    form = NewTicketForm(request.POST or None, client_ids=client_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = open_ticket_once(
                request.user, form.idempotency_key(), title=data["title"],
                description=data["description"], kind=data["kind"],
                category_id=data["category"].pk if data["category"] else None,
                impact=data["impact"] or None, urgency=data["urgency"] or None,
                client_id=data["client"].pk, requester_email=data["requester_email"],
                channel=data["channel"])
        except DomainError as exc:  # the form comes back as typed: nothing is lost
            messages.error(request, message_for(exc))
            for name in set(exc.fields or ()) & set(form.fields):
                form.add_error(name, exc.detail)  # the service's reason, by its field
            if exc.code == "idempotency_key_reused":
                form = form.renewed()
        else:
            ticket = opened.ticket
            messages.success(request, _(
                "%(number)s opened for %(requester)s: %(priority)s, %(level)s · %(group)s.") % {
                "number": ticket.number, "requester": ticket.requester,
                "priority": ticket.get_priority_display(), "level": ticket.level.code,
                "group": ticket.group})
            return HttpResponseRedirect(f"/console/tickets/{ticket.pk}/")
    return render(request, "console/ticket_new.html", {"form": form, "section": "new"})


@require_GET
@staff_required
def new_ticket_suggestions(request):
    """The side panel while the ticket is typed (htmx): articles and similar resolved
    tickets the agent may see, for the chosen client when the agent serves it."""
    typed = f"{request.GET.get('title', '')}\n{request.GET.get('description', '')}".strip()
    client = request.GET.get("client", "")
    client_id = int(client) if client.isdigit() else None
    if client_id not in scope_of(request.user).client_ids:
        client_id = None
    found = None
    if len(typed) >= 3:
        try:
            found = knowledge.suggest(request.user, typed[:2000], client_id=client_id, limit=5)
        except DomainError:
            found = None
    return render(request, "console/_suggestions.html", {"found": found})


@require_GET
@staff_required
def requester_options(request):
    """``<option>``s for the requester field's datalist (htmx): the chosen client's
    requesters matching what is typed."""
    client = request.GET.get("client", "")
    found = requesters_like(request.user, int(client) if client.isdigit() else 0,
                            request.GET.get("requester_email", "")[:254])
    return render(request, "console/_requester_options.html", {"requesters": found})
