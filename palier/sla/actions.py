"""What the worker does when a target breaches, as the policy says, through the ticket
services acting as the system (``actor=None``).

- ``auto_escalate_on_ola``: when the current level's OLA is exhausted, escalate to the next
  level with a handoff written by the system (skipped, with a note, when the ticket cannot
  move: top level, level not in the contract, awaiting acceptance, resolved…).
- ``reassign_in_group``: on a breach that did not move the ticket, give it to the group's
  least-loaded available agent (a note says so when nobody else can take it).

Alerting the managers is written by the worker with the breach itself (``firing``). Each
action runs in a savepoint inside the worker's transaction, so it happens exactly when the
breach is recorded, and a refused action leaves the rest of the batch alone.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from palier.accounts.models import Level
from palier.core.errors import DomainError
from palier.sla.clock import Alarm, fmt_duration
from palier.sla.services import versions
from palier.tickets import lifecycle
from palier.tickets.models import EventKind, Ticket, TicketEvent
from palier.tickets.services import HandoffInput, directory, escalate
from palier.tickets.services.assignment import assign_least_loaded
from palier.tickets.services.base import record

NOT_PROVIDED = "(not provided by automatic escalation)"
NOTHING_RECORDED = "(nothing recorded in the journal at this level)"
HISTORY = 5


def act_on_breaches(breaches: list[tuple[int, Alarm]], version_of: dict[int, str | None]
                    ) -> None:
    """Run the configured actions for the breaches just fired (tickets locked by the caller)."""
    by_ticket: dict[int, list[Alarm]] = {}
    for ticket_id, alarm in breaches:
        by_ticket.setdefault(ticket_id, []).append(alarm)
    for ticket_id, alarms in by_ticket.items():
        version_id = version_of.get(ticket_id)
        if version_id is None:
            continue
        actions = versions.rules(version_id).actions
        if actions.auto_escalate_on_ola and any(
                _escalate(ticket_id, alarm) for alarm in alarms if alarm.level):
            continue
        if actions.reassign_in_group:
            _reassign(ticket_id)


def _escalate(ticket_id: int, alarm: Alarm) -> bool:
    """Escalate to the next level because ``alarm`` (an OLA breach) fired; True if it did."""
    ticket = Ticket.objects.select_related("level", "category").get(pk=ticket_id)
    if ticket.level.code != alarm.level or not ticket.is_active:
        return False
    target = Level.objects.filter(rank__gt=ticket.level.rank).order_by("rank").first()
    if target is None:
        _note(ticket, f"Automatic escalation skipped: {ticket.level.code} is the top level.")
        return False
    try:
        with transaction.atomic():
            escalate(None, ticket_id, to_level_id=target.pk, handoff=system_handoff(ticket, alarm))
    except DomainError as exc:
        _note(ticket, f"Automatic escalation to {target.code} skipped: {exc.detail}")
        return False
    return True


def system_handoff(ticket: Ticket, alarm: Alarm) -> HandoffInput:
    """The handoff the system writes: what the journal says was tried at this level."""
    minutes = versions.rules(ticket.sla_version_id).policy.ola.get(alarm.level or "")
    spent = f" of {fmt_duration(minutes)}" if minutes else ""
    worked = list(TicketEvent.objects.filter(
        ticket=ticket, kind__in=[EventKind.NOTE, EventKind.MESSAGE], actor__isnull=False,
        created_at__gte=_arrival(ticket)).order_by("-created_at", "-id")
        .values_list("body", flat=True)[:HISTORY])
    return HandoffInput(
        summary=f"{ticket.title}\n\nEscalated automatically: the {alarm.level} OLA{spent} "
                f"was exhausted at {alarm.at:%Y-%m-%d %H:%M} UTC.",
        steps_tried="\n\n".join(reversed(worked)) or NOTHING_RECORDED,
        diagnostics=ticket.description.strip() or NOT_PROVIDED,
        fields=dict.fromkeys(directory.required_handoff_fields(ticket.category), NOT_PROVIDED),
    )


def _arrival(ticket: Ticket) -> datetime:
    """When the ticket last arrived at its level (creation, or the last level move)."""
    moved = (TicketEvent.objects.filter(
        ticket=ticket, kind__in=[EventKind.ESCALATED, EventKind.RETURNED,
                                 EventKind.DE_ESCALATED])
        .order_by("-created_at", "-id").values_list("created_at", flat=True).first())
    return moved or ticket.created_at


def _reassign(ticket_id: int) -> None:
    ticket = Ticket.objects.select_related("category").get(pk=ticket_id)
    if (ticket.status, lifecycle.Action.ASSIGN) not in lifecycle.TABLE:
        return
    try:
        with transaction.atomic():
            agent = assign_least_loaded(ticket, actor=None)
    except DomainError:
        agent = None
    if agent is None:
        _note(ticket, f"Automatic reassignment skipped: no other available agent of "
                      f"{ticket.group} can take {ticket.number}.")


def _note(ticket: Ticket, text: str) -> None:
    record(ticket, EventKind.NOTE, None, body=text, automatic=True)
