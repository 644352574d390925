"""Reads of problems, scoped to the acting user: desk staff only, and only problems of the
clients they serve (or shared ones); linked incidents are filtered by ticket visibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import NotFound, ValidationFailed
from palier.knowledge import text
from palier.knowledge.similar import ticket_text, ticket_vectors
from palier.problems.clustering import greedy_clusters, jaccard_matrix
from palier.problems.models import Problem, ProblemIncident, ProblemNote, ProblemStatus
from palier.tickets.models import Kind, Ticket
from palier.tickets.selectors import scope_of, visible_tickets

CLUSTER_DAYS = 14
CLUSTER_LIMIT = 500
SEMANTIC_THRESHOLD = 0.65
LEXICAL_THRESHOLD = 0.35


@dataclass(frozen=True)
class Cluster:
    """Recent similar incidents not yet linked to a problem: a problem candidate."""

    title: str
    tickets: list[Ticket]

    @property
    def ticket_ids(self) -> list[int]:
        return [t.pk for t in self.tickets]


@dataclass(frozen=True)
class ProblemPage:
    """One problem with what its page shows: the incidents the actor may see, the notes."""

    problem: Problem
    incidents: list[Ticket]
    notes: list[ProblemNote]


def visible_problems(actor: User) -> QuerySet[Problem]:
    scope = scope_of(actor)
    if not actor.is_desk_staff or scope.agent_id is None:
        return Problem.objects.none()
    return Problem.objects.filter(Q(client__isnull=True) | Q(client_id__in=scope.client_ids))


def access_problem(actor: User, problem_id: int, *, for_update: bool = False) -> Problem:
    problems = visible_problems(actor)
    problems = problems.select_for_update(of=("self",)) if for_update else problems.select_related(
        "owner_group", "workaround_article", "client")
    try:
        return problems.get(pk=problem_id)
    except Problem.DoesNotExist:
        raise NotFound(f"Problem {problem_id} was not found.") from None


def problem_list(actor: User, *, status: str | None = None,
                 known_error: bool | None = None) -> QuerySet[Problem]:
    """The actor's problems, newest first, each with ``incident_count``: the linked
    incidents the actor may see (counted per returned row, never over the whole table).
    ``known_error``: with (True) or without (False) a workaround article."""
    if status and status not in ProblemStatus.values:
        raise ValidationFailed(f"Unknown problem status {status!r}.", fields={"status": "invalid"})
    problems = visible_problems(actor)
    if status:
        problems = problems.filter(status=status)
    if known_error is not None:
        problems = problems.filter(workaround_article__isnull=not known_error)
    linked = (ProblemIncident.objects
              .filter(problem=OuterRef("pk"), ticket__client_id__in=scope_of(actor).client_ids)
              .order_by().values("problem").annotate(n=Count("id")).values("n"))
    return (problems.select_related("owner_group", "workaround_article")
            .annotate(incident_count=Coalesce(Subquery(linked, output_field=IntegerField()), 0))
            .order_by("-created_at", "-id"))


def problem_page(actor: User, problem_id: int) -> ProblemPage:
    """The problem, its linked incidents the actor may see, and its notes, oldest first."""
    problem = access_problem(actor, problem_id)
    notes = problem.notes.select_related("author").order_by("created_at", "id")
    return ProblemPage(problem, list(_incidents(actor, problem)), list(notes))


def incidents(actor: User, problem_id: int) -> QuerySet[Ticket]:
    """The problem's linked incidents that the actor may see."""
    return _incidents(actor, access_problem(actor, problem_id))


def _incidents(actor: User, problem: Problem) -> QuerySet[Ticket]:
    return (visible_tickets(actor).filter(problem_links__problem=problem)
            .select_related("level", "group", "client").order_by("created_at", "id"))


def problems_of_ticket(actor: User, ticket_id: int) -> QuerySet[Problem]:
    return visible_problems(actor).filter(links__ticket_id=ticket_id)


def clusters(actor: User, *, days: int = CLUSTER_DAYS, min_size: int = 3) -> list[Cluster]:
    """Groups of similar recent incidents of the actor's scope that no problem links yet."""
    if not actor.is_desk_staff:
        return []
    since = clock.now() - dt.timedelta(days=days)
    linked = ProblemIncident.objects.values("ticket_id")
    # A merged duplicate is the same incident as its original, not a recurrence.
    rows = list(visible_tickets(actor).filter(kind=Kind.INCIDENT, created_at__gte=since,
                                              merged_into__isnull=True)
                .exclude(pk__in=linked).order_by("-created_at", "-id")
                .values_list("id", "title", "description")[:CLUSTER_LIMIT])
    if len(rows) < min_size:
        return []
    texts = [(pk, ticket_text(title, body)) for pk, title, body in rows]
    matrix = ticket_vectors(texts)
    if matrix is not None:
        groups = greedy_clusters(matrix @ matrix.T, threshold=SEMANTIC_THRESHOLD,
                                 min_size=min_size)
    else:
        terms = [set(text.query_terms(body, ("en",))) for _, body in texts]
        groups = greedy_clusters(jaccard_matrix(terms), threshold=LEXICAL_THRESHOLD,
                                 min_size=min_size)
    found = Ticket.objects.in_bulk([rows[i][0] for group in groups for i in group])
    return [Cluster(rows[group[0]][1], [found[rows[i][0]] for i in group]) for group in groups]


