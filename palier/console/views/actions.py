"""Ticket actions: each parses its form, calls one service, and goes back to the ticket."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palier.console.errors import message_for
from palier.console.forms import EscalateForm
from palier.console.views.common import run, staff_required
from palier.console.views.ticket import ticket_context
from palier.core.errors import DomainError, NotFound, ValidationFailed
from palier.knowledge import services as knowledge
from palier.tickets import services
from palier.tickets.selectors import access_ticket, access_ticket_by_number
from palier.tickets.services import directory


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _simple(name: str, p: dict, user, pk: int, version):
    """The service call for each action that needs only a few fields."""
    calls = {
        "reply": lambda: services.add_message(user, pk, body=p.get("body", ""), version=version),
        "note": lambda: services.add_message(user, pk, body=p.get("body", ""), internal=True,
                                             version=version),
        "take": lambda: services.take(user, pk, version=version),
        "assign": lambda: services.assign(user, pk, _int(p.get("agent")) or 0, version=version),
        "accept": lambda: services.accept(user, pk, version=version),
        "return": lambda: services.return_escalation(user, pk, reason=p.get("reason", ""),
                                                     version=version),
        "de-escalate": lambda: services.de_escalate(
            user, pk, to_level_id=_int(p.get("to_level")) or 0,
            instructions=p.get("instructions", ""), version=version),
        "alert-managers": lambda: services.alert_managers(user, pk, reason=p.get("reason", ""),
                                                          version=version),
        "vendor": lambda: services.engage_vendor(user, pk, vendor=p.get("vendor", ""),
                                                 reference=p.get("reference", ""),
                                                 version=version),
        "pending": lambda: services.set_pending(user, pk, waiting_on=p.get("waiting_on", ""),
                                                version=version),
        "resume": lambda: services.resume(user, pk, version=version),
        "resolve": lambda: _resolve(user, pk, p, version),
        "merge": lambda: _merge(user, pk, p.get("into", ""), version),
    }
    return calls.get(name)


def _resolve(user, pk: int, p: dict, version):
    article = _int(p.get("article"))
    if article:
        return knowledge.resolve_with_article(user, pk, article_id=article,
                                              resolution=p.get("resolution", ""), version=version)
    return services.resolve(user, pk, resolution=p.get("resolution", ""), version=version)


def _merge(user, pk: int, number: str, version):
    """Agents name the original by its number; an unknown one is a form error, not a 404."""
    try:
        original = access_ticket_by_number(user, number.strip())
    except NotFound:
        raise ValidationFailed(f"There is no ticket {number} among those you may see.",
                               code="merge_original_unknown", fields={"into": "unknown"}) from None
    return services.merge(user, pk, into_id=original.pk, version=version)


DONE = {
    "reply": lambda: _("Reply sent."), "note": lambda: _("Note added."),
    "take": lambda: _("You took the ticket."), "assign": lambda: _("Ticket assigned."),
    "accept": lambda: _("Escalation accepted."), "return": lambda: _("Escalation returned."),
    "de-escalate": lambda: _("Ticket de-escalated."),
    "alert-managers": lambda: _("Managers alerted."), "vendor": lambda: _("Vendor engaged."),
    "pending": lambda: _("Ticket set to pending."), "resume": lambda: _("Ticket resumed."),
    "resolve": lambda: _("Ticket resolved."),
    "merge": lambda: _("Ticket merged into the original."),
}


@require_POST
@staff_required
def act(request, ticket_id: int, action: str):
    call = _simple(action, request.POST, request.user, ticket_id,
                   _int(request.POST.get("version")))
    if call is None:
        raise Http404
    access_ticket(request.user, ticket_id)  # out of scope: 404 before any input is judged
    run(request, call, DONE[action]())
    return HttpResponseRedirect(f"/console/tickets/{ticket_id}/")


@require_POST
@staff_required
def escalate(request, ticket_id: int):
    """Escalate with a handoff; an incomplete one comes back with what is missing."""
    ticket = access_ticket(request.user, ticket_id)
    higher = [lv for lv in directory.levels().values() if lv.rank > ticket.level.rank]
    form = EscalateForm(request.POST, levels=higher,
                        required_fields=directory.required_handoff_fields(ticket.category))
    if form.is_valid():
        data = form.cleaned_data
        handoff = services.HandoffInput(
            summary=data["summary"], steps_tried=data["steps_tried"],
            diagnostics=data["diagnostics"], articles_consulted=data["articles_consulted"],
            fields=form.handoff_fields())
        try:
            services.escalate(request.user, ticket_id, to_level_id=data["to_level"],
                              handoff=handoff, version=_int(request.POST.get("version")))
        except ValidationFailed as exc:
            form.mark_missing(exc.fields)
            messages.error(request, message_for(exc))
        except DomainError as exc:
            messages.error(request, message_for(exc))
        else:
            messages.success(request, _("Ticket escalated."))
            return HttpResponseRedirect(f"/console/tickets/{ticket_id}/")
    context = ticket_context(request.user, ticket_id, escalate_form=form)
    context["open_escalate"] = True
    return render(request, "console/ticket.html", context, status=422)


@require_POST
@staff_required
def make_article(request, ticket_id: int):
    """"Make an article": a draft from the resolved ticket, opened for editing."""
    try:
        article = knowledge.draft_from_ticket(request.user, ticket_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, message_for(exc))
        return HttpResponseRedirect(f"/console/tickets/{ticket_id}/")
    messages.success(request, _("A draft article was written from this ticket."))
    return HttpResponseRedirect(f"/console/kb/{article.pk}/")
