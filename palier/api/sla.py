"""/api/v1/tickets/{id}/sla: a ticket's SLA clock and the explanation behind it."""

from datetime import timedelta

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from palier.api.schemas import Error, Id, SlaOut
from palier.sla.clock import TargetState
from palier.sla.selectors import ticket_sla

router = Router(tags=["sla"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class SlaQuery(Schema):
    tz: str | None = Field(default=None, max_length=64,
                           description="IANA timezone of the explanation (default: the "
                                       "calendar's)")


@router.get("/tickets/{ticket_id}/sla", response={200: SlaOut, **ERRORS})
def get_sla(request: HttpRequest, ticket_id: Id, query: Query[SlaQuery]):
    report = ticket_sla(request.auth, ticket_id, tz=query.tz)
    state = report.state
    return {
        "at": state.at, "policy": report.policy, "status": state.status,
        "priority": state.priority, "level": state.level, "breached": state.breached,
        "next_deadline": state.next_deadline(), "response": _clock(state.response),
        "resolution": _clock(state.resolution), "ola": _clock(state.ola),
        "olas": [_clock(t) for t in state.olas.values()], "explanation": report.text,
        "lines": [{"at": line.at, "end": line.end, "kind": line.kind, "text": line.text}
                  for line in report.lines],
    }


def _seconds(duration: timedelta) -> int:
    return int(duration.total_seconds())


def _clock(t: TargetState | None) -> dict | None:
    if t is None:
        return None
    return {
        "name": t.name, "kind": t.kind, "state": t.state, "reason": t.reason,
        "target_seconds": _seconds(t.target), "consumed_seconds": _seconds(t.consumed),
        "remaining_seconds": _seconds(t.remaining), "paused_seconds": _seconds(t.paused),
        "percent": t.percent, "due_at": t.due_at, "breached": t.breached,
        "breached_at": t.breached_at, "met_at": t.met_at,
        "warnings": [{"percent": w.percent, "at": w.at, "reached": w.reached}
                     for w in t.thresholds],
    }
