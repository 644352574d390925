"""Escalation as a workflow: functional (with a handoff), return, de-escalation,
hierarchical (managers alerted) and vendor."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from palier.accounts.models import Level, User
from palier.core import clock
from palier.core.errors import PermissionDenied, ValidationFailed
from palier.tickets import lifecycle
from palier.tickets.lifecycle import Action
from palier.tickets.models import Attachment, EventKind, Handoff, HandoffOutcome, Ticket
from palier.tickets.selectors import scope_of
from palier.tickets.services import directory
from palier.tickets.services.base import lock, move, record, require_text, save


@dataclass
class HandoffInput:
    """What the escalating agent hands over."""

    summary: str = ""
    steps_tried: str = ""
    diagnostics: str = ""
    articles_consulted: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    attachment_ids: list[int] = field(default_factory=list)

    def missing(self, required_fields: list[str]) -> list[str]:
        """The names of the required parts left empty, in form order."""
        gaps = [name for name in ("summary", "steps_tried", "diagnostics")
                if not str(getattr(self, name) or "").strip()]
        gaps += [name for name in required_fields
                 if not str(self.fields.get(name) or "").strip()]
        return gaps


def escalate(actor: User | None, ticket_id: int, *, to_level_id: int, handoff: HandoffInput,
             to_group_id: int | None = None, version: int | None = None) -> Ticket:
    """Functional escalation: the ticket moves up a level, carrying a complete handoff.

    ``actor=None`` is the system (automatic escalation when an OLA is exhausted)."""
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        target = _level(to_level_id)
        _check_move(ticket, Action.ESCALATE, target)
        _check_covered(ticket, target)
        gaps = handoff.missing(directory.required_handoff_fields(ticket.category))
        if gaps:
            raise ValidationFailed(
                "The handoff is incomplete; fill in: " + ", ".join(gaps) + ".",
                code="handoff_incomplete", fields={name: "required" for name in gaps},
            )
        group = directory.group_for_level(target, ticket.category, to_group_id)
        move(ticket, Action.ESCALATE)
        package = Handoff.objects.create(
            ticket=ticket, from_level_id=ticket.level_id, to_level=target,
            from_group_id=ticket.group_id, to_group=group, from_assignee_id=ticket.assignee_id,
            summary=handoff.summary.strip(), steps_tried=handoff.steps_tried.strip(),
            diagnostics=handoff.diagnostics.strip(),
            articles_consulted=handoff.articles_consulted.strip(),
            fields={k: str(v).strip() for k, v in handoff.fields.items()},
            created_by=actor, created_at=clock.now(),
        )
        if handoff.attachment_ids:
            package.attachments.set(
                Attachment.objects.filter(ticket=ticket, pk__in=handoff.attachment_ids))
        from_level = ticket.level.code
        ticket.level, ticket.group, ticket.assignee = target, group, None
        save(ticket, "status", "level", "group", "assignee")
        record(ticket, EventKind.ESCALATED, actor, body=package.summary, handoff=package.pk,
               from_level=from_level, to_level=target.code, to_group=group.name)
    return ticket


def accept(actor: User, ticket_id: int, *, version: int | None = None) -> Ticket:
    """The receiving group accepts the escalation; the accepting agent takes it."""
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        package = _pending_handoff(ticket)
        if package.created_by_id == actor.pk:
            raise PermissionDenied("You escalated this ticket; someone of the receiving group "
                                   "must accept it.", code="own_escalation")
        move(ticket, Action.ACCEPT)
        _decide(package, actor, HandoffOutcome.ACCEPTED)
        scope = scope_of(actor)
        ticket.assignee_id = scope.agent_id if ticket.group_id in scope.group_ids else None
        save(ticket, "status", "assignee")
        record(ticket, EventKind.ACCEPTED, actor, handoff=package.pk, level=ticket.level.code)
    return ticket


def return_escalation(actor: User, ticket_id: int, *, reason: str,
                      version: int | None = None) -> Ticket:
    """Send an escalation back (insufficient handoff, wrong level) to where it came from."""
    reason = require_text(reason, "reason", "A reason")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        package = _pending_handoff(ticket)
        move(ticket, Action.RETURN)
        _decide(package, actor, HandoffOutcome.RETURNED, reason)
        from_level = ticket.level.code
        ticket.level_id, ticket.group_id = package.from_level_id, package.from_group_id
        ticket.assignee_id = package.from_assignee_id
        save(ticket, "status", "level", "group", "assignee")
        record(ticket, EventKind.RETURNED, actor, body=reason, handoff=package.pk,
               from_level=from_level, to_level=ticket.level.code)
    return ticket


def de_escalate(actor: User, ticket_id: int, *, to_level_id: int, instructions: str,
                to_group_id: int | None = None, version: int | None = None) -> Ticket:
    """A higher level hands the ticket back down with instructions."""
    instructions = require_text(instructions, "instructions", "Instructions")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        target = _level(to_level_id)
        _check_move(ticket, Action.DE_ESCALATE, target)
        previous = (Handoff.objects.filter(ticket=ticket, from_level=target)
                    .order_by("-created_at", "-id").first())
        if to_group_id is None and previous is not None:
            to_group_id = previous.from_group_id
        group = directory.group_for_level(target, ticket.category, to_group_id)
        move(ticket, Action.DE_ESCALATE)
        from_level = ticket.level.code
        ticket.level, ticket.group = target, group
        ticket.assignee_id = (previous.from_assignee_id
                              if previous and previous.from_group_id == group.pk else None)
        save(ticket, "status", "level", "group", "assignee")
        record(ticket, EventKind.DE_ESCALATED, actor, body=instructions,
               from_level=from_level, to_level=target.code, to_group=group.name)
    return ticket


def alert_managers(actor: User, ticket_id: int, *, reason: str,
                   version: int | None = None) -> Ticket:
    """Hierarchical escalation: managers are alerted; the level does not change."""
    reason = require_text(reason, "reason", "A reason")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=False)
        if not actor.is_desk_staff:
            raise PermissionDenied("Only desk staff may alert the managers.")
        move(ticket, Action.ALERT_MANAGERS)
        save(ticket, "status")
        record(ticket, EventKind.MANAGERS_ALERTED, actor, body=reason, level=ticket.level.code)
    return ticket


def engage_vendor(actor: User, ticket_id: int, *, vendor: str, reference: str = "",
                  version: int | None = None) -> Ticket:
    """Vendor escalation: an external party is engaged and the ticket waits on it."""
    vendor = require_text(vendor, "vendor", "The vendor")[:200]
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        move(ticket, Action.VENDOR)
        ticket.vendor, ticket.vendor_reference = vendor, (reference or "").strip()[:200]
        save(ticket, "status", "vendor", "vendor_reference")
        record(ticket, EventKind.VENDOR, actor, vendor=vendor,
               reference=ticket.vendor_reference)
    return ticket


def _level(level_id: int) -> Level:
    level = Level.objects.filter(pk=level_id).first()
    if level is None:
        raise ValidationFailed(f"Level {level_id} does not exist.", fields={"to_level": "unknown"})
    return level


def _check_move(ticket: Ticket, action: Action, target: Level) -> None:
    lifecycle.transition(ticket.status, action)
    ranks = list(Level.objects.values_list("rank", flat=True))
    lifecycle.check_level_move(action, ticket.level.rank, target.rank,
                               skip_allowed=ticket.skip_allowed, ranks=ranks)


def _check_covered(ticket: Ticket, target: Level) -> None:
    if ticket.contract_id and not ticket.contract.included_levels.filter(pk=target.pk).exists():
        raise ValidationFailed(
            f"{ticket.client}'s contract does not include {target.code}.",
            code="level_not_covered", fields={"to_level": "not_covered"},
        )


def _pending_handoff(ticket: Ticket) -> Handoff:
    lifecycle.transition(ticket.status, Action.ACCEPT)  # refuses unless escalated
    return Handoff.objects.get(ticket=ticket, outcome=HandoffOutcome.PENDING)


def _decide(package: Handoff, actor: User, outcome: HandoffOutcome, reason: str = "") -> None:
    package.outcome, package.decided_by, package.decided_at = outcome, actor, clock.now()
    package.return_reason = reason
    package.save(update_fields=["outcome", "decided_by", "decided_at", "return_reason"])
