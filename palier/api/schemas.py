"""Request and response shapes. Inputs forbid unknown fields (422 with the field named)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from palier.api.plain import PlainOut
from palier.sla.selectors import Summary as SlaSummary
from palier.sla.selectors import summary as sla_summary

Impact = Literal["high", "medium", "low"]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
StatusName = Literal["new", "open", "escalated", "pending", "pending_vendor", "resolved",
                     "closed"]
PriorityName = Literal["P1", "P2", "P3", "P4"]


def _iso_text(kind: type[date], what: str):
    """A validator taking only ISO 8601 text (pydantic alone would read 0 or 0.5 as a
    timestamp, i.e. 1 January 1970)."""
    def parse(value: object):
        if type(value) is kind:
            return value
        if isinstance(value, str):
            try:
                return kind.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"use an ISO 8601 {what}")
    return BeforeValidator(parse)


IsoDatetime = Annotated[datetime, _iso_text(datetime, "date and time, e.g. 2026-11-24T09:00:00Z")]
IsoDate = Annotated[date, _iso_text(date, "date, e.g. 2026-11-24")]
Text = Field(min_length=1, max_length=20000)


class Strict(Schema):
    """A JSON input: unknown fields and loose types (0 for false, "5" for 5) are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Error(Schema):
    code: str
    detail: str
    fields: dict[str, str] | None = None


class Ref(PlainOut):
    id: int
    name: str


class LevelOut(Schema):
    id: int
    code: str
    name: str
    rank: int


class GroupOut(Schema):
    id: int
    name: str
    level: str = Field(alias="level.code")


class CategoryOut(Schema):
    id: int
    name: str
    path: str
    parent_id: int | None
    default_level: str = Field(alias="default_level.code")
    default_group_id: int | None
    handoff_fields: list[str]


class ClientOut(Schema):
    id: int
    name: str
    code: str
    language: str


class PersonOut(PlainOut):
    id: int
    email: str
    full_name: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    client_id: int | None
    is_client_manager: bool
    language: str
    agent_id: int | None
    groups: list[int]
    clients: list[int]


class TicketIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    kind: Literal["incident", "request"] = "incident"
    category: int | None = None
    impact: Impact | None = Field(default=None, description="default: triage's prediction "
                                  "when confident, else medium")
    urgency: Impact | None = Field(default=None, description="default: triage's prediction "
                                   "when confident, else medium")
    client: int | None = None
    requester_email: str | None = Field(default=None, max_length=254)
    channel: Literal["portal", "email", "phone", "api", "chat", "monitoring", "walk_in"] = "api"


class TicketPatch(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    category: int | None = None
    impact: Impact | None = None
    urgency: Impact | None = None
    version: int | None = None


class CategoryRef(PlainOut):
    id: int
    path: str


class SlaTargetOut(PlainOut):
    """One SLA target now: ``remaining_seconds`` is business time, negative once overrun."""

    state: Literal["running", "paused", "stopped"]
    due_at: datetime | None
    remaining_seconds: int
    percent: float = Field(description="share of the target consumed, in %")
    breached: bool
    breached_at: datetime | None


class SlaOlaOut(SlaTargetOut):
    level: str


class SlaSummaryOut(PlainOut):
    policy: str | None = Field(description="the SLA policy in force; null: the contract's "
                                           "default targets around the clock")
    paused: bool
    response: SlaTargetOut | None
    resolution: SlaTargetOut | None
    ola: SlaOlaOut | None = Field(description="the current level's OLA")


class TicketOut(PlainOut):
    id: int
    number: str
    kind: str
    status: str
    title: str
    description: str
    level: str = Field(alias="level.code")
    group: Ref
    priority: str
    impact: str
    urgency: str
    category: CategoryRef | None
    client: Ref
    requester: PersonOut
    assignee_id: int | None
    channel: str
    vendor: str
    vendor_reference: str
    resolution: str
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    response_due_at: datetime | None
    due_at: datetime | None
    ola_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    merged_into_id: int | None = Field(description="the ticket this duplicate was merged into")
    version: int
    sla: SlaSummaryOut | None

    @staticmethod
    def resolve_sla(ticket) -> SlaSummary | None:
        return sla_summary(ticket)


class SlaThresholdOut(Schema):
    percent: int
    at: datetime | None = Field(description="when it is (or was, or will be if nothing "
                                            "pauses the clock) reached")
    reached: bool


class SlaClockOut(Schema):
    name: str
    kind: Literal["response", "resolution", "ola"]
    state: Literal["running", "paused", "stopped"]
    reason: str
    target_seconds: int
    consumed_seconds: int
    remaining_seconds: int
    paused_seconds: int
    percent: float
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None
    met_at: datetime | None
    warnings: list[SlaThresholdOut]


class SlaLineOut(Schema):
    at: datetime
    end: datetime | None
    kind: str
    text: str


class SlaOut(Schema):
    """A ticket's SLA clock replayed from its journal now, and why it stands there."""

    at: datetime
    policy: str | None
    status: str
    priority: str | None
    level: str | None
    breached: bool
    next_deadline: datetime | None
    response: SlaClockOut | None
    resolution: SlaClockOut | None
    ola: SlaClockOut | None
    olas: list[SlaClockOut] = Field(description="every level visited that has an OLA")
    explanation: str
    lines: list[SlaLineOut]


class EventOut(Schema):
    id: int
    kind: str
    actor_id: int | None
    created_at: datetime
    public: bool
    body: str
    data: dict


class MessageIn(Strict):
    body: str = Text
    internal: bool = False
    version: int | None = None


class VersionIn(Strict):
    version: int | None = None


class AssignIn(VersionIn):
    agent: int


class HandoffIn(Strict):
    summary: str = Field(default="", max_length=20000)
    steps_tried: str = Field(default="", max_length=20000)
    diagnostics: str = Field(default="", max_length=20000)
    articles_consulted: str = Field(default="", max_length=20000)
    fields: dict[str, str] = Field(default_factory=dict)
    attachments: list[int] = Field(default_factory=list, max_length=100)


class EscalateIn(VersionIn):
    to_level: str = Field(min_length=1, max_length=8, description="a level code, e.g. L2")
    to_group: int | None = None
    handoff: HandoffIn


class ReasonIn(VersionIn):
    reason: str = Text


class MergeIn(VersionIn):
    into: int = Field(ge=1, le=2**63 - 1, description="id of the original ticket")


class DeEscalateIn(VersionIn):
    to_level: str = Field(min_length=1, max_length=8)
    to_group: int | None = None
    instructions: str = Text


class VendorIn(VersionIn):
    vendor: str = Field(min_length=1, max_length=200)
    reference: str = Field(default="", max_length=200)


class PendingIn(VersionIn):
    waiting_on: str = Text


class ResolveIn(VersionIn):
    resolution: str = Text


class WorklogIn(Strict):
    minutes: int = Field(ge=1, le=1440)
    note: str = Field(default="", max_length=500)


class WorklogOut(Schema):
    id: int
    agent_id: int
    level: str = Field(alias="level.code")
    minutes: int
    note: str
    created_at: datetime


class SatisfactionIn(VersionIn):
    score: int = Field(ge=1, le=5, description="1 (very unhappy) to 5 (very happy)")
    comment: str = Field(default="", max_length=2000)


class SatisfactionOut(Schema):
    ticket_id: int
    score: int
    comment: str
    level: str = Field(alias="level.code")
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    public: bool
    created_at: datetime


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    expires_days: int | None = Field(default=90, ge=1, le=3650)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="the secret, shown once")

