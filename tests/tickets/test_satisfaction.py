"""CSAT: the requester rates a resolved ticket once, from 1 to 5; the journal records it."""

from __future__ import annotations

import pytest

from palier.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from palier.tickets import services
from palier.tickets.models import EventKind, Satisfaction, TicketEvent


@pytest.fixture
def resolved(desk):
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    return services.resolve(desk.a.l1, ticket.pk, resolution="Cache cleared")


def test_the_requester_rates_a_resolution_and_the_journal_records_it(desk, resolved):
    rating = services.rate_resolution(desk.a.requester, resolved.pk, score=5,
                                      comment="  Fast  ")
    assert (rating.score, rating.comment, rating.level.code) == (5, "Fast", "L1")
    event = TicketEvent.objects.filter(ticket=resolved).last()
    assert (event.kind, event.data["score"], event.public) == (EventKind.SATISFACTION, 5, True)


def test_a_ticket_is_rated_once(desk, resolved):
    services.rate_resolution(desk.a.requester, resolved.pk, score=3)
    with pytest.raises(Conflict):
        services.rate_resolution(desk.a.requester, resolved.pk, score=5)
    assert Satisfaction.objects.get(ticket=resolved).score == 3


@pytest.mark.parametrize("score", [0, 6, True, "5", 4.5])
def test_a_score_outside_one_to_five_is_refused(desk, resolved, score):
    with pytest.raises(ValidationFailed):
        services.rate_resolution(desk.a.requester, resolved.pk, score=score)
    assert not Satisfaction.objects.exists()


def test_an_open_ticket_cannot_be_rated(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(IllegalTransition):
        services.rate_resolution(desk.a.requester, ticket.pk, score=4)


def test_only_the_requester_rates(desk, resolved):
    for agent in (desk.a.l1, desk.a.manager):
        with pytest.raises(PermissionDenied):
            services.rate_resolution(agent, resolved.pk, score=4)
    with pytest.raises(NotFound):  # a colleague does not even see the ticket
        services.rate_resolution(desk.a.colleague, resolved.pk, score=4)
    assert not Satisfaction.objects.exists()


def test_another_clients_requester_gets_not_found(desk, resolved):
    with pytest.raises(NotFound):
        services.rate_resolution(desk.b.requester, resolved.pk, score=1)
