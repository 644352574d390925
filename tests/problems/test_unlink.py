"""Unlinking an incident linked by mistake: journaled on the ticket, refused once the problem
is resolved or when the incident is not linked, and scoped like every problem service."""

from __future__ import annotations

import pytest

from palier.core.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from palier.problems import selectors, services
from palier.problems.models import ProblemIncident
from palier.tickets.models import EventKind, TicketEvent


def test_unlink_removes_the_link_and_journals_it(desk):
    kept, mistaken = desk.open(desk.a), desk.open(desk.a)
    problem = services.create_problem(desk.a.l3, title="Tunnel drops",
                                      ticket_ids=[kept.pk, mistaken.pk])
    version = problem.version
    after = services.unlink_incident(desk.a.l3, problem.pk, mistaken.pk)
    assert list(selectors.incidents(desk.a.l3, problem.pk)) == [kept]
    assert after.version == version + 1
    event = TicketEvent.objects.get(ticket=mistaken, kind=EventKind.PROBLEM_UNLINKED)
    assert event.data["problem"] == problem.pk and not event.public
    mistaken.refresh_from_db()
    assert mistaken.version == 3  # opened, linked, unlinked


def test_unlinking_what_is_not_linked_is_refused(desk):
    problem = services.create_problem(desk.a.l3, title="Tunnel drops")
    with pytest.raises(ValidationFailed):
        services.unlink_incident(desk.a.l3, problem.pk, desk.open(desk.a).pk)


def test_a_resolved_problem_keeps_its_incidents(desk):
    incident = desk.open(desk.a)
    problem = services.create_problem(desk.a.l3, title="Tunnel drops", ticket_ids=[incident.pk])
    services.resolve_problem(desk.a.l3, problem.pk, resolution="Firmware 7.4")
    with pytest.raises(IllegalTransition):
        services.unlink_incident(desk.a.l3, problem.pk, incident.pk)
    assert ProblemIncident.objects.filter(problem=problem, ticket=incident).exists()


def test_unlink_is_staff_only_and_never_crosses_clients(desk):
    incident = desk.open(desk.a)
    problem = services.create_problem(desk.a.l3, title="Tunnel drops", ticket_ids=[incident.pk])
    with pytest.raises(NotFound):
        services.unlink_incident(desk.b.l3, problem.pk, incident.pk)
    with pytest.raises(PermissionDenied):
        services.unlink_incident(desk.a.requester, problem.pk, incident.pk)
    assert ProblemIncident.objects.filter(problem=problem).count() == 1
