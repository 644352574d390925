"""Intake: record, classify and route a new ticket; reclassify an existing one."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from palier.accounts.models import Role, User
from palier.clients.models import Client
from palier.core import clock
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.tickets import numbering, routing
from palier.tickets.models import (
    Category,
    Channel,
    EventKind,
    Kind,
    Ticket,
    TicketStatus,
)
from palier.tickets.selectors import scope_of
from palier.tickets.services import directory
from palier.tickets.services.base import lock, record, record_creation, require_text, save


def open_ticket(actor: User, *, title: str, description: str = "", kind: str = Kind.INCIDENT,
                category_id: int | None = None, impact: str | None = None,
                urgency: str | None = None, client_id: int | None = None,
                requester_email: str | None = None,
                channel: str = Channel.PORTAL) -> Ticket:
    """Record a new ticket, classify it and route it to its starting level and group.

    What the caller leaves out (category, impact and urgency: medium by default, level and
    group) triage may fill in when confident enough; intake rules still decide routing.
    """
    title = require_text(title, "title", "A title")[:200]
    kind = _choice(Kind, kind, "kind")
    channel = _choice(Channel, channel, "channel")
    advice = _triage_advice(title, description, _requester_address(actor, requester_email))
    if advice is not None:
        category_id = category_id if category_id is not None else advice.category_id()
        if impact is None and urgency is None:
            impact, urgency = advice.impact_urgency() or (None, None)
    impact, urgency = impact or "medium", urgency or "medium"
    try:
        priority = routing.priority_for(impact, urgency, directory.priority_matrix())
    except ValueError:
        raise ValidationFailed("Impact and urgency are each high, medium or low.",
                               fields={"impact": "invalid", "urgency": "invalid"}) from None
    client, requester = _client_and_requester(actor, client_id, requester_email)
    category = directory.active_category(category_id)
    now = clock.now()
    with transaction.atomic():
        route = _route(category, priority, kind, client.pk)
        if advice is not None and route.rule_id is None:  # intake rules take precedence
            route = advice.route(route, client.pk)
        level = directory.levels()[route.level_id]
        group = directory.group_for_level(level, category, route.group_id)
        contract = directory.contract_for(client.pk, now.date())
        ticket = Ticket(
            number=numbering.next_number(kind), kind=kind, title=title,
            description=description or "", client=client, contract=contract,
            requester=requester, category=category,
            impact=impact, urgency=urgency, priority=priority, channel=channel, level=level,
            group=group, skip_allowed=route.skip_allowed, created_at=now, updated_at=now,
        )
        record_creation(ticket, actor, level=level.code, group=group.name, priority=priority,
                        rule=route.rule_id)
        if advice is not None:
            from palier.triage.services import record_advice

            record_advice(ticket, advice)
        if group.auto_assign:
            from palier.tickets.services.assignment import assign_least_loaded

            assign_least_loaded(ticket, actor=None)
    return ticket


def _triage_advice(title: str, description: str, requester_email: str | None):
    """Triage's predictions for a new ticket, or None (off, no model, or failed: logged)."""
    from palier.triage.services import advise

    return advise(title, description, requester_email)


def _requester_address(actor: User, requester_email: str | None) -> str | None:
    """Who the ticket is for, as triage knows requesters: their e-mail (checked later)."""
    if actor.role == Role.REQUESTER:
        return actor.email
    return (requester_email or "").strip().lower() or None


def classify(actor: User, ticket_id: int, *, title: str | None = None,
             description: str | None = None, category_id: int | None = None,
             impact: str | None = None, urgency: str | None = None,
             version: int | None = None) -> Ticket:
    """Change what the ticket says or how it is classified; priority and due times follow
    (the SLA clock re-targets on the journal event).

    Requesters may reword their own ticket while nobody has taken it; classification
    (category, impact, urgency) is the desk's.
    """
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=actor.is_desk_staff)
        if not actor.is_desk_staff:
            _check_requester_edit(actor, ticket, category_id, impact, urgency)
        before = _details(ticket)
        if title is not None:
            ticket.title = require_text(title, "title", "A title")[:200]
        if description is not None:
            ticket.description = description
        if category_id is not None:
            ticket.category = directory.active_category(category_id)
        ticket.impact = impact or ticket.impact
        ticket.urgency = urgency or ticket.urgency
        try:
            ticket.priority = routing.priority_for(ticket.impact, ticket.urgency,
                                                   directory.priority_matrix())
        except ValueError:
            raise ValidationFailed("Impact and urgency are each high, medium or low.") from None
        after = _details(ticket)
        changed = {k for k in after if after[k] != before[k]}
        if not changed:
            raise ValidationFailed("Nothing to change.", code="no_change")
        save(ticket, "title", "description", "category", "impact", "urgency", "priority")
        record(ticket, EventKind.CLASSIFIED, actor,
               before={k: before[k] for k in sorted(changed)},
               after={k: after[k] for k in sorted(changed)})
    return ticket


def _details(ticket: Ticket) -> dict:
    return {"title": ticket.title, "description": ticket.description,
            "category": ticket.category_id, "impact": ticket.impact,
            "urgency": ticket.urgency, "priority": ticket.priority}


def _check_requester_edit(actor: User, ticket: Ticket, *classification: object) -> None:
    if any(value is not None for value in classification):
        raise PermissionDenied("Only the desk classifies tickets.")
    if ticket.requester_id != actor.pk or ticket.status != TicketStatus.NEW:
        raise PermissionDenied(f"{ticket.number} is being worked on; reply to it instead.")


def _choice(choices, value: str, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationFailed(f"{field} must be one of: {allowed}.", fields={field: "invalid"})
    return value


def _client_and_requester(actor: User, client_id: int | None,
                          requester_email: str | None) -> tuple[Client, User]:
    """Requesters open for themselves; agents open for a requester of a client they serve."""
    if actor.role == Role.REQUESTER:
        if actor.client_id is None:
            raise PermissionDenied("This account belongs to no client.")
        if client_id not in (None, actor.client_id) or requester_email not in (
                None, "", actor.email):
            raise NotFound("Requesters open tickets for themselves only.")
        return actor.client, actor
    scope = scope_of(actor)
    if client_id is None:
        raise ValidationFailed("Name the client the ticket is for.", fields={"client": "required"})
    if client_id not in scope.client_ids:
        raise NotFound(f"Client {client_id} was not found.")
    client = directory.client(client_id)
    email = (requester_email or "").strip().lower()
    if not email:
        raise ValidationFailed("Give the requester's e-mail.",
                               fields={"requester_email": "required"})
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(f"{email} is not an e-mail address.",
                               fields={"requester_email": "invalid"}) from None
    requester = directory.person(email)
    if requester is None:
        requester = User.objects.create_user(email, None, role=Role.REQUESTER, client=client)
    elif requester.client_id != client.pk:
        raise ValidationFailed(f"{email} is not a requester of {client}.",
                               fields={"requester_email": "other_client"})
    return client, requester


def _route(category: Category | None, priority: str, kind: str, client_id: int) -> routing.Route:
    chain = directory.lineage(category)
    if category is not None:
        default = routing.Route(category.default_level_id, category.default_group_id, False, None)
    else:
        default = routing.Route(next(iter(directory.levels())), None, False, None)
    return routing.choose_route(directory.intake_rules(), priority=priority, kind=kind,
                                client_id=client_id, category_ids=frozenset(c.pk for c in chain),
                                default=default)
