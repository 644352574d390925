"""/api/v1/problems: problems, known errors, and the suggested clusters of incidents."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from palier.api.schemas import Error, Id, Strict, VersionIn
from palier.problems import selectors, services

router = Router(tags=["problems"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class ProblemOut(Schema):
    id: int
    number: str
    title: str
    description: str
    status: str
    client_id: int | None
    owner_group_id: int
    root_cause: str
    workaround_article_id: int | None
    vendor: str
    vendor_reference: str
    resolution: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    version: int


class IncidentOut(Schema):
    id: int
    number: str
    title: str
    status: str
    client_id: int


class NoteOut(Schema):
    id: int
    body: str
    author_id: int | None
    created_at: dt.datetime


class ClusterOut(Schema):
    title: str
    tickets: list[IncidentOut]


class ProblemIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    tickets: list[Id] = Field(default_factory=list, max_length=500)
    owner_group: Id | None = None


class ClusterIn(Strict):
    tickets: list[Id] = Field(min_length=2, max_length=500)
    title: str | None = Field(default=None, max_length=200)


class LinkIn(Strict):
    ticket: Id


class NoteIn(Strict):
    body: str = Field(min_length=1, max_length=20000)


class ProblemPatch(VersionIn):
    root_cause: str | None = Field(default=None, min_length=1, max_length=20000)
    owner_group: Id | None = None
    vendor: str | None = Field(default=None, max_length=200)
    vendor_reference: str | None = Field(default=None, max_length=200)


class KnownErrorIn(VersionIn):
    workaround_article: Id
    root_cause: str | None = Field(default=None, min_length=1, max_length=20000)


class ResolveProblemIn(VersionIn):
    resolution: str = Field(min_length=1, max_length=20000)
    resolve_incidents: bool = False
    message: str | None = Field(default=None, max_length=20000)


class ResolutionOut(Schema):
    problem: ProblemOut
    resolved_tickets: list[int]


@router.get("/problems", response={200: list[ProblemOut], **ERRORS})
def list_problems(request: HttpRequest):
    return selectors.visible_problems(request.auth)[:200]


@router.post("/problems", response={201: ProblemOut, **ERRORS})
def create_problem(request: HttpRequest, data: ProblemIn):
    return Status(201, services.create_problem(
        request.auth, title=data.title, description=data.description, ticket_ids=data.tickets,
        owner_group_id=data.owner_group))


@router.get("/problems/clusters", response={200: list[ClusterOut], **ERRORS})
def clusters(request: HttpRequest):
    """Groups of similar recent incidents not linked to a problem yet."""
    return selectors.clusters(request.auth)


@router.post("/problems/from-cluster", response={201: ProblemOut, **ERRORS})
def create_from_cluster(request: HttpRequest, data: ClusterIn):
    return Status(201, services.create_from_cluster(request.auth, data.tickets,
                                                    title=data.title))


@router.get("/problems/{problem_id}", response={200: ProblemOut, **ERRORS})
def get_problem(request: HttpRequest, problem_id: Id):
    return selectors.access_problem(request.auth, problem_id)


@router.patch("/problems/{problem_id}", response={200: ProblemOut, **ERRORS})
def update_problem(request: HttpRequest, problem_id: Id, data: ProblemPatch):
    return services.update(request.auth, problem_id, version=data.version,
                           root_cause=data.root_cause, owner_group_id=data.owner_group,
                           vendor=data.vendor, vendor_reference=data.vendor_reference)


@router.get("/problems/{problem_id}/incidents", response={200: list[IncidentOut], **ERRORS})
def list_incidents(request: HttpRequest, problem_id: Id):
    return selectors.incidents(request.auth, problem_id)


@router.post("/problems/{problem_id}/incidents", response={201: ProblemOut, **ERRORS})
def link_incident(request: HttpRequest, problem_id: Id, data: LinkIn):
    return Status(201, services.link_incident(request.auth, problem_id, data.ticket))


@router.get("/problems/{problem_id}/notes", response={200: list[NoteOut], **ERRORS})
def list_notes(request: HttpRequest, problem_id: Id):
    return selectors.access_problem(request.auth, problem_id).notes.all()


@router.post("/problems/{problem_id}/notes", response={201: NoteOut, **ERRORS})
def add_note(request: HttpRequest, problem_id: Id, data: NoteIn):
    return Status(201, services.add_note(request.auth, problem_id, body=data.body))


@router.post("/problems/{problem_id}/known-error", response={200: ProblemOut, **ERRORS})
def known_error(request: HttpRequest, problem_id: Id, data: KnownErrorIn):
    return services.mark_known_error(request.auth, problem_id,
                                     workaround_article_id=data.workaround_article,
                                     root_cause=data.root_cause, version=data.version)


@router.post("/problems/{problem_id}/resolve", response={200: ResolutionOut, **ERRORS})
def resolve_problem(request: HttpRequest, problem_id: Id, data: ResolveProblemIn):
    """Resolve the problem; with ``resolve_incidents`` its open incidents too, one message."""
    done = services.resolve_problem(request.auth, problem_id, resolution=data.resolution,
                                    resolve_incidents=data.resolve_incidents,
                                    message=data.message, version=data.version)
    return {"problem": done.problem, "resolved_tickets": done.resolved_ticket_ids}
