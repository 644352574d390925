"""Reads of the analysis workspace: the same metrics as the live desk, per imported log.

Imported logs are the desk's own analysis material, not client data: desk managers and
administrators read them; everyone else is refused.
"""

from __future__ import annotations

from palier.accounts.models import Role, User
from palier.core.errors import NotFound, PermissionDenied
from palier.eventlog.models import EventLog, LogCase
from palier.reports import aggregate


def _check(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active
            and actor.role in (Role.MANAGER, Role.ADMIN)):
        raise PermissionDenied("Event-log analyses are for desk managers.",
                               code="reports_forbidden")


def logs(actor: User) -> list[EventLog]:
    _check(actor)
    return list(EventLog.objects.all())


def access_log(actor: User, log_id: int) -> EventLog:
    _check(actor)
    log = EventLog.objects.filter(pk=log_id).first()
    if log is None:
        raise NotFound(f"Event log {log_id} was not found.")
    return log


def log_metrics(actor: User, log_id: int) -> dict:
    """Volume, FCR, escalation paths, ping-pong, time per level… of one imported log."""
    log = access_log(actor, log_id)
    cases = LogCase.objects.filter(log=log)
    return {"log": {"id": log.pk, "name": log.name, "cases": log.cases, "events": log.events,
                    "levels": log.levels, "imported_at": log.imported_at.isoformat()},
            **aggregate.case_metrics(cases, log.ranks),
            "by_day": aggregate.volume_by_day(cases),
            "by_priority": aggregate.by_dimension(cases, "priority")}
