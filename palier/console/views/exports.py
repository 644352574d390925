"""A queue as CSV, with the filters on screen: for a spreadsheet, a shift report, a client.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return: a requester chooses the title) are prefixed with ``'``. Times are
ISO 8601 in the viewer's time zone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from palier.console.forms import QueueFilterForm
from palier.console.views.common import staff_required
from palier.console.views.queues import EXPORT_ROWS, QUEUES, queue_query

COLUMNS = ("number", "kind", "title", "priority", "status", "level", "group", "client",
           "requester", "assignee", "created_at", "due_at", "resolved_at")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back (for the streaming writer)."""

    def write(self, value: str) -> str:
        return value


@require_GET
@staff_required
def export_queue(request, name: str):
    if name not in QUEUES:
        raise Http404
    tickets = (queue_query(request.user, name, QueueFilterForm(request.GET or None))
               .select_related("requester")[:EXPORT_ROWS])
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _rows(tickets)), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="palier-{name}-{stamp}.csv"'
    return response


def _rows(tickets) -> Iterator[list[str]]:
    yield list(COLUMNS)
    for t in tickets.iterator(chunk_size=1000):
        yield [_cell(v) for v in (
            t.number, t.kind, t.title, t.priority, t.status, t.level.code, t.group.name,
            t.client.name, t.requester.email, t.assignee.user.email if t.assignee else "",
            _when(t.created_at), _when(t.due_at), _when(t.resolved_at))]


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
