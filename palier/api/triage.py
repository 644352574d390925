"""/api/v1 triage: a ticket's predictions and why (desk), auto-routing quality (managers)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from palier.api.schemas import Error, Id
from palier.triage import selectors

router = Router(tags=["triage"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class SuggestionOut(Schema):
    value: str
    label: str
    confidence: float


class ReasonOut(Schema):
    term: str
    weight: float


class PredictionOut(Schema):
    field: str = Field(description="category, group (level and group) or priority "
                                   "(impact/urgency)")
    value: str
    label: str
    confidence: float
    threshold: float
    applied: bool = Field(description="applied at intake; otherwise shown as a suggestion")
    suggestions: list[SuggestionOut] = Field(description="the top three, best first")
    why: list[ReasonOut] = Field(description="the ticket's words that drove the prediction")
    model_version: int


class FieldQualityOut(Schema):
    predicted: int
    applied: int
    judged: int = Field(description="applied predictions on tickets resolved since")
    kept: int = Field(description="of those, how many agents left as predicted")
    coverage: float | None
    accuracy: float | None


class RoutingQualityOut(Schema):
    days: int
    since: datetime
    tickets: int
    fields: dict[str, FieldQualityOut]


class QualityQuery(Schema):
    days: int = Field(default=30, ge=1, le=365)


@router.get("/tickets/{ticket_id}/triage", response={200: list[PredictionOut], **ERRORS})
def ticket_triage(request: HttpRequest, ticket_id: Id):
    rows = selectors.ticket_predictions(request.auth, ticket_id)
    return [{**row.__dict__, "suggestions": [s.__dict__ for s in row.suggestions],
             "why": [{"term": t, "weight": w} for t, w in row.why]} for row in rows]


@router.get("/triage/routing", response={200: RoutingQualityOut, **ERRORS})
def routing_quality(request: HttpRequest, query: Query[QualityQuery]):
    return selectors.routing_quality(request.auth, query.days)
