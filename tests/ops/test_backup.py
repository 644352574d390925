"""``palier backup`` / ``palier restore``: database and attachments round-trip in one archive.

The same tests run on SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore)
depending on ``PALIER_DATABASE_URL``.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from palier.tickets import services
from palier.tickets.models import Attachment, Ticket, TicketEvent
from tests.factories import upload

pytestmark = pytest.mark.django_db(transaction=True)


def desk_contents() -> dict:
    """What must survive a round trip: tickets, their journal and the attachment bytes."""
    return {
        "tickets": list(Ticket.objects.order_by("number").values_list("number", "title",
                                                                       "status")),
        "journal": list(TicketEvent.objects.order_by("ticket__number", "id")
                        .values_list("ticket__number", "kind", "body")),
        "files": {a.file.name: Path(a.file.path).read_bytes()
                  for a in Attachment.objects.order_by("id")},
    }


def busy_desk(desk) -> None:
    first = desk.open(desk.a, title="Printer on fire")
    services.add_message(desk.a.l1, first.pk, body="We are on our way.")
    services.add_attachment(desk.a.l1, first.pk, upload("fire.log", b"smoke detected\n"))
    second = desk.open(desk.b, title="Mot de passe oublié")
    services.add_attachment(desk.b.requester, second.pk,
                            upload("capture.png", b"\x89PNG fake", "image/png"))


def test_backup_and_restore_round_trip_tickets_journal_and_attachments(desk, tmp_path):
    busy_desk(desk)
    before = desk_contents()
    archive = tmp_path / "desk.tar"
    call_command("backup", output=archive, stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Ticket.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), force=True, stdout=out)
    assert desk_contents() == before
    assert "2 tickets" in out.getvalue() and "2 files" in out.getvalue()


def test_the_archive_holds_a_manifest_the_database_and_the_attachments(desk, tmp_path):
    busy_desk(desk)
    archive = tmp_path / "desk.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == 1
    assert manifest["counts"]["tickets"] == 2
    assert manifest["counts"]["journal"] == TicketEvent.objects.count()
    assert manifest["media"] == 2
    assert manifest["database"] in names
    assert sum(n.startswith("media/") for n in names) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_a_database_that_holds_data_without_force(desk, tmp_path):
    busy_desk(desk)
    archive = tmp_path / "desk.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    desk.open(desk.a, title="Written after the backup")
    with pytest.raises(CommandError, match="already holds data; restore with --force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Ticket.objects.filter(title="Written after the backup").exists()


def test_restore_with_force_replaces_newer_data(desk, tmp_path):
    busy_desk(desk)
    archive = tmp_path / "desk.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    desk.open(desk.a, title="Written after the backup")
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Ticket.objects.filter(title="Written after the backup").exists()
    assert Ticket.objects.count() == 2


def test_restore_refuses_an_archive_of_another_engine(tmp_path):
    archive = tmp_path / "other.tar"
    manifest = json.dumps({"format": 1, "engine": "oracle", "database": "x", "counts": {}})
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest.encode()))
    with pytest.raises(CommandError, match="backup is of a oracle database"):
        call_command("restore", str(archive), stdout=io.StringIO())


@pytest.mark.parametrize("content", [b"", b"not a tar at all"])
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, content):
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(content)
    with pytest.raises(CommandError, match="is not a Palier backup"):
        call_command("restore", str(bogus), stdout=io.StringIO())


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar"))
