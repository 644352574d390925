"""Small model behaviour: category paths, ticket state, constraints."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils import translation

from palier.tickets.models import Category, Handoff, Ticket, TicketStatus
from tests.factories import escalated, full_handoff, resolved


def test_a_category_path_names_its_ancestors(desk):
    assert desk.categories["vpn"].path == "Network > VPN"
    assert str(desk.categories["network"]) == "Network"
    child = Category.objects.create(name="Split tunnel", parent=desk.categories["vpn"],
                                    default_level=desk.levels["L1"])
    assert child.path == "Network > VPN > Split tunnel"


def test_category_paths_are_unique(desk):
    with pytest.raises(IntegrityError):
        Category.objects.create(name="VPN", parent=desk.categories["network"],
                                default_level=desk.levels["L1"])


def test_a_ticket_is_active_until_resolved(desk):
    ticket = desk.open(desk.a)
    assert ticket.is_active and str(ticket) == "INC-000001 VPN drops every ten minutes"
    assert not resolved(desk, desk.a).is_active
    assert {s for s in TicketStatus.values
            if Ticket(status=s).is_active} == {"new", "open", "escalated", "pending",
                                               "pending_vendor"}


def test_one_pending_handoff_per_ticket(desk):
    ticket = escalated(desk, desk.a)
    package = Handoff.objects.get(ticket=ticket)
    handoff = full_handoff()
    with pytest.raises(IntegrityError):
        Handoff.objects.create(
            ticket=ticket, from_level=package.from_level, to_level=package.to_level,
            from_group=package.from_group, to_group=package.to_group,
            summary=handoff.summary, steps_tried=handoff.steps_tried,
            diagnostics=handoff.diagnostics, created_at=package.created_at)


def test_status_and_priority_labels_are_translated_and_tolerate_unknown_values():
    ticket = Ticket(status=TicketStatus.PENDING_VENDOR, priority="P1")
    assert (ticket.get_status_display(), ticket.get_priority_display()) == (
        "Pending vendor", "P1 · critical")
    with translation.override("fr"):
        assert (ticket.get_status_display(), ticket.get_priority_display()) == (
            "En attente du fournisseur", "P1 · critique")
    assert Ticket(status="archived").get_status_display() == "archived"
