"""/api/v1/tickets: the ticket resource, its journal, and every desk action."""

from typing import Annotated, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field, WithJsonSchema

from palier.api.idempotent import EXAMPLE, HEADER, KEY_SCHEMA, REPLAYED, idempotent
from palier.api.plain import plain
from palier.api.schemas import (
    AssignIn,
    AttachmentOut,
    DeEscalateIn,
    Error,
    EscalateIn,
    EventOut,
    Id,
    IsoDatetime,
    MergeIn,
    MessageIn,
    PendingIn,
    PriorityName,
    ReasonIn,
    ResolveIn,
    SatisfactionIn,
    SatisfactionOut,
    StatusName,
    TicketIn,
    TicketOut,
    TicketPatch,
    VendorIn,
    VersionIn,
    WorklogIn,
    WorklogOut,
)
from palier.api.ticket_pages import TicketCursor
from palier.idempotency.services import open_ticket_once
from palier.tickets import selectors, services
from palier.tickets.filters import TicketFilters, filter_tickets
from palier.tickets.services.directory import level_id

router = Router(tags=["tickets"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
READ = {200: TicketOut, **ERRORS}


class ListQuery(Schema):
    status: list[StatusName] | None = Field(default=None, max_length=7)
    level: str | None = Field(default=None, max_length=8)
    group: Id | None = None
    assignee: str | None = Field(default=None, max_length=20,
                                 description='an agent id, "me" or "none"')
    client: Id | None = None
    priority: list[PriorityName] | None = Field(default=None, max_length=4)
    category: Id | None = None
    kind: Literal["incident", "request"] | None = None
    created_after: IsoDatetime | None = None
    created_before: IsoDatetime | None = None
    q: str | None = Field(default=None, max_length=200)
    breaching_within: int | None = Field(
        default=None, ge=1, le=525600,
        description="minutes: tickets whose running first-response, resolution or OLA target "
                    "falls due within this many minutes")


def _read(request: HttpRequest, ticket_id: Id):
    return selectors.access_ticket(request.auth, ticket_id)


IDEMPOTENCY_KEY = Header(
    None, alias=HEADER,
    description="1 to 100 printable ASCII characters, e.g. a UUID. A repeat with the same key "
                "and body within 24 h opens nothing and answers with the ticket the first "
                "request opened (201, header `Idempotent-Replayed: true`); the same key with "
                "another body is 422 `idempotency_key_reused`.",
    example=EXAMPLE)
# Documented, not enforced here: None when the header is absent, and the service answers a
# malformed key with a 400 and its reason (ninja would answer 422).
KeyText = Annotated[str, WithJsonSchema(KEY_SCHEMA)]


@router.post("/tickets", response={201: TicketOut, **ERRORS})
def create_ticket(request: HttpRequest, response: HttpResponse, data: TicketIn,
                  idempotency_key: KeyText = IDEMPOTENCY_KEY):
    """Open a ticket. Send an `Idempotency-Key` to retry safely after a lost answer."""
    opened = open_ticket_once(
        request.auth, idempotency_key, title=data.title, description=data.description,
        kind=data.kind, category_id=data.category, impact=data.impact, urgency=data.urgency,
        client_id=data.client, requester_email=data.requester_email, channel=data.channel,
    )
    if opened.replayed:
        response[REPLAYED] = "true"
    return Status(201, plain(TicketOut, opened.ticket))


@router.get("/tickets", response={200: list[TicketOut], **ERRORS})
@paginate(TicketCursor, ordering=("-id",), page_size=50, max_page_size=200)
def list_tickets(request: HttpRequest, filters: Query[ListQuery]):
    # Reference rows come from the directory cache, not a join, so the planner scans
    # tickets in id order (see palier.api.ticket_pages).
    return filter_tickets(request.auth, TicketFilters(**filters.dict()), newest_first=True)


@router.get("/tickets/{ticket_id}", response=READ)
def get_ticket(request: HttpRequest, ticket_id: Id):
    return _read(request, ticket_id)


@router.patch("/tickets/{ticket_id}", response=READ)
@idempotent
def patch_ticket(request: HttpRequest, ticket_id: Id, data: TicketPatch):
    return services.classify(request.auth, ticket_id, title=data.title,
                             description=data.description, category_id=data.category,
                             impact=data.impact, urgency=data.urgency, version=data.version)


@router.get("/tickets/{ticket_id}/events", response={200: list[EventOut], **ERRORS})
def list_events(request: HttpRequest, ticket_id: Id):
    return selectors.journal(request.auth, ticket_id)


@router.post("/tickets/{ticket_id}/messages", response={201: TicketOut, **ERRORS})
@idempotent
def post_message(request: HttpRequest, ticket_id: Id, data: MessageIn):
    return Status(201, services.add_message(request.auth, ticket_id, body=data.body,
                                            internal=data.internal, version=data.version))


@router.post("/tickets/{ticket_id}/take", response=READ)
@idempotent
def take(request: HttpRequest, ticket_id: Id, data: VersionIn | None = None):
    return services.take(request.auth, ticket_id, version=data and data.version)


@router.post("/tickets/{ticket_id}/assign", response=READ)
@idempotent
def assign(request: HttpRequest, ticket_id: Id, data: AssignIn):
    return services.assign(request.auth, ticket_id, data.agent, version=data.version)


@router.post("/tickets/{ticket_id}/escalate", response=READ)
@idempotent
def escalate(request: HttpRequest, ticket_id: Id, data: EscalateIn):
    handoff = services.HandoffInput(
        summary=data.handoff.summary, steps_tried=data.handoff.steps_tried,
        diagnostics=data.handoff.diagnostics,
        articles_consulted=data.handoff.articles_consulted, fields=data.handoff.fields,
        attachment_ids=data.handoff.attachments,
    )
    return services.escalate(request.auth, ticket_id, to_level_id=level_id(data.to_level),
                             handoff=handoff, to_group_id=data.to_group, version=data.version)


@router.post("/tickets/{ticket_id}/accept", response=READ)
@idempotent
def accept(request: HttpRequest, ticket_id: Id, data: VersionIn | None = None):
    return services.accept(request.auth, ticket_id, version=data and data.version)


@router.post("/tickets/{ticket_id}/return", response=READ)
@idempotent
def return_escalation(request: HttpRequest, ticket_id: Id, data: ReasonIn):
    return services.return_escalation(request.auth, ticket_id, reason=data.reason,
                                      version=data.version)


@router.post("/tickets/{ticket_id}/de-escalate", response=READ)
@idempotent
def de_escalate(request: HttpRequest, ticket_id: Id, data: DeEscalateIn):
    return services.de_escalate(request.auth, ticket_id, to_level_id=level_id(data.to_level),
                                instructions=data.instructions, to_group_id=data.to_group,
                                version=data.version)


@router.post("/tickets/{ticket_id}/alert-managers", response=READ)
@idempotent
def alert_managers(request: HttpRequest, ticket_id: Id, data: ReasonIn):
    return services.alert_managers(request.auth, ticket_id, reason=data.reason,
                                   version=data.version)


@router.post("/tickets/{ticket_id}/vendor", response=READ)
@idempotent
def vendor(request: HttpRequest, ticket_id: Id, data: VendorIn):
    return services.engage_vendor(request.auth, ticket_id, vendor=data.vendor,
                                  reference=data.reference, version=data.version)


@router.post("/tickets/{ticket_id}/pending", response=READ)
@idempotent
def pending(request: HttpRequest, ticket_id: Id, data: PendingIn):
    return services.set_pending(request.auth, ticket_id, waiting_on=data.waiting_on,
                                version=data.version)


@router.post("/tickets/{ticket_id}/resume", response=READ)
@idempotent
def resume(request: HttpRequest, ticket_id: Id, data: VersionIn | None = None):
    return services.resume(request.auth, ticket_id, version=data and data.version)


@router.post("/tickets/{ticket_id}/resolve", response=READ)
@idempotent
def resolve(request: HttpRequest, ticket_id: Id, data: ResolveIn):
    return services.resolve(request.auth, ticket_id, resolution=data.resolution,
                            version=data.version)


@router.post("/tickets/{ticket_id}/reopen", response=READ)
@idempotent
def reopen(request: HttpRequest, ticket_id: Id, data: ReasonIn):
    return services.reopen(request.auth, ticket_id, reason=data.reason, version=data.version)


@router.post("/tickets/{ticket_id}/close", response=READ)
@idempotent
def close(request: HttpRequest, ticket_id: Id, data: VersionIn | None = None):
    return services.close(request.auth, ticket_id, version=data and data.version)


@router.post("/tickets/{ticket_id}/merge", response=READ)
@idempotent
def merge(request: HttpRequest, ticket_id: Id, data: MergeIn):
    """Close this ticket as a duplicate of `into` (same client, still active); the original
    gets its description as an internal event."""
    return services.merge(request.auth, ticket_id, into_id=data.into, version=data.version)


@router.post("/tickets/{ticket_id}/satisfaction", response={201: SatisfactionOut, **ERRORS})
@idempotent
def rate(request: HttpRequest, ticket_id: Id, data: SatisfactionIn):
    """The requester rates the resolution (CSAT, 1–5), once."""
    return Status(201, services.rate_resolution(request.auth, ticket_id, score=data.score,
                                                comment=data.comment, version=data.version))


@router.get("/tickets/{ticket_id}/worklog", response={200: list[WorklogOut], **ERRORS})
def list_worklog(request: HttpRequest, ticket_id: Id):
    return selectors.worklog(request.auth, ticket_id)


@router.post("/tickets/{ticket_id}/worklog", response={201: WorklogOut, **ERRORS})
@idempotent
def log_work(request: HttpRequest, ticket_id: Id, data: WorklogIn):
    entry = services.log_work(request.auth, ticket_id, minutes=data.minutes, note=data.note)
    return Status(201, entry)


@router.get("/tickets/{ticket_id}/attachments",
            response={200: list[AttachmentOut], **ERRORS})
def list_attachments(request: HttpRequest, ticket_id: Id):
    return selectors.attachments(request.auth, ticket_id)


@router.post("/tickets/{ticket_id}/attachments", response={201: AttachmentOut, **ERRORS})
@idempotent
def upload_attachment(request: HttpRequest, ticket_id: Id, file: File[UploadedFile],
                      public: Form[Literal["true", "false"]] = "true"):
    return Status(201, services.add_attachment(request.auth, ticket_id, file,
                                               public=public == "true"))


@router.get("/attachments/{attachment_id}/download", response={200: None, **ERRORS})
def download_attachment(request: HttpRequest, attachment_id: Id):
    attachment = selectors.access_attachment(request.auth, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.name, content_type=attachment.content_type)
