"""The feedback loop: resolving with an article, deflection, votes, uses, and the draft an
L2/L3 resolution offers."""

from __future__ import annotations

import pytest

from palier.core.errors import IllegalTransition, NotFound, PermissionDenied
from palier.knowledge import selectors, services
from palier.knowledge.models import ArticleStatus
from palier.tickets import services as tickets
from palier.tickets.models import EventKind, TicketEvent, TicketStatus
from tests.factories import accepted, kinds, taken


def test_resolving_with_an_article_writes_one_event_that_names_it(desk, publish):
    article = publish(desk.a.l2, min_level_id=desk.levels["L1"].pk)
    ticket = taken(desk, desk.a)
    before = kinds(ticket.pk)
    resolved = services.resolve_with_article(desk.a.l1, ticket.pk, article_id=article.pk)
    assert resolved.status == TicketStatus.RESOLVED
    assert kinds(ticket.pk) == [*before, EventKind.RESOLVED]
    event = TicketEvent.objects.filter(ticket=ticket).last()
    assert event.data["article"] == article.pk and event.data["level"] == "L1"
    assert "Reset a VPN tunnel" in resolved.resolution
    assert selectors.stats(desk.a.l1, article.pk)["resolved_by_level"] == {"L1": 1}


def test_an_l1_cannot_resolve_with_an_article_it_may_not_see(desk, publish):
    secret = publish(desk.a.l2, min_level_id=desk.levels["L2"].pk)
    ticket = taken(desk, desk.a)
    with pytest.raises(NotFound):
        services.resolve_with_article(desk.a.l1, ticket.pk, article_id=secret.pk)
    assert selectors.access_article(desk.a.l2, secret.pk).use_count == 0


def test_another_clients_article_cannot_resolve_a_ticket(desk, publish):
    theirs = publish(desk.b.l2, desk.b.manager, client_id=desk.b.client.pk)
    ticket = taken(desk, desk.a)
    with pytest.raises(NotFound):
        services.resolve_with_article(desk.a.l1, ticket.pk, article_id=theirs.pk)


def test_deflection_without_a_ticket_is_counted(desk, publish):
    article = publish(desk.a.l2, audience="public")
    services.deflect(desk.a.requester, article_id=article.pk, text="my vpn drops")
    stats = selectors.stats(desk.a.l2, article.pk)
    assert stats["deflections"] == 1 and stats["uses"] == 1


def test_deflection_closes_the_requesters_open_ticket(desk, publish):
    article = publish(desk.a.l2, audience="public")
    ticket = desk.open(desk.a)
    services.deflect(desk.a.requester, article_id=article.pk, ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert kinds(ticket.pk)[-2:] == [EventKind.RESOLVED, EventKind.CLOSED]
    assert TicketEvent.objects.get(ticket=ticket, kind=EventKind.RESOLVED).data["article"] \
        == article.pk
    with pytest.raises(NotFound):  # someone else's ticket
        services.deflect(desk.a.colleague, article_id=article.pk, ticket_id=ticket.pk)


def test_a_requester_cannot_deflect_with_an_internal_article(desk, publish):
    internal = publish(desk.a.l2)
    with pytest.raises(NotFound):
        services.deflect(desk.a.requester, article_id=internal.pk)


def test_votes_count_once_per_person_and_can_change(desk, publish):
    article = publish(desk.a.l2, audience="public")
    services.vote(desk.a.requester, article.pk, helpful=True)
    services.vote(desk.a.requester, article.pk, helpful=True)
    services.vote(desk.a.colleague, article.pk, helpful=False)
    assert (article.__class__.objects.values_list("helpful_count", "unhelpful_count")
            .get(pk=article.pk)) == (1, 1)
    services.vote(desk.a.colleague, article.pk, helpful=True)
    stats = selectors.stats(desk.a.l1, article.pk)
    assert (stats["helpful"], stats["unhelpful"]) == (2, 0)


def test_using_an_article_on_a_ticket_is_journaled_once(desk, publish):
    article = publish(desk.a.l2)
    ticket = taken(desk, desk.a)
    before = kinds(ticket.pk)
    services.record_use(desk.a.l1, article.pk, ticket_id=ticket.pk)
    assert kinds(ticket.pk) == [*before, EventKind.ARTICLE_LINKED]
    with pytest.raises(NotFound):  # an internal article does not exist for a requester
        services.record_use(desk.a.requester, article.pk)
    public = publish(desk.a.l2, audience="public")
    with pytest.raises(PermissionDenied):
        services.record_use(desk.a.requester, public.pk)


def test_l2_resolution_offers_a_prefilled_draft_linked_to_the_ticket(desk):
    ticket = accepted(desk, desk.a)
    tickets.resolve(desk.a.l2, ticket.pk, resolution="Lowered the MTU to 1400 on the tunnel")
    draft = services.draft_from_ticket(desk.a.l2, ticket.pk)
    assert draft.status == ArticleStatus.DRAFT and draft.source_ticket_id == ticket.pk
    assert "Reinstalled the client" in draft.body  # steps tried, from the handoff
    assert "IKE phase 2 timeouts" in draft.body  # diagnostics
    assert "Lowered the MTU" in draft.body
    assert draft.min_level.code == "L1" and draft.client_id == desk.a.client.pk
    assert services.draft_from_ticket(desk.a.l2, ticket.pk) == draft  # offered once


def test_no_draft_is_offered_for_l1_or_open_tickets(desk):
    ticket = taken(desk, desk.a)
    with pytest.raises(IllegalTransition):
        services.draft_from_ticket(desk.a.l1, ticket.pk)
    tickets.resolve(desk.a.l1, ticket.pk, resolution="Restarted it")
    with pytest.raises(IllegalTransition):
        services.draft_from_ticket(desk.a.l1, ticket.pk)
    with pytest.raises(NotFound):
        services.draft_from_ticket(desk.b.l2, ticket.pk)
