"""Daily rollups of the ticket facts: exact sums per day, recomputed from the facts in SQL.

Three tables (``ReportDay``, ``ReportCategoryDay``, ``ReportWorkDay``) hold, per creation
day and client (and the dimensions their reports group or filter by), the counts and sums
of the ``TicketFacts`` rows (and of the worklog). A day's rows are always rebuilt whole from
the facts of that day (``DELETE`` + ``INSERT … SELECT … GROUP BY``), so a refresh is exact,
idempotent, and gives the same rows however often it runs. ``facts.store`` refreshes the
days of the tickets it rewrites, in the same transaction; ``rebuild`` redoes every day.

Several workers: on PostgreSQL every writer of facts or rollups first takes one
transaction-level advisory lock (``lock``), so two refreshes of the same day never
interleave; SQLite serialises writers by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from palier.core import clock
from palier.reports.models import (
    FactsCursor,
    ReportCategoryDay,
    ReportDay,
    ReportWorkDay,
    TicketFacts,
)
from palier.tickets.models import Worklog

LOCK_KEY = 0x7061_6C69_6572  # "palier": the reports' advisory lock
MARKER = "rollups"           # a FactsCursor row: the rollups were built (and kept since)
LEVEL_COLUMNS = ("L1", "L2", "L3")  # level codes with their own seconds columns


def _yes(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


DAY_KEY = {"day": "created_on", "client_id": "client_id", "priority": "priority",
           "level_trail": "level_trail", "levels": "levels", "start_level": "start_level",
           "resolved_level": "resolved_level", "csat_level": "csat_level"}
DAY_MEASURES = {
    "cases": "COUNT(*)", "resolved": _yes("resolved"), "fcr": _yes("resolved AND fcr"),
    "l1_resolved": _yes("resolved AND l1_resolved"), "escalated": _yes("escalations > 0"),
    "pingpong": _yes("pingpong_level OR pingpong_group"),
    "pingpong_level": _yes("pingpong_level"), "pingpong_group": _yes("pingpong_group"),
    "reopened": _yes("resolved AND reopens > 0"),
    "frt_sum": "COALESCE(SUM(first_response_seconds), 0)",
    "frt_n": "COUNT(first_response_seconds)",
    "resolve_sum": "COALESCE(SUM(CASE WHEN resolved THEN resolve_seconds END), 0)",
    "resolve_n": "COUNT(CASE WHEN resolved THEN resolve_seconds END)",
    "paused_sum": "SUM(paused_seconds)", "with_article": _yes("with_article"),
    "resolved_article": _yes("resolved AND with_article"),
    **{name: f"SUM({name})" for name in ("escalations", "skips", "returns", "de_escalations",
                                         "reassignments", "seconds_l1", "seconds_l2",
                                         "seconds_l3")},
    "response_total": "COUNT(response_met)", "response_met": _yes("response_met"),
    "resolution_total": "COUNT(resolution_met)", "resolution_met": _yes("resolution_met"),
    "ola_breached": _yes("ola_breached"), "csat_n": "COUNT(csat_score)",
    "csat_sum": "COALESCE(SUM(csat_score), 0)",
    **{f"csat_{k}": _yes(f"csat_score = {k}") for k in range(1, 6)},
}
CATEGORY_KEY = {"day": "created_on", "client_id": "client_id", "category_id": "category_id",
                "levels": "levels"}
CATEGORY_MEASURES = {
    "cases": "COUNT(*)", "escalated": _yes("escalations > 0"), "resolved": _yes("resolved"),
    "fcr": _yes("resolved AND fcr"), "pingpong": _yes("pingpong_level OR pingpong_group"),
    "quick_l2": _yes("escalations > 0 AND resolved AND resolved_level = 'L2' AND with_article"
                     f" AND seconds_l2 <= {ReportCategoryDay.QUICK_HOURS * 3600:.0f}"),
}


def _insert_grouped(model, key: dict[str, str], measures: dict[str, str], where: str) -> str:
    columns = [*key, *measures]
    select = [*key.values(), *measures.values()]
    return (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM {TicketFacts._meta.db_table} {where} "
            f"GROUP BY {', '.join(key.values())}")


def _insert_work(where: str, work_where: str = "") -> str:
    """Worklog minutes per (ticket day, client, levels, level, agent); each (ticket, level)
    counted once, on its lowest agent id's row, so that tickets add up over agents."""
    facts, work = TicketFacts._meta.db_table, Worklog._meta.db_table
    return (
        f"INSERT INTO {ReportWorkDay._meta.db_table} "
        "(day, client_id, levels, level_id, agent_id, minutes, tickets) "
        "SELECT f.created_on, f.client_id, f.levels, w.level_id, w.agent_id, SUM(w.minutes), "
        "SUM(w.first_agent) FROM ("
        "SELECT ticket_id, level_id, agent_id, SUM(minutes) AS minutes, "
        "CASE WHEN agent_id = MIN(agent_id) OVER (PARTITION BY ticket_id, level_id) "
        f"THEN 1 ELSE 0 END AS first_agent FROM {work} {work_where} "
        "GROUP BY ticket_id, level_id, agent_id"
        f") w JOIN {facts} f ON f.ticket_id = w.ticket_id {where} "
        "GROUP BY f.created_on, f.client_id, f.levels, w.level_id, w.agent_id")


def lock(cursor) -> None:
    """Serialise the writers of facts and rollups (PostgreSQL; SQLite already does)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def refresh_days(cursor, days: Iterable[date]) -> None:
    """Recompute every rollup row of these days from the facts (inside the caller's
    transaction, after ``lock``)."""
    days = sorted(set(days))
    if not days:
        return
    marks = ", ".join(["%s"] * len(days))
    params = [connection.ops.adapt_datefield_value(d) for d in days]
    for model in (ReportDay, ReportCategoryDay, ReportWorkDay):
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE day IN ({marks})", params)
    cursor.execute(_insert_grouped(ReportDay, DAY_KEY, DAY_MEASURES,
                                   f"WHERE created_on IN ({marks})"), params)
    cursor.execute(_insert_grouped(ReportCategoryDay, CATEGORY_KEY, CATEGORY_MEASURES,
                                   f"WHERE created_on IN ({marks})"), params)
    cursor.execute(_insert_work(  # the worklog of those days' tickets only
        f"WHERE f.created_on IN ({marks})",
        f"WHERE ticket_id IN (SELECT ticket_id FROM {TicketFacts._meta.db_table} "
        f"WHERE created_on IN ({marks}))"), params + params)


def rebuild() -> None:
    """Every rollup row from the facts, then mark the rollups as built."""
    with transaction.atomic(), connection.cursor() as cursor:
        lock(cursor)
        for model in (ReportDay, ReportCategoryDay, ReportWorkDay):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute(_insert_grouped(ReportDay, DAY_KEY, DAY_MEASURES, ""))
        cursor.execute(_insert_grouped(ReportCategoryDay, CATEGORY_KEY, CATEGORY_MEASURES, ""))
        cursor.execute(_insert_work(""))
        FactsCursor.objects.update_or_create(name=MARKER, defaults={"updated_at": clock.now()})
    with connection.cursor() as cursor:  # fresh statistics for the planner
        for model in (ReportDay, ReportCategoryDay, ReportWorkDay):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def built() -> bool:
    """Whether the rollups were built (``rebuild``) and so are kept current since."""
    return FactsCursor.objects.filter(name=MARKER).exists()

