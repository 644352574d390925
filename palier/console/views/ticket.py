"""The ticket page: journal timeline, clocks, the handoff on top, actions, suggestions."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render

from palier.accounts.models import Agent
from palier.console.forms import EscalateForm
from palier.console.views.common import staff_required
from palier.core.errors import DomainError
from palier.knowledge import selectors as knowledge
from palier.problems import selectors as problems
from palier.sla import selectors as sla
from palier.tickets import selectors
from palier.tickets.lifecycle import allowed_actions
from palier.tickets.models import Handoff, HandoffOutcome, TicketStatus
from palier.tickets.services import directory


def ticket_context(user, ticket_id: int, escalate_form: EscalateForm | None = None) -> dict:
    """Everything the ticket page shows, read through the actor-scoped selectors."""
    ticket = selectors.access_ticket(user, ticket_id)
    events = list(selectors.journal(user, ticket_id))
    levels = list(directory.levels().values())
    higher = [lv for lv in levels if lv.rank > ticket.level.rank]
    lower = [lv for lv in levels if lv.rank < ticket.level.rank]
    required = directory.required_handoff_fields(ticket.category)
    can_work = selectors.can_work(user, ticket)
    # The latest handoff into the ticket's current level, or one returned back to it.
    arrived = Q(to_level_id=ticket.level_id) | Q(from_level_id=ticket.level_id,
                                                 outcome=HandoffOutcome.RETURNED)
    handoff = (Handoff.objects.filter(arrived, ticket=ticket)
               .select_related("from_level", "from_group", "created_by")
               .order_by("-created_at", "-id").first())
    return {
        "ticket": ticket, "events": events, "handoff": handoff,
        "clocks": sla.summary(ticket), "can_work": can_work,
        "allowed": {a.value for a in allowed_actions(ticket.status)},
        "higher": higher, "lower": lower, "resolved": ticket.status in (
            TicketStatus.RESOLVED, TicketStatus.CLOSED),
        "agents": Agent.objects.filter(groups=ticket.group_id, clients=ticket.client_id,
                                       user__is_active=True).select_related("user"),
        "escalate_form": escalate_form or EscalateForm(levels=higher, required_fields=required),
        "problems": list(problems.problems_of_ticket(user, ticket_id)),
        "merged_into": selectors.original_of(user, ticket),
        "same_requester": (selectors.requesters_other_open_tickets(user, ticket)
                           if ticket.is_active and can_work else []),
    }


@staff_required
def ticket_page(request, ticket_id: int):
    return render(request, "console/ticket.html", ticket_context(request.user, ticket_id))


@staff_required
def suggestions(request, ticket_id: int):
    """The side panel (loaded by htmx): suggested articles and similar resolved tickets."""
    ticket = selectors.access_ticket(request.user, ticket_id)
    try:
        found = knowledge.suggest(request.user, f"{ticket.title}\n{ticket.description}",
                                  client_id=ticket.client_id, limit=5)
        found.tickets = [t for t in found.tickets if t.ticket.pk != ticket.pk]
    except DomainError:
        found = None
    return render(request, "console/_suggestions.html", {"found": found, "ticket": ticket})
