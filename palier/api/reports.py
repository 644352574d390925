"""/api/v1/reports/…: the tier metrics, SLA, CSAT, cost, backlog, knowledge, shift-left,
a CSV export, and the imported event logs (ADR 9 says who sees what)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from palier.api.schemas import Error, Id, IsoDate
from palier.eventlog import selectors as eventlogs
from palier.reports import selectors
from palier.reports.selectors import ReportFilter

router = Router(tags=["reports"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
OK = {200: dict, **ERRORS}


class ReportQuery(Schema):
    start: IsoDate | None = Field(default=None, description="first day (inclusive)")
    end: IsoDate | None = Field(default=None, description="last day (exclusive)")
    client: Id | None = None
    level: str | None = Field(default=None, max_length=8, pattern=r"^[A-Za-z0-9_-]+$",
                              description="a level code: cases that visited it")
    group: Id | None = Field(default=None, description="cases that visited the group")
    category: Id | None = None
    agent: Id | None = Field(default=None, description="cases the agent was assigned")

    def to_filter(self) -> ReportFilter:
        return ReportFilter(start=self.start, end=self.end, client_id=self.client,
                            level=self.level, group_id=self.group,
                            category_id=self.category, agent_id=self.agent)


@router.get("/reports/tiers", response=OK)
def tiers(request: HttpRequest, query: Query[ReportQuery]):
    """Volume, FCR, L1 resolution, escalation rate and paths, returns, ping-pong, reopen,
    first response, time per level and to resolve per level."""
    return selectors.tiers(request.auth, query.to_filter())


@router.get("/reports/volume", response=OK)
def volume(request: HttpRequest, query: Query[ReportQuery]):
    """Cases per day (chart-ready), per category, priority and start level."""
    return selectors.volume(request.auth, query.to_filter())


@router.get("/reports/sla", response=OK)
def sla(request: HttpRequest, query: Query[ReportQuery]):
    """SLA (first response, resolution) and OLA compliance, overall and per priority."""
    return selectors.sla(request.auth, query.to_filter())


@router.get("/reports/csat", response=OK)
def csat(request: HttpRequest, query: Query[ReportQuery]):
    return selectors.csat(request.auth, query.to_filter())


@router.get("/reports/cost", response=OK)
def cost(request: HttpRequest, query: Query[ReportQuery]):
    """Worklog × hourly cost per level (desk managers only)."""
    return selectors.cost(request.auth, query.to_filter())


@router.get("/reports/backlog", response=OK)
def backlog(request: HttpRequest, query: Query[ReportQuery]):
    """Active tickets now, by level and age (the period is ignored)."""
    return selectors.backlog(request.auth, query.to_filter())


@router.get("/reports/knowledge", response=OK)
def knowledge(request: HttpRequest, query: Query[ReportQuery]):
    return selectors.knowledge(request.auth, query.to_filter())


@router.get("/reports/shift-left", response={200: list[dict], **ERRORS})
def shift_left(request: HttpRequest, query: Query[ReportQuery]):
    """Categories often escalated and resolved quickly at L2 with an article."""
    return selectors.shift_left(request.auth, query.to_filter())


CSV = {"responses": {200: {"description": "One row per ticket",
                           "content": {"text/csv": {"schema": {"type": "string"}}}}}}


@router.get("/reports/export.csv", response=ERRORS, openapi_extra=CSV)
def export(request: HttpRequest, query: Query[ReportQuery]):
    """One CSV row per ticket in the filter, with its facts (streamed)."""
    rows = selectors.export_rows(request.auth, query.to_filter())
    response = StreamingHttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="palier-report.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


@router.get("/reports/eventlogs", response={200: list[dict], **ERRORS})
def event_logs(request: HttpRequest):
    """Imported event logs (the analysis workspace)."""
    return [{"id": log.pk, "name": log.name, "cases": log.cases, "events": log.events,
             "levels": log.levels, "imported_at": log.imported_at.isoformat()}
            for log in eventlogs.logs(request.auth)]


@router.get("/reports/eventlogs/{log_id}", response=OK)
def event_log(request: HttpRequest, log_id: Id):
    """The tier metrics of one imported event log."""
    return eventlogs.log_metrics(request.auth, log_id)

