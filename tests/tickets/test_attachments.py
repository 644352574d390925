"""Attachments: size and type limits, storage, and nothing left behind when refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction

from palier.core import jobs
from palier.core.errors import PermissionDenied, ValidationFailed
from palier.tickets import services
from palier.tickets.models import Attachment
from palier.tickets.services import orphans
from tests.factories import closed, state, upload


def _stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_attachment_is_stored_and_readable(desk):
    ticket = desk.open(desk.a)
    attachment = services.add_attachment(desk.a.requester, ticket.pk,
                                         upload("vpn.log", b"IKE phase 2 timeout\n"))
    attachment.refresh_from_db()
    assert (attachment.name, attachment.size, attachment.content_type, attachment.public) == (
        "vpn.log", 20, "text/plain", True)
    assert attachment.file.name == f"attachments/{ticket.pk}/vpn.log"
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"IKE phase 2 timeout\n"
    assert _stored_files() == [Path(django_settings.MEDIA_ROOT) / attachment.file.name]
    event = ticket.events.latest("id")
    assert (event.kind, event.body, event.public, event.data) == (
        "attachment", "vpn.log", True, {"attachment": attachment.pk, "size": 20})


def test_two_files_of_the_same_name_are_both_kept(desk):
    ticket = desk.open(desk.a)
    first = services.add_attachment(desk.a.l1, ticket.pk, upload("log.txt", b"one"))
    second = services.add_attachment(desk.a.l1, ticket.pk, upload("log.txt", b"two"))
    assert first.file.name != second.file.name
    assert [a.file.read() for a in Attachment.objects.order_by("id")] == [b"one", b"two"]


def test_an_agent_may_add_an_internal_attachment(desk):
    ticket = desk.open(desk.a)
    attachment = services.add_attachment(desk.a.l1, ticket.pk, upload(), public=False)
    assert attachment.public is False
    assert ticket.events.latest("id").public is False


def _refused(desk, ticket, actor, file, **kwargs):
    before = state(ticket.pk)
    with pytest.raises((ValidationFailed, PermissionDenied)) as caught:
        services.add_attachment(actor, ticket.pk, file, **kwargs)
    assert state(ticket.pk) == before
    assert _stored_files() == []
    return caught.value


def test_a_file_over_the_size_limit_is_refused(desk, settings):
    settings.PALIER_MAX_ATTACHMENT_BYTES = 10
    ticket = desk.open(desk.a)
    error = _refused(desk, ticket, desk.a.requester, upload(content=b"x" * 11))
    assert (error.code, error.fields) == ("too_large", {"file": "too_large"})
    assert services.add_attachment(desk.a.requester, ticket.pk,
                                   upload(content=b"x" * 10)).size == 10


def test_an_empty_file_is_refused(desk):
    error = _refused(desk, desk.open(desk.a), desk.a.requester, upload(content=b""))
    assert error.fields == {"file": "empty"}


@pytest.mark.parametrize("name", ["setup.exe", "INVOICE.PDF.EXE", "run.ps1", "macro.vbs",
                                  "script.js"])
def test_blocked_extensions_are_refused(desk, name):
    error = _refused(desk, desk.open(desk.a), desk.a.requester,
                     upload(name, b"MZ", "application/octet-stream"))
    assert (error.code, error.fields) == ("type_refused", {"file": "type_refused"})


@pytest.mark.parametrize("content_type", ["application/x-msdownload", "video/mp4",
                                          "text/javascript"])
def test_content_types_outside_the_allowlist_are_refused(desk, content_type):
    error = _refused(desk, desk.open(desk.a), desk.a.requester,
                     upload("file.bin", b"data", content_type))
    assert error.code == "type_refused"


def test_the_allowlist_comes_from_the_settings(desk, settings):
    settings.PALIER_ATTACHMENT_TYPES = ["image/png"]
    ticket = desk.open(desk.a)
    _refused(desk, ticket, desk.a.requester, upload("notes.txt"))
    assert services.add_attachment(desk.a.requester, ticket.pk,
                                   upload("shot.png", b"\x89PNG", "image/png")).name == "shot.png"


def test_a_content_type_with_parameters_is_accepted(desk):
    attachment = services.add_attachment(desk.a.requester, desk.open(desk.a).pk,
                                         upload("notes.txt", b"hi", "text/plain; charset=utf-8"))
    assert attachment.size == 2


def test_requesters_add_public_attachments_to_open_tickets_only(desk):
    ticket = desk.open(desk.a)
    _refused(desk, ticket, desk.a.requester, upload(), public=False)
    _refused(desk, closed(desk, desk.a), desk.a.requester, upload())


def test_a_failed_write_leaves_no_file_behind(desk, monkeypatch):
    ticket = desk.open(desk.a)

    def broken_journal(*args, **kwargs):
        raise RuntimeError("journal unavailable")

    monkeypatch.setattr("palier.tickets.services.actions.record", broken_journal)
    before = state(ticket.pk)
    with pytest.raises(RuntimeError):
        services.add_attachment(desk.a.requester, ticket.pk, upload())
    assert state(ticket.pk) == before
    assert _stored_files() == []


def test_files_no_row_names_are_swept_once_old_and_kept_while_fresh(desk):
    """An upload whose transaction rolled back leaves its file (written first, so that no
    committed row points at a missing file); the sweep job deletes it after the grace."""
    ticket = desk.open(desk.a)
    kept = services.add_attachment(desk.a.l1, ticket.pk, upload("kept.log", b"kept"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_attachment(desk.a.l1, ticket.pk, upload("lost.log", b"lost"))
        raise RuntimeError("the outer transaction rolls back")
    root = Path(django_settings.MEDIA_ROOT)
    assert sorted(p.name for p in _stored_files()) == ["kept.log", "lost.log"]
    assert orphans.sweep() == 0  # too fresh: it may belong to a request still running
    with time_machine.travel(orphans.GRACE + timedelta(hours=1)):
        assert orphans.sweep() == 1
        assert orphans.sweep() == 0
    assert _stored_files() == [root / kept.file.name]
    with kept.file.open("rb") as stored:
        assert stored.read() == b"kept"


def test_the_sweep_is_a_registered_worker_job_and_idle_without_files(desk):
    assert "tickets.orphan_files" in {job.name for job in jobs.registered()}
    assert orphans.sweep() == 0
