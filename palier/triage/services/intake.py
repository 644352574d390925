"""Intake advice: predict a new ticket's category, group and priority before it is routed.

``tickets.services.intake.open_ticket`` asks :func:`advise` first, takes from the advice
only what the caller did not give and what clears the desk's threshold for the field, lets
the intake rules have the last word on routing, then calls :func:`record_advice`.
Triage never blocks intake: any failure here is logged and the ticket is opened without it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from palier.core import clock
from palier.tickets import routing
from palier.tickets.models import EventKind, Ticket
from palier.tickets.services.base import record
from palier.tickets.services.directory import (
    contract_for,
    find_category,
    find_group,
    included_level_ids,
)
from palier.triage.learning.model import Ranked
from palier.triage.learning.text import MAX_CHARS, join
from palier.triage.models import Field, TicketPrediction
from palier.triage.services import runtime
from palier.triage.services.config import desk_settings, enabled

log = logging.getLogger(__name__)


@dataclass
class Advice:
    """The predictions for one new ticket and what intake took from them."""

    version: int
    ranked: dict[str, Ranked]
    thresholds: dict[str, float]
    applied: dict[str, str] = field(default_factory=dict)

    def confident(self, name: str) -> str | None:
        ranked, threshold = self.ranked.get(name), self.thresholds[name]
        if ranked is None or threshold >= 1.0 or ranked.confidence < threshold:
            return None  # a threshold of 1.0 means "only suggest"
        return ranked.label

    def category_id(self) -> int | None:
        """The predicted category when confident and still active."""
        value = self.confident(Field.CATEGORY)
        if value and find_category(int(value)) is not None:
            self.applied[Field.CATEGORY] = value
            return int(value)
        return None

    def impact_urgency(self) -> tuple[str, str] | None:
        value = self.confident(Field.PRIORITY)
        if not value:
            return None
        impact, _, urgency = value.partition("/")
        if impact not in set(routing.Impact) or urgency not in set(routing.Urgency):
            return None
        self.applied[Field.PRIORITY] = value
        return impact, urgency

    def route(self, route: routing.Route, client_id: int) -> routing.Route:
        """The predicted level and group instead of the category's default, when confident,
        still existing and within the client's contract. Intake rules are never overridden:
        call this only when no rule matched."""
        value = self.confident(Field.GROUP)
        group = find_group(int(value)) if value else None
        if group is None:
            return route
        contract = contract_for(client_id, clock.now().date())
        if contract is not None and group.level_id not in included_level_ids(contract):
            return route
        self.applied[Field.GROUP] = value
        return routing.Route(group.level_id, group.pk, route.skip_allowed, None)


def advise(title: str, description: str, requester_email: str | None = None,
           ) -> Advice | None:
    """The advice for a new ticket, or None when triage is off, has no usable model, or
    fails (logged: intake goes on). The requester's e-mail helps when given; without it
    the text alone decides."""
    try:
        if not enabled():
            return None
        loaded = runtime.current()
        if loaded is None:
            return None
        text = join([title, (description or "")[:MAX_CHARS]])
        ranked = loaded.model.predict_one(text, requester_email)
        config = desk_settings()
        return Advice(loaded.version, ranked, {f: config.threshold(f) for f in ranked})
    except Exception:
        log.exception("Triage failed; the ticket is opened without predictions.")
        return None


def record_advice(ticket: Ticket, advice: Advice) -> None:
    """Store every field's prediction (top 3 as suggestions) and journal what was applied.

    Runs inside intake's transaction, in a savepoint: a failure here is logged and the
    ticket is still opened, unless the savepoint could not be rolled back (a lost
    connection): then the whole intake transaction is doomed and the error is raised, so
    that the caller never answers for a ticket that was not stored.
    """
    try:
        with transaction.atomic():
            _store(ticket, advice)
    except Exception:
        if transaction.get_connection().needs_rollback:
            raise
        log.exception("Triage predictions for %s were not stored.", ticket.number)


def _store(ticket: Ticket, advice: Advice) -> None:
    now = clock.now()
    TicketPrediction.objects.bulk_create(
        TicketPrediction(
            ticket=ticket, field=name, value=ranked.label, confidence=ranked.confidence,
            threshold=advice.thresholds[name], applied=name in advice.applied,
            suggestions=[{"value": v, "confidence": round(p, 4)} for v, p in ranked.top(3)],
            model_version=advice.version, created_at=now)
        for name, ranked in advice.ranked.items())
    if advice.applied:
        record(ticket, EventKind.TRIAGED, None, fields=sorted(advice.applied),
               values=dict(advice.applied),
               confidences={f: round(advice.ranked[f].confidence, 4) for f in advice.applied},
               model_version=advice.version)
