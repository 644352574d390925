"""Problem write services: create (from incidents or a suggested cluster), link and unlink
incidents, investigate, record the root cause, become a known error, engage a vendor, and
resolve (optionally resolving the open incidents with one message, each journaled as usual)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from palier.accounts.models import Group, User
from palier.core import clock
from palier.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from palier.knowledge.models import ArticleStatus
from palier.knowledge.selectors import access_article
from palier.problems.models import Problem, ProblemIncident, ProblemNote, ProblemStatus
from palier.problems.selectors import access_problem
from palier.tickets import services as tickets
from palier.tickets.models import EventKind, Kind, Ticket
from palier.tickets.selectors import access_ticket, scope_of
from palier.tickets.services.base import lock, record, save


@dataclass(frozen=True)
class Resolution:
    problem: Problem
    resolved_ticket_ids: list[int]


def _staff(actor: User) -> None:
    if not actor.is_desk_staff or scope_of(actor).agent_id is None:
        raise PermissionDenied(_("Problems are managed by desk staff."))


def _text(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"The {field.replace('_', ' ')} is required.",
                               fields={field: "required"})
    return value


def create_problem(actor: User, *, title: str, description: str = "",
                   ticket_ids: Iterable[int] = (), owner_group_id: int | None = None) -> Problem:
    """A problem owned by a group (default: one at the highest level), linking incidents.

    It belongs to the incidents' client when they share one, otherwise it is shared."""
    _staff(actor)
    ticket_ids = list(dict.fromkeys(ticket_ids))
    found = [access_ticket(actor, pk) for pk in ticket_ids]
    clients = {t.client_id for t in found}
    now = clock.now()
    with transaction.atomic():
        problem = Problem.objects.create(
            title=_text(title, "title")[:200], description=(description or "").strip(),
            client_id=clients.pop() if len(clients) == 1 else None,
            owner_group=_owner_group(owner_group_id), created_by=actor, created_at=now,
            updated_at=now)
        for ticket in found:
            _link(actor, problem, ticket.pk)
    return problem


def create_from_cluster(actor: User, ticket_ids: Iterable[int], *,
                        title: str | None = None) -> Problem:
    """Turn a suggested cluster (``problems.selectors.clusters``) into a problem."""
    ticket_ids = list(ticket_ids)
    if len(ticket_ids) < 2:
        raise ValidationFailed(_("A cluster has at least two incidents."),
                               fields={"tickets": "too_few"})
    first = access_ticket(actor, ticket_ids[0])
    return create_problem(actor, title=title or first.title, ticket_ids=ticket_ids,
                          description=_("Created from a cluster of %(n)d similar incidents.")
                          % {"n": len(ticket_ids)})


def link_incident(actor: User, problem_id: int, ticket_id: int) -> Problem:
    """Link one more incident (journaled on the ticket as ``problem_linked``)."""
    _staff(actor)
    with transaction.atomic():
        problem = access_problem(actor, problem_id, for_update=True)
        _link(actor, problem, ticket_id)
        _touch(problem)
    return problem


def _link(actor: User, problem: Problem, ticket_id: int) -> None:
    ticket = lock(actor, ticket_id, None, work=False)
    if ticket.kind != Kind.INCIDENT:
        raise ValidationFailed(_("%(number)s is a service request; problems link incidents.")
                               % {"number": ticket.number}, fields={"ticket": "not_incident"})
    if problem.client_id not in (None, ticket.client_id):
        raise ValidationFailed(_("%(number)s belongs to another client than the problem.")
                               % {"number": ticket.number}, fields={"ticket": "other_client"})
    if ProblemIncident.objects.filter(problem=problem, ticket=ticket).exists():
        raise Conflict(_("%(number)s is already linked to %(problem)s.")
                       % {"number": ticket.number, "problem": problem.number})
    ProblemIncident.objects.create(problem=problem, ticket=ticket, linked_by=actor,
                                   linked_at=clock.now())
    save(ticket)
    record(ticket, EventKind.PROBLEM_LINKED, actor, body=f"{problem.number} {problem.title}",
           problem=problem.pk)


def unlink_incident(actor: User, problem_id: int, ticket_id: int) -> Problem:
    """Unlink an incident linked by mistake (journaled on the ticket as ``problem_unlinked``).
    A resolved problem keeps its incidents: they are its record."""
    _staff(actor)
    with transaction.atomic():
        problem = access_problem(actor, problem_id, for_update=True)
        if problem.status == ProblemStatus.RESOLVED:
            raise IllegalTransition(_("%(problem)s is resolved; its incidents stay linked.")
                                    % {"problem": problem.number})
        ticket = lock(actor, ticket_id, None, work=False)
        deleted, _rows = ProblemIncident.objects.filter(problem=problem, ticket=ticket).delete()
        if not deleted:
            raise ValidationFailed(_("%(number)s is not linked to %(problem)s.")
                                   % {"number": ticket.number, "problem": problem.number},
                                   fields={"ticket": "not_linked"})
        save(ticket)
        record(ticket, EventKind.PROBLEM_UNLINKED, actor,
               body=f"{problem.number} {problem.title}", problem=problem.pk)
        _touch(problem)
    return problem


