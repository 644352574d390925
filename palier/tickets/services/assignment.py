"""Assignment inside a group: take, assign, and least-loaded automatic assignment."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q

from palier.accounts.models import Agent, User
from palier.core.errors import Conflict, NotFound, ValidationFailed
from palier.tickets.lifecycle import ACTIVE, Action
from palier.tickets.models import EventKind, Ticket
from palier.tickets.selectors import scope_of
from palier.tickets.services.base import lock, move, record, save


def take(actor: User, ticket_id: int, *, version: int | None = None) -> Ticket:
    """The acting agent takes the ticket from their group's queue."""
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        agent_id = scope_of(actor).agent_id
        if ticket.assignee_id is not None:
            who = "you" if ticket.assignee_id == agent_id else "another agent"
            raise Conflict(f"{ticket.number} is already assigned to {who}.",
                           code="already_assigned")
        if ticket.group_id not in scope_of(actor).group_ids:
            raise ValidationFailed(f"You are not a member of {ticket.group}.",
                                   fields={"group": "not_member"})
        move(ticket, Action.TAKE)
        ticket.assignee_id = agent_id
        save(ticket, "status", "assignee")
        record(ticket, EventKind.ASSIGNED, actor, to_agent=agent_id, how="take")
    return ticket


def assign(actor: User, ticket_id: int, agent_id: int, *, version: int | None = None) -> Ticket:
    """Assign the ticket to a member of its group who serves its client."""
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        agent = _eligible(ticket).filter(pk=agent_id).first()
        if agent is None:
            raise NotFound(f"Agent {agent_id} is not a member of {ticket.group} serving "
                           f"{ticket.client}.")
        if agent.pk == ticket.assignee_id:
            raise Conflict(f"{ticket.number} is already assigned to {agent}.",
                           code="already_assigned")
        move(ticket, Action.ASSIGN)
        previous = ticket.assignee_id
        ticket.assignee = agent
        save(ticket, "status", "assignee")
        record(ticket, EventKind.ASSIGNED, actor, to_agent=agent.pk, from_agent=previous,
               how="assign")
    return ticket


def auto_assign(actor: User, ticket_id: int, *, version: int | None = None) -> Ticket:
    """Assign to the least-loaded available agent of the group who has the needed skill."""
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        if not assign_least_loaded(ticket, actor=actor):
            raise NotFound(f"No available agent of {ticket.group} has the needed skill.",
                           code="no_agent_available")
    return ticket


def assign_least_loaded(ticket: Ticket, *, actor: User | None) -> Agent | None:
    """Pick and record the least-loaded eligible agent; the caller holds the ticket's lock."""
    candidates = _eligible(ticket).filter(is_available=True)
    if ticket.category_id and ticket.category.skill_id:
        candidates = candidates.filter(skills=ticket.category.skill_id)
    agent = (candidates
             .annotate(load=Count("assigned_tickets",
                                  filter=Q(assigned_tickets__status__in=sorted(ACTIVE))))
             .order_by("load", "pk").first())
    if agent is None or agent.pk == ticket.assignee_id:
        return None
    move(ticket, Action.ASSIGN)
    previous = ticket.assignee_id
    ticket.assignee = agent
    save(ticket, "status", "assignee")
    record(ticket, EventKind.ASSIGNED, actor, to_agent=agent.pk, from_agent=previous,
           how="least_loaded")
    return agent


def _eligible(ticket: Ticket):
    return Agent.objects.filter(groups=ticket.group_id, clients=ticket.client_id,
                                user__is_active=True)
