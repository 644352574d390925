"""Conversation and everyday lifecycle actions: messages, pending, resolve, reopen, close,
worklog and attachments."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from palier.accounts.models import User
from palier.core import clock
from palier.core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from palier.tickets.lifecycle import Action, Status
from palier.tickets.models import Attachment, EventKind, Ticket, TicketStatus, Worklog
from palier.tickets.selectors import scope_of
from palier.tickets.services.base import lock, move, record, require_text, save

MAX_WORKLOG_MINUTES = 24 * 60


def add_message(actor: User, ticket_id: int, *, body: str, internal: bool = False,
                version: int | None = None) -> Ticket:
    """A public reply or an internal note. A requester's reply resumes a pending ticket."""
    body = require_text(body, "body", "A message")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=False)
        if internal and not actor.is_desk_staff:
            raise PermissionDenied("Requesters cannot write internal notes.")
        if ticket.status == TicketStatus.CLOSED:
            raise IllegalTransition(f"{ticket.number} is closed; open a new ticket.")
        fields: list[str] = []
        if actor.is_desk_staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = clock.now()
            fields.append("first_response_at")
        resumed = not actor.is_desk_staff and ticket.status == Status.PENDING
        if resumed:
            move(ticket, Action.RESUME)
            fields.append("status")
        save(ticket, *fields)
        kind = EventKind.NOTE if internal else EventKind.MESSAGE
        record(ticket, kind, actor, body=body, public=not internal,
               resumed=True if resumed else None)
    return ticket


def set_pending(actor: User, ticket_id: int, *, waiting_on: str,
                version: int | None = None) -> Ticket:
    """Wait on the requester (what is awaited is said to them)."""
    waiting_on = require_text(waiting_on, "waiting_on", "What the ticket waits on")
    return _simple(actor, ticket_id, version, Action.PENDING, EventKind.PENDING,
                   body=waiting_on, public=True)


def resume(actor: User, ticket_id: int, *, version: int | None = None) -> Ticket:
    return _simple(actor, ticket_id, version, Action.RESUME, EventKind.RESUMED)


def resolve(actor: User, ticket_id: int, *, resolution: str,
            version: int | None = None, article_id: int | None = None) -> Ticket:
    """Give the resolution; the requester is told, and may reopen. ``article_id`` (set by
    ``knowledge.services.resolve_with_article``) records "solved with" in the same event."""
    resolution = require_text(resolution, "resolution", "A resolution")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        move(ticket, Action.RESOLVE)
        now = clock.now()
        ticket.resolution, ticket.resolved_at = resolution, now
        ticket.first_response_at = ticket.first_response_at or now
        save(ticket, "status", "resolution", "resolved_at", "first_response_at")
        record(ticket, EventKind.RESOLVED, actor, body=resolution, public=True,
               level=ticket.level.code, article=article_id)
    return ticket


def reopen(actor: User, ticket_id: int, *, reason: str, version: int | None = None) -> Ticket:
    """The requester (or an agent) says the resolution did not hold."""
    reason = require_text(reason, "reason", "A reason")
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=actor.is_desk_staff)
        move(ticket, Action.REOPEN)
        ticket.resolved_at = None
        save(ticket, "status", "resolved_at")
        record(ticket, EventKind.REOPENED, actor, body=reason, public=True,
               level=ticket.level.code)
    return ticket


def close(actor: User, ticket_id: int, *, version: int | None = None) -> Ticket:
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version, work=actor.is_desk_staff)
        move(ticket, Action.CLOSE)
        ticket.closed_at = clock.now()
        save(ticket, "status", "closed_at")
        record(ticket, EventKind.CLOSED, actor, public=True)
    return ticket


def log_work(actor: User, ticket_id: int, *, minutes: int, note: str = "") -> Worklog:
    """Record time spent, at the ticket's current level (for cost per level)."""
    if (isinstance(minutes, bool) or not isinstance(minutes, int)
            or not 0 < minutes <= MAX_WORKLOG_MINUTES):  # bool is an int: refuse True
        raise ValidationFailed(f"Minutes are a whole number from 1 to {MAX_WORKLOG_MINUTES}.",
                               fields={"minutes": "out_of_range"})
    with transaction.atomic():
        ticket = lock(actor, ticket_id, None, work=False)
        agent_id = scope_of(actor).agent_id
        if agent_id is None:
            raise PermissionDenied("Only agents log work.")
        entry = Worklog.objects.create(ticket=ticket, agent_id=agent_id, level_id=ticket.level_id,
                                       minutes=minutes, note=(note or "")[:500],
                                       created_at=clock.now())
        record(ticket, EventKind.WORKLOG, actor, body=entry.note, minutes=minutes,
               level=ticket.level.code)
    return entry


def add_attachment(actor: User, ticket_id: int, upload: UploadedFile, *,
                   public: bool = True) -> Attachment:
    """Store a file on the ticket, within the configured size and type limits."""
    name = PurePath(upload.name or "attachment").name[:255]
    _check_upload(name, upload)
    with transaction.atomic():
        ticket = lock(actor, ticket_id, None, work=False)
        if not actor.is_desk_staff and (not public or ticket.status == TicketStatus.CLOSED):
            raise PermissionDenied("Requesters add public attachments to open tickets only.")
        attachment = Attachment(ticket=ticket, name=name, size=upload.size,
                                content_type=_content_type(name, upload),
                                public=public, uploaded_by=actor, created_at=clock.now())
        attachment.file.save(name, upload, save=False)
        stored = attachment.file.name
        try:  # a failed write leaves no file behind
            attachment.save()
            record(ticket, EventKind.ATTACHMENT, actor, body=name, public=public,
                   attachment=attachment.pk, size=upload.size)
        except BaseException:
            attachment.file.storage.delete(stored)
            raise
    return attachment


def check_upload(upload: UploadedFile) -> None:
    """Raise ``ValidationFailed`` when ``add_attachment`` would refuse the file (lets a
    surface keep the rest of a message and say which file it dropped)."""
    _check_upload(PurePath(upload.name or "attachment").name[:255], upload)


def _check_upload(name: str, upload: UploadedFile) -> None:
    if upload.size is None or upload.size <= 0:
        raise ValidationFailed("The file is empty.", fields={"file": "empty"})
    if upload.size > settings.PALIER_MAX_ATTACHMENT_BYTES:
        limit = settings.PALIER_MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise ValidationFailed(f"{name} is larger than the {limit} MB limit.",
                               code="too_large", fields={"file": "too_large"})
    if PurePath(name).suffix.lower() in settings.PALIER_BLOCKED_EXTENSIONS:
        raise ValidationFailed(f"Files like {name} are not accepted.", code="type_refused",
                               fields={"file": "type_refused"})
    content_type = _content_type(name, upload)
    if content_type not in settings.PALIER_ATTACHMENT_TYPES:
        raise ValidationFailed(f"Files of type {content_type} are not accepted.",
                               code="type_refused", fields={"file": "type_refused"})


def _content_type(name: str, upload: UploadedFile) -> str:
    """The declared type, or the one the file name implies when none was declared."""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _simple(actor: User, ticket_id: int, version: int | None, action: Action,
            kind: EventKind, *, body: str = "", public: bool = False) -> Ticket:
    with transaction.atomic():
        ticket = lock(actor, ticket_id, version)
        move(ticket, action)
        save(ticket, "status")
        record(ticket, kind, actor, body=body, public=public)
    return ticket