def add_note(actor: User, problem_id: int, *, body: str) -> ProblemNote:
    """An investigation note."""
    _staff(actor)
    with transaction.atomic():
        problem = access_problem(actor, problem_id, for_update=True)
        note = ProblemNote.objects.create(problem=problem, author=actor,
                                          body=_text(body, "body"), created_at=clock.now())
        _touch(problem)
    return note


def update(actor: User, problem_id: int, *, version: int | None = None,
           root_cause: str | None = None, owner_group_id: int | None = None,
           vendor: str | None = None, vendor_reference: str | None = None) -> Problem:
    """Record the root cause, change the owner group, or note the vendor and its reference."""
    _staff(actor)
    with transaction.atomic():
        problem = _lock(actor, problem_id, version)
        if root_cause is not None:
            problem.root_cause = _text(root_cause, "root_cause")
        if owner_group_id is not None:
            problem.owner_group = _owner_group(owner_group_id)
        if vendor is not None:
            problem.vendor = vendor.strip()[:200]
        if vendor_reference is not None:
            problem.vendor_reference = vendor_reference.strip()[:200]
        _touch(problem)
    return problem


def mark_known_error(actor: User, problem_id: int, *, workaround_article_id: int,
                     root_cause: str | None = None, version: int | None = None) -> Problem:
    """The cause is known and a workaround article exists: the problem is a known error."""
    _staff(actor)
    with transaction.atomic():
        problem = _lock(actor, problem_id, version)
        if problem.status == ProblemStatus.RESOLVED:
            raise IllegalTransition(_("%(problem)s is resolved.") % {"problem": problem.number})
        article = access_article(actor, workaround_article_id)
        if article.status == ArticleStatus.RETIRED:
            raise ValidationFailed(_("The workaround article is retired."),
                                   fields={"workaround_article": "retired"})
        if root_cause is not None:
            problem.root_cause = _text(root_cause, "root_cause")
        problem.workaround_article, problem.status = article, ProblemStatus.KNOWN_ERROR
        _touch(problem)
    return problem


def resolve_problem(actor: User, problem_id: int, *, resolution: str,
                    resolve_incidents: bool = False, message: str | None = None,
                    version: int | None = None) -> Resolution:
    """Resolve the problem (its owner group or a manager); optionally resolve each open
    linked incident with one message, each through ``tickets.services.resolve``. All or
    nothing: an incident the actor may not resolve refuses the whole action."""
    _staff(actor)
    resolution = _text(resolution, "resolution")
    with transaction.atomic():
        problem = _lock(actor, problem_id, version)
        if problem.status == ProblemStatus.RESOLVED:
            raise IllegalTransition(_("%(problem)s is already resolved.")
                                    % {"problem": problem.number})
        if not actor.is_manager and problem.owner_group_id not in scope_of(actor).group_ids:
            raise PermissionDenied(_("Only the owner group or a manager resolves a problem."))
        problem.status, problem.resolution = ProblemStatus.RESOLVED, resolution
        problem.resolved_at = clock.now()
        _touch(problem)
        done = []
        if resolve_incidents:
            for ticket in Ticket.objects.filter(problem_links__problem=problem).order_by("id"):
                if ticket.is_active:
                    tickets.resolve(actor, ticket.pk, resolution=message or resolution)
                    done.append(ticket.pk)
    return Resolution(problem, done)


def _lock(actor: User, problem_id: int, version: int | None) -> Problem:
    problem = access_problem(actor, problem_id, for_update=True)
    if version is not None and problem.version != version:
        raise Conflict(_("%(problem)s was changed by someone else (version %(current)s, you "
                         "had %(yours)s); reload it and try again.")
                       % {"problem": problem.number, "current": problem.version,
                          "yours": version})
    return problem


def _touch(problem: Problem) -> None:
    problem.version += 1
    problem.updated_at = clock.now()
    problem.save()


def _owner_group(group_id: int | None) -> Group:
    if group_id is not None:
        group = Group.objects.filter(pk=group_id).first()
        if group is None:
            raise ValidationFailed(f"Group {group_id} does not exist.",
                                   fields={"owner_group": "unknown"})
        return group
    group = Group.objects.order_by("-level__rank", "name").first()
    if group is None:
        raise ValidationFailed(_("No support group exists to own the problem."),
                               fields={"owner_group": "required"})
    return group
