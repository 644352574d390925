"""Report reads, always scoped to the acting user (ADR 9).

Managers see the clients they serve (administrators: every client); a client manager sees
their own client's figures only; agents and other requesters get no reports. Every selector
takes the actor and a ``ReportFilter`` and returns chart-ready plain data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from palier.accounts.models import Group, Level, Role, User
from palier.clients.models import Client
from palier.core import clock
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.reports import aggregate, kb
from palier.reports import rollups as rollup_store
from palier.reports.metrics import share
from palier.reports.models import ReportCategoryDay, ReportDay, ReportWorkDay, TicketFacts
from palier.tickets.models import Category, Satisfaction, Ticket, Worklog
from palier.tickets.selectors import active_condition, scope_of

AGE_BUCKETS = ((1, "<1d"), (3, "1-3d"), (7, "3-7d"), (30, "7-30d"))


@dataclass(frozen=True)
class ReportFilter:
    """Cases created in [start, end) (dates in the desk's zone, whatever zone the reader's
    page is shown in: ADR 9), and optional dimensions."""

    start: date | None = None
    end: date | None = None
    client_id: int | None = None
    level: str | None = None        # a level code; cases that visited it
    group_id: int | None = None     # cases that visited the group
    category_id: int | None = None
    agent_id: int | None = None     # cases the agent was assigned at some point

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        zone = timezone.get_default_timezone()
        to_dt = (lambda d: datetime.combine(d, time.min, tzinfo=zone) if d else None)  # noqa: E731
        return to_dt(self.start), to_dt(self.end)


@dataclass(frozen=True)
class ReportScope:
    client_ids: frozenset[int] | None  # None: every client (administrators)
    internal: bool                     # desk-internal figures (cost, agents, groups)


def report_scope(actor: User) -> ReportScope:
    """Who may read which reports; refused with ``PermissionDenied`` otherwise."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to read reports.")
    if actor.role == Role.ADMIN:
        return ReportScope(None, True)
    if actor.role == Role.MANAGER:
        return ReportScope(scope_of(actor).client_ids, True)
    if actor.role == Role.REQUESTER and actor.is_client_manager and actor.client_id:
        return ReportScope(frozenset({actor.client_id}), False)
    raise PermissionDenied("Reports are for desk managers and client managers.",
                           code="reports_forbidden")


@dataclass(frozen=True)
class Checked:
    """The actor's scope and a validated filter, checked once; the dashboard passes one
    to each selector it calls. ``rollups``: the daily rollups may answer the filter (they
    are built, and there is no group or agent filter)."""

    scope: ReportScope
    flt: ReportFilter
    rollups: bool

    @property
    def client_ids(self) -> set[int] | frozenset[int] | None:
        """The clients counted (None: every client)."""
        if self.flt.client_id is not None:
            return {self.flt.client_id}
        return self.scope.client_ids


def check(actor: User, flt: ReportFilter) -> Checked:
    """The actor's right to these reports and the filter's validity (refused otherwise)."""
    scope = _checked(actor, flt)
    rollups_fit = flt.group_id is None and flt.agent_id is None
    return Checked(scope, flt, rollups_fit and rollup_store.built())


def scoped_facts(actor: User, flt: ReportFilter, checked: Checked | None = None,
                 ) -> QuerySet[TicketFacts]:
    """The facts of the cases the actor may count, filtered."""
    checked = checked or check(actor, flt)
    facts = _clients(TicketFacts.objects.all(), checked)
    start, end = flt.bounds()
    if start:
        facts = facts.filter(created_at__gte=start)
    if end:
        facts = facts.filter(created_at__lt=end)
    if flt.level:
        facts = facts.filter(levels__contains=f"|{flt.level}|")
    if flt.group_id is not None:
        facts = facts.filter(groups__contains=f"|{flt.group_id}|")
    if flt.category_id is not None:
        facts = facts.filter(category_id=flt.category_id)
    if flt.agent_id is not None:
        facts = facts.filter(agents__contains=f"|{flt.agent_id}|")
    return facts


