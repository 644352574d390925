"""Problem pages of the console: the list, one problem, the candidate clusters, and each
action as one POST calling one problem service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palier.console.problem_forms import (
    ClusterProblemForm,
    KnownErrorForm,
    LinkIncidentForm,
    NewProblemForm,
    NoteForm,
    ProblemFilterForm,
    ResolveProblemForm,
    UpdateProblemForm,
)
from palier.console.views.common import staff_required
from palier.core.errors import DomainError, NotFound
from palier.problems import selectors, services
from palier.problems.models import ProblemStatus
from palier.tickets.selectors import access_ticket, access_ticket_by_number

PAGE = 50


@staff_required
def problem_list(request):
    form = ProblemFilterForm(request.GET or None)
    valid = form.is_valid()
    page = (valid and form.cleaned_data.get("page")) or 1
    problems = list(selectors.problem_list(
        request.user, status=(valid and form.cleaned_data.get("status")) or None,
        known_error=form.known_error_value() if valid else None,
    )[(page - 1) * PAGE:page * PAGE + 1])  # one more than a page: is there a next one?
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/problems.html", {
        "section": "problems", "form": form, "problems": problems[:PAGE], "page": page,
        "more": len(problems) > PAGE, "query": query.urlencode(), "new_form": NewProblemForm()})


@staff_required
def problem_page(request, problem_id: int):
    found = selectors.problem_page(request.user, problem_id)
    return render(request, "console/problem.html", {
        "section": "problems", "problem": found.problem, "incidents": found.incidents,
        "notes": found.notes, "resolved": found.problem.status == ProblemStatus.RESOLVED})


@staff_required
def candidates(request):
    """Clusters of similar recent incidents no problem links yet: problems to open."""
    return render(request, "console/problem_candidates.html", {
        "section": "problems", "clusters": selectors.clusters(request.user)})


@require_POST
@staff_required
def create(request):
    """A new problem, from a ticket page (linking that incident) or from the list."""
    form = NewProblemForm(request.POST)
    ticket_id = _int(request.POST.get("ticket"))
    back = "/console/problems/"
    if ticket_id:
        access_ticket(request.user, ticket_id)  # out of scope: 404 before any input is judged
        back = f"/console/tickets/{ticket_id}/"
    if not form.is_valid():
        _form_errors(request, form)
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    problem = _call(request, lambda: services.create_problem(
        request.user, title=data["title"], description=data["description"],
        ticket_ids=[ticket_id] if ticket_id else []), _("Problem opened."))
    return HttpResponseRedirect(f"/console/problems/{problem.pk}/" if problem else back)


@require_POST
@staff_required
def create_from_cluster(request):
    form = ClusterProblemForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return HttpResponseRedirect("/console/problems/candidates/")
    problem = _call(request, lambda: services.create_from_cluster(
        request.user, form.ticket_ids(), title=form.cleaned_data["title"] or None),
        _("Problem opened from the cluster."))
    return HttpResponseRedirect(f"/console/problems/{problem.pk}/" if problem
                                else "/console/problems/candidates/")


@require_POST
@staff_required
def act(request, problem_id: int, action: str):
    """One action on the problem: parse its form, call its service, back to the page."""
    if action not in ACTIONS:
        raise Http404
    selectors.access_problem(request.user, problem_id)  # out of scope: 404 first
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        version = _int(request.POST.get("version"))
        _call(request, lambda: call(request.user, problem_id, form.cleaned_data, version),
              done())
    else:
        _form_errors(request, form)
    return HttpResponseRedirect(f"/console/problems/{problem_id}/")


def _link(user, problem_id: int, data: dict, version):
    ticket = data["ticket"]
    if isinstance(ticket, str):
        ticket = access_ticket_by_number(user, ticket).pk
    return services.link_incident(user, problem_id, ticket)


def _unlink(user, problem_id: int, data: dict, version):
    ticket = data["ticket"]
    if isinstance(ticket, str):
        ticket = access_ticket_by_number(user, ticket).pk
    return services.unlink_incident(user, problem_id, ticket)


def _update(user, problem_id: int, data: dict, version):
    return services.update(user, problem_id, version=version,
                           root_cause=data["root_cause"] or None, vendor=data["vendor"],
                           vendor_reference=data["vendor_reference"])


ACTIONS = {
    "link": (LinkIncidentForm, _link, lambda: _("Incident linked.")),
    "unlink": (LinkIncidentForm, _unlink, lambda: _("Incident unlinked.")),
    "note": (NoteForm, lambda user, pk, data, version: services.add_note(
        user, pk, body=data["body"]), lambda: _("Note added.")),
    "update": (UpdateProblemForm, _update, lambda: _("Problem updated.")),
    "known-error": (KnownErrorForm, lambda user, pk, data, version: services.mark_known_error(
        user, pk, workaround_article_id=data["workaround_article"],
        root_cause=data["root_cause"] or None, version=version),
        lambda: _("The problem is now a known error.")),
    "resolve": (ResolveProblemForm, lambda user, pk, data, version: services.resolve_problem(
        user, pk, resolution=data["resolution"], resolve_incidents=data["resolve_incidents"],
        message=data["message"] or None, version=version), lambda: _("Problem resolved.")),
}


def _call(request, call, success: str):
    """Run one service; its error (a ticket or article not found included) is shown as a
    message. The result, or None when it was refused."""
    try:
        result = call()
    except NotFound:
        messages.error(request, _("No such incident or article was found."))
        return None
    except DomainError as exc:
        messages.error(request, _message(exc))
        return None
    messages.success(request, success)
    return result


def _message(exc: DomainError) -> str:
    """The problem services word their refusals in the user's language; a missing text is
    named by its label."""
    missing = [name for name, why in exc.fields.items() if why == "required"]
    if exc.code == "validation_failed" and missing:
        labels = {"title": _("Title"), "body": _("Note"), "root_cause": _("Root cause"),
                  "resolution": _("Resolution")}
        return _("Fill in: %(fields)s.") % {
            "fields": ", ".join(str(labels.get(name, name)) for name in missing)}
    return exc.detail


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, _("%(label)s: %(error)s") % {"label": label, "error": error}
                           if label else error)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
