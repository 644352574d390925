import re

import pytest
from django.db.models import Count, F

from palier.tickets.lifecycle import ACTIVE
from palier.tickets.models import EventKind, Handoff, HandoffOutcome, Ticket, TicketEvent
from palier.tickets.services.directory import required_handoff_fields

pytestmark = pytest.mark.django_db


def test_history_creates_the_asked_number_of_tickets(demo):
    assert demo.count == 150 == Ticket.objects.count()


def test_ticket_numbers_are_unique_and_formatted(demo):
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"(INC|REQ)-\d{6}", n) for n in numbers)


def test_every_handoff_is_complete(demo):
    handoffs = Handoff.objects.select_related("ticket__category__parent")
    assert handoffs.exists()
    for handoff in handoffs:
        assert handoff.summary and handoff.steps_tried and handoff.diagnostics
        for name in required_handoff_fields(handoff.ticket.category):
            assert handoff.fields.get(name), (handoff.ticket.number, name)


def test_returns_carry_their_reason_in_the_journal(demo):
    returned = TicketEvent.objects.filter(kind=EventKind.RETURNED)
    assert returned.exists()
    assert all(event.body for event in returned)
    assert not Handoff.objects.filter(outcome=HandoffOutcome.RETURNED, return_reason="").exists()


def test_the_mix_has_escalations_de_escalations_and_vendors(demo):
    kinds = set(TicketEvent.objects.values_list("kind", flat=True))
    assert {EventKind.ESCALATED, EventKind.ACCEPTED, EventKind.DE_ESCALATED, EventKind.VENDOR,
            EventKind.PENDING, EventKind.WORKLOG, EventKind.NOTE, EventKind.CLOSED} <= kinds
    levels = dict(Ticket.objects.values_list("level__code").annotate(n=Count("id")))
    assert levels["L1"] > levels["L2"] > levels.get("L3", 0)


def test_no_ticket_has_a_requester_of_another_client(demo):
    assert not Ticket.objects.exclude(requester__client=F("client")).exists()


def test_queues_have_active_tickets_at_l1_and_l2(demo):
    active = Ticket.objects.filter(status__in=sorted(ACTIVE))
    assert active.filter(level__code="L1").exists()
    assert active.filter(level__code="L2").exists()


def test_journal_moments_increase_per_ticket(demo):
    for ticket in Ticket.objects.prefetch_related("events"):
        moments = [e.created_at for e in ticket.events.all()]
        assert moments == sorted(moments) and moments[0] == ticket.created_at


def test_french_client_tickets_are_written_in_french(demo):
    french = Ticket.objects.filter(client__language="fr")
    assert french.exists()
    replies = TicketEvent.objects.filter(ticket__in=french, kind=EventKind.MESSAGE,
                                         actor__role="agent").values_list("body", flat=True)
    assert any(body.startswith(("Bonjour", "Merci", "Nos ", "La ", "Pouvez")) for body in replies)