def _checked(actor: User, flt: ReportFilter) -> ReportScope:
    scope = report_scope(actor)
    if flt.start and flt.end and flt.start >= flt.end:
        raise ValidationFailed("The period ends after it starts.", fields={"end": "before_start"})
    if flt.client_id is not None and (
            (scope.client_ids is not None and flt.client_id not in scope.client_ids)
            or not Client.objects.filter(pk=flt.client_id).exists()):
        raise NotFound(f"Client {flt.client_id} was not found.")
    if not scope.internal and (flt.agent_id is not None or flt.group_id is not None):
        raise PermissionDenied("Agent and group figures are internal to the desk.",
                               code="reports_internal")
    if flt.level and not Level.objects.filter(code=flt.level).exists():
        raise ValidationFailed(f"Level {flt.level} does not exist.", fields={"level": "unknown"})
    return scope


def _clients(rows: QuerySet, checked: Checked) -> QuerySet:
    clients = checked.client_ids
    return rows if clients is None else rows.filter(client_id__in=sorted(clients))


def _days(model: type[models.Model], checked: Checked) -> QuerySet:
    """The rollup rows of ``model`` in the filter (the caller made sure they answer it)."""
    flt = checked.flt
    rows = _clients(model.objects.all(), checked)
    if flt.start:
        rows = rows.filter(day__gte=flt.start)
    if flt.end:
        rows = rows.filter(day__lt=flt.end)
    if flt.level:
        rows = rows.filter(levels__contains=f"|{flt.level}|")
    if flt.category_id is not None:
        rows = rows.filter(category_id=flt.category_id)
    return rows


def _by_day(checked: Checked) -> bool:
    """Whether ``ReportDay`` answers (it has no category)."""
    return checked.rollups and checked.flt.category_id is None


def ranks() -> dict[str, int]:
    return dict(Level.objects.values_list("code", "rank"))


