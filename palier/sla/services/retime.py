"""Policy and calendar changes, applied to the tickets they govern.

A change never rewrites the past: each open ticket gets a ``policy_changed`` journal event
naming the new version, and its clock is replayed with the old rules up to that moment and the
new ones after it, so time already counted stays counted and time already paused stays paused.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from palier.accounts.models import User
from palier.core import clock
from palier.sla.models import Calendar, SlaPolicy
from palier.sla.services import versions
from palier.sla.services.refresh import refresh_many
from palier.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus

CHUNK = 500


def apply_policy_change(policy: SlaPolicy, *, actor: User | None = None,
                        previous_contract_id: int | None = None) -> int:
    """Re-time the open tickets of the policy's contract (and of the contract it left);
    returns how many tickets changed rules."""
    contracts = {policy.contract_id, previous_contract_id} - {None}
    return sum(retime_contract(pk, actor=actor) for pk in sorted(contracts))


def apply_calendar_change(calendar: Calendar, *, actor: User | None = None) -> int:
    """Re-time the open tickets of every contract whose active policy uses ``calendar``."""
    contracts = (SlaPolicy.objects.filter(calendar=calendar, is_active=True)
                 .values_list("contract_id", flat=True).distinct())
    return sum(retime_contract(pk, actor=actor) for pk in sorted(contracts))


def retime_contract(contract_id: int, *, actor: User | None = None,
                    now: datetime | None = None) -> int:
    """Put the contract's tickets that are not closed under the rules now in force."""
    now = now or clock.now()
    version = versions.contract_version(contract_id)
    ids = list(Ticket.objects.filter(contract_id=contract_id)
               .exclude(status=TicketStatus.CLOSED).exclude(sla_version_id=version)
               .order_by("pk").values_list("pk", flat=True))
    name = versions.rules(version).name or "default targets"
    changed = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            changed += _retime(ids[start:start + CHUNK], version, name, actor, now)
    return changed


def _retime(ids: list[int], version: str, name: str, actor: User | None,
            now: datetime) -> int:
    tickets = list(Ticket.objects.select_for_update().filter(pk__in=ids)
                   .exclude(status=TicketStatus.CLOSED).exclude(sla_version_id=version)
                   .order_by("pk"))
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket=ticket, kind=EventKind.POLICY_CHANGED, actor=actor, created_at=now,
                    body=f"The SLA policy {name} applies from now on.",
                    data={"from_version": ticket.sla_version_id, "to_version": version,
                          "policy": name})
        for ticket in tickets)
    return refresh_many(tickets, now=now)
