"""Triage reads, scoped to the actor: a ticket's predictions and why, and how well
auto-routing did over recent tickets (against what agents finally chose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from palier.accounts.models import Group, User
from palier.core import clock
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.tickets.models import Category, Ticket, TicketStatus
from palier.tickets.selectors import access_ticket, visible_tickets
from palier.triage.learning.text import MAX_CHARS, join
from palier.triage.models import Field, TicketPrediction
from palier.triage.services import runtime

FINAL = (TicketStatus.RESOLVED, TicketStatus.CLOSED)


@dataclass(frozen=True)
class Suggestion:
    value: str
    label: str
    confidence: float


@dataclass(frozen=True)
class FieldPrediction:
    field: str
    value: str
    label: str
    confidence: float
    threshold: float
    applied: bool
    suggestions: list[Suggestion]
    why: list[tuple[str, float]]
    model_version: int


def final_value(ticket: Ticket, field: str) -> str:
    """The ticket's current value of a triage field, as the model's labels spell it."""
    if field == Field.CATEGORY:
        return str(ticket.category_id or "")
    if field == Field.GROUP:
        return str(ticket.group_id or "")
    return f"{ticket.impact}/{ticket.urgency}"


def ticket_predictions(actor: User, ticket_id: int, *, why: bool = True,
                       ) -> list[FieldPrediction]:
    """What triage predicted for the ticket, with its suggestions and the words behind it.

    Desk staff only; a ticket outside the actor's clients is not found."""
    ticket = access_ticket(actor, ticket_id)
    if not actor.is_desk_staff:
        raise PermissionDenied("Only the desk sees triage predictions.")
    rows = list(TicketPrediction.objects.filter(ticket=ticket).order_by("field"))
    labels = _labels(rows)
    loaded = runtime.current() if why else None
    text = join([ticket.title, ticket.description[:MAX_CHARS]])
    out = []
    for row in rows:
        reasons: list[tuple[str, float]] = []
        if loaded is not None and row.field in loaded.model.fields:
            reasons = loaded.model.explain(text, row.field, row.value,
                                           requester=ticket.requester.email)
        out.append(FieldPrediction(
            row.field, row.value, labels.get((row.field, row.value), row.value),
            round(row.confidence, 4), row.threshold, row.applied,
            [Suggestion(s["value"], labels.get((row.field, s["value"]), s["value"]),
                        s["confidence"]) for s in row.suggestions],
            reasons, row.model_version))
    return out


def _labels(rows: list[TicketPrediction]) -> dict[tuple[str, str], str]:
    """Readable names for predicted values: category paths, "L2 · Network", "high/low"."""
    values: dict[str, set[int]] = {Field.CATEGORY: set(), Field.GROUP: set()}
    for row in rows:
        if row.field in values:
            for v in [row.value, *(s["value"] for s in row.suggestions)]:
                if str(v).isdigit():
                    values[row.field].add(int(v))
    names = {(Field.CATEGORY.value, str(c.pk)): c.path
             for c in Category.objects.filter(pk__in=values[Field.CATEGORY])}
    names.update({(Field.GROUP.value, str(g.pk)): f"{g.level.code} · {g.name}"
                  for g in Group.objects.filter(pk__in=values[Field.GROUP])
                  .select_related("level")})
    return names


def routing_quality(actor: User, days: int = 30) -> dict:
    """Per field, over tickets opened in the last ``days`` that the actor may see: how many
    had a prediction, the share applied automatically (coverage), and how many of the
    applied ones agents kept, among the tickets resolved since (accuracy)."""
    if not actor.is_manager:
        raise PermissionDenied("Auto-routing figures are for managers.")
    if not 1 <= days <= 365:
        raise ValidationFailed("days is between 1 and 365.", fields={"days": "out_of_range"})
    since = clock.now() - timedelta(days=days)
    tickets = visible_tickets(actor).filter(created_at__gte=since)
    rows = (TicketPrediction.objects.filter(ticket__in=tickets)
            .select_related("ticket").only("field", "value", "applied", "ticket__status",
                                           "ticket__category_id", "ticket__group_id",
                                           "ticket__impact", "ticket__urgency"))
    stats = {f.value: {"predicted": 0, "applied": 0, "judged": 0, "kept": 0} for f in Field}
    for row in rows.iterator(chunk_size=2000):
        s = stats[row.field]
        s["predicted"] += 1
        if row.applied:
            s["applied"] += 1
            if row.ticket.status in FINAL:
                s["judged"] += 1
                s["kept"] += final_value(row.ticket, row.field) == row.value
    for s in stats.values():
        s["coverage"] = round(s["applied"] / s["predicted"], 4) if s["predicted"] else None
        s["accuracy"] = round(s["kept"] / s["judged"], 4) if s["judged"] else None
    return {"days": days, "since": since, "tickets": tickets.count(), "fields": stats}


def explain_ticket(actor: User | None, reference: str) -> dict:
    """The current model's top three for each field of a ticket and the words behind the
    first, beside what was predicted at intake. ``actor=None`` is the operator's CLI (like
    the system in the ticket services); anyone else reads within their scope."""
    tickets = Ticket.objects.all() if actor is None else visible_tickets(actor)
    if actor is not None and not actor.is_desk_staff:
        raise PermissionDenied("Only the desk sees triage predictions.")
    ref = reference.strip()
    ticket = (tickets.filter(pk=int(ref)) if ref.isdigit()
              else tickets.filter(number=ref.upper())).first()
    if ticket is None:
        raise NotFound(f"Ticket {reference} was not found.")
    loaded = runtime.current()
    if loaded is None:
        raise ValidationFailed("No triage model is available: train one with "
                               "`palier triage train`.", code="no_model")
    text = join([ticket.title, ticket.description[:MAX_CHARS]])
    requester = ticket.requester.email
    ranked = loaded.model.predict_one(text, requester)
    stored = {p.field: p for p in TicketPrediction.objects.filter(ticket=ticket)}
    labels = _labels(list(stored.values()))
    fields = {}
    for name, r in ranked.items():
        names = _value_names(name, [v for v, _ in r.top(3)])
        at_intake = stored.get(name)
        fields[name] = {
            "top": [{"value": v, "label": names.get(v, v), "confidence": round(p, 4)}
                    for v, p in r.top(3)],
            "why": loaded.model.explain(text, name, r.label, requester=requester),
            "final": final_value(ticket, name),
            "at_intake": None if at_intake is None else {
                "value": at_intake.value, "confidence": round(at_intake.confidence, 4),
                "applied": at_intake.applied, "model_version": at_intake.model_version,
                "label": labels.get((name, at_intake.value), at_intake.value)},
        }
    return {"ticket": ticket.number, "model_version": loaded.version, "fields": fields}


def _value_names(field: str, values: list[str]) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdigit()]
    if field == Field.CATEGORY:
        return {str(c.pk): c.path for c in Category.objects.filter(pk__in=ids)}
    if field == Field.GROUP:
        return {str(g.pk): f"{g.level.code} · {g.name}"
                for g in Group.objects.filter(pk__in=ids).select_related("level")}
    return {}