def tiers(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """The tier metrics: volume, FCR, L1 resolution, escalation and paths, returns,
    ping-pong, reopen, first response, time per level and to resolve per level."""
    checked = checked or check(actor, flt)
    levels = ranks()
    if _by_day(checked) and set(levels) <= set(rollup_store.LEVEL_COLUMNS):
        return aggregate.case_metrics(_days(ReportDay, checked), levels, rollup=True)
    return aggregate.case_metrics(scoped_facts(actor, flt, checked), levels)


def volume(actor: User, flt: ReportFilter, checked: Checked | None = None, *,
           categories: bool = True) -> dict:
    """Cases per day, and per category (unless not asked for), priority and start level."""
    checked = checked or check(actor, flt)
    dims = {"by_priority": "priority", "by_start_level": "start_level"}
    if _by_day(checked):
        days = _days(ReportDay, checked)
        out = {"by_day": aggregate.volume_by_day(days, rollup=True),
               **aggregate.by_dimensions(days, dims, rollup=True)}
        if categories:
            out.update(aggregate.by_dimensions(
                _days(ReportCategoryDay, checked), {"by_category": "category_id"},
                names={"by_category": category_paths()}, rollup=True))
        return out
    facts = scoped_facts(actor, flt, checked)
    if categories:
        dims = {"by_category": "category_id", **dims}
    return {"by_day": aggregate.volume_by_day(facts),
            **aggregate.by_dimensions(facts, dims, names={"by_category": category_paths()}
                                      if categories else None)}


def category_paths() -> dict:
    return dict(Category.objects.values_list("id", "path"))


SLA_FIELDS = ("response_total", "response_met", "resolution_total", "resolution_met",
              "ola_breached", "cases")


def sla(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """SLA (first response, resolution) and OLA compliance, overall and per priority."""
    checked = checked or check(actor, flt)
    if _by_day(checked):
        rows = _days(ReportDay, checked)
        measures = {key: Sum(key) for key in SLA_FIELDS}
    else:
        rows = scoped_facts(actor, flt, checked)
        measures = {
            "response_total": Count("pk", filter=Q(response_met__isnull=False)),
            "response_met": Count("pk", filter=Q(response_met=True)),
            "resolution_total": Count("pk", filter=Q(resolution_met__isnull=False)),
            "resolution_met": Count("pk", filter=Q(resolution_met=True)),
            "ola_breached": Count("pk", filter=Q(ola_breached=True)), "cases": Count("pk"),
        }
    rows = list(rows.values("priority").annotate(**measures).order_by("priority"))
    overall = {key: sum(r[key] for r in rows) for key in measures}  # one scan, folded
    return {"overall": _compliance(overall),
            "by_priority": [{"priority": r["priority"], **_compliance(r)} for r in rows]}


def _compliance(row: dict) -> dict:
    return {"response_compliance": share(row["response_met"], row["response_total"]),
            "resolution_compliance": share(row["resolution_met"], row["resolution_total"]),
            "ola_compliance": share(row["cases"] - row["ola_breached"], row["cases"]),
            "measured": row["resolution_total"]}


def csat(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """Satisfaction of the cases in the filter: mean score, share satisfied, distribution."""
    checked = checked or check(actor, flt)
    if _by_day(checked):
        days = _days(ReportDay, checked)
        spread = {k: n or 0 for k, n in days.aggregate(
            **{str(k): Sum(f"csat_{k}") for k in range(1, 6)}).items()}
        levels = {r["csat_level"]: (r["total"], r["n"]) for r in days.exclude(csat_level="")
                  .values("csat_level").annotate(total=Sum("csat_sum"), n=Sum("csat_n"))
                  .order_by()}
    else:
        ratings = Satisfaction.objects.filter(
            ticket_id__in=scoped_facts(actor, flt, checked).values("pk"))
        found = dict(ratings.values_list("score").annotate(n=Count("pk")).order_by())
        spread = {str(k): found.get(k, 0) for k in range(1, 6)}
        levels = {r["level__code"]: (r["total"], r["n"]) for r in ratings.values("level__code")
                  .annotate(total=Sum("score"), n=Count("pk")).order_by()}
    n = sum(spread.values())
    total = sum(int(k) * count for k, count in spread.items())
    return {"responses": n, "mean": _mean(total, n),
            "satisfied_share": share(spread["4"] + spread["5"], n),
            "distribution": spread,
            "mean_by_level": {code: _mean(t, c) for code, (t, c) in levels.items() if c}}


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 3) if n else None


def cost(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """Worklog × hourly cost per level: total, tickets worked, cost per ticket."""
    if not (checked.scope if checked else report_scope(actor)).internal:
        raise PermissionDenied("Costs are internal to the desk.", code="reports_internal")
    checked = checked or check(actor, flt)
    money = DecimalField(max_digits=16, decimal_places=4)
    cost_n = Sum(ExpressionWrapper(F("minutes") * F("agent__hourly_cost"), output_field=money))
    if _by_day(checked):
        entries = _days(ReportWorkDay, checked)
        tickets_n = Sum("tickets")
    else:
        entries = Worklog.objects.filter(
            ticket_id__in=scoped_facts(actor, flt, checked).values("pk"))
        tickets_n = Count("ticket_id", distinct=True)
    rows = (entries.values("level__code", "level__rank").annotate(
        minutes_n=Sum("minutes"), tickets_n=tickets_n, cost_n=cost_n).order_by("level__rank"))
    levels = [{"level": r["level__code"], "minutes": r["minutes_n"], "tickets": r["tickets_n"],
               "cost": round(float(r["cost_n"] or 0) / 60, 2),
               "cost_per_ticket": round(float(r["cost_n"] or 0) / 60 / r["tickets_n"], 2)}
              for r in rows]
    return {"by_level": levels, "total": round(sum(r["cost"] for r in levels), 2)}


def backlog(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """Active tickets now, by level and by age (chart-ready)."""
    checked = checked or check(actor, flt)
    tickets = _clients(Ticket.objects.filter(active_condition()), checked)  # partial indexes
    if flt.level:
        tickets = tickets.filter(level__code=flt.level)
    if flt.group_id is not None:
        tickets = tickets.filter(group_id=flt.group_id)
    if flt.category_id is not None:
        tickets = tickets.filter(category_id=flt.category_id)
    if flt.agent_id is not None:
        tickets = tickets.filter(assignee_id=flt.agent_id)
    now = clock.now()
    buckets, lower = {}, now
    for days, label in AGE_BUCKETS:
        edge = now - timedelta(days=days)
        buckets[label] = Count("pk", filter=Q(created_at__gt=edge, created_at__lte=lower))
        lower = edge
    buckets[">30d"] = Count("pk", filter=Q(created_at__lte=lower))
    rows = list(tickets.values("level__code", "level__rank").annotate(total=Count("pk"), **buckets)
                .order_by("level__rank"))
    labels = [label for _, label in AGE_BUCKETS] + [">30d"]
    return {"total": sum(r["total"] for r in rows), "age_labels": labels,
            "by_level": [{"level": r["level__code"], "total": r["total"],
                          "ages": [r[label] for label in labels]} for r in rows]}


def knowledge(actor: User, flt: ReportFilter, checked: Checked | None = None) -> dict:
    """Knowledge-base use on tickets and deflection (when the knowledge app has data)."""
    checked = checked or check(actor, flt)
    if _by_day(checked):
        row = _days(ReportDay, checked).aggregate(
            resolved_n=Sum("resolved"), article_n=Sum("resolved_article"), created=Sum("cases"))
    else:
        row = scoped_facts(actor, flt, checked).aggregate(
            resolved_n=Count("pk", filter=Q(resolved=True)),
            article_n=Count("pk", filter=Q(resolved=True, with_article=True)),
            created=Count("pk"))
    row = {key: value or 0 for key, value in row.items()}
    deflected = kb.deflections(checked.client_ids, *flt.bounds())
    created = row["created"]
    return {"resolved": row["resolved_n"], "resolved_with_article": row["article_n"],
            "kb_use_rate": share(row["article_n"], row["resolved_n"]),
            "deflected": deflected, "deflection_rate": (
                share(deflected, deflected + created) if deflected is not None else None),
            "knowledge_available": deflected is not None}


def shift_left(actor: User, flt: ReportFilter, checked: Checked | None = None, *,
               quick_hours: float = ReportCategoryDay.QUICK_HOURS, limit: int = 20,
               ) -> list[dict]:
    """Categories often escalated then resolved quickly at L2 with an article: L1 could
    take them over. Ranked by the number of such tickets."""
    checked = checked or check(actor, flt)
    if checked.rollups and quick_hours == ReportCategoryDay.QUICK_HOURS:
        rows = _days(ReportCategoryDay, checked)
        measures = {"volume": Sum("cases"), "escalated": Sum("escalated"),
                    "candidates": Sum("quick_l2")}
    else:
        rows = scoped_facts(actor, flt, checked)
        quick = Q(escalations__gt=0, resolved=True, resolved_level="L2", with_article=True,
                  seconds_l2__lte=quick_hours * 3600)
        measures = {"volume": Count("pk"), "escalated": Count("pk", filter=Q(escalations__gt=0)),
                    "candidates": Count("pk", filter=quick)}
    rows = (rows.filter(category__isnull=False).values("category_id", "category__path")
            .annotate(**measures)
            .filter(candidates__gt=0).order_by("-candidates", "category__path")[:limit])
    return [{"category_id": r["category_id"], "category": r["category__path"],
             "volume": r["volume"], "escalation_rate": share(r["escalated"], r["volume"]),
             "quick_l2_with_article": r["candidates"],
             "share_of_escalated": share(r["candidates"], r["escalated"])} for r in rows]


EXPORT_COLUMNS = ("ticket__number", "client__code", "category__path", "priority", "created_at",
                  "start_level", "level_trail", "resolved_level", "resolved", "fcr",
                  "escalations", "returns", "reopens", "pingpong_level", "pingpong_group",
                  "first_response_seconds", "resolve_seconds", "paused_seconds",
                  "response_met", "resolution_met")


def export_rows(actor: User, flt: ReportFilter) -> Iterator[list]:
    """A header then one row per ticket in the filter (for a CSV export), streamed."""
    facts = (scoped_facts(actor, flt).order_by("created_at", "pk")
             .values_list(*EXPORT_COLUMNS))
    return _rows(facts)  # the scope is checked now, before a response starts streaming


def _rows(facts: QuerySet) -> Iterator[list]:
    yield [c.replace("__", "_") for c in EXPORT_COLUMNS]
    for row in facts.iterator(chunk_size=5000):
        yield [v.isoformat() if isinstance(v, datetime) else v for v in row]


def groups_of(actor: User) -> list[dict]:
    """Groups for the filter pickers (desk staff reports only)."""
    if not report_scope(actor).internal:
        return []
    return list(Group.objects.values("id", "name", "level__code"))


REPORTS = {"tiers": tiers, "volume": volume, "sla": sla, "csat": csat, "cost": cost,
           "backlog": backlog, "knowledge": knowledge, "shift-left": shift_left}
