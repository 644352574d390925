"""``palier restore``: load a ``palier backup`` archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from palier.core.errors import DomainError
from palier.ops import backup


class Command(BaseCommand):
    help = ("Restores a backup archive into the configured database and attachments directory. "
            "Refuses a database that already holds data unless --force is given.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="replace the data of a database that is not empty")

    def handle(self, *args, archive: Path, force: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            outcome = backup.restore(archive, force=force)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{v} {k}" for k, v in outcome.manifest["counts"].items())
        self.stdout.write(f"Restored {archive} (taken {outcome.manifest['created_at']}): "
                          f"{counts}, {outcome.manifest['media']} files")
