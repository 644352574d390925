"""``palier backup``: the database and the attachments in one archive file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from palier.core.errors import DomainError
from palier.ops import backup


class Command(BaseCommand):
    help = ("Backs up the database (SQLite online backup or pg_dump) and the attachments into "
            "one tar archive with a manifest.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", type=Path,
                            help="archive path (default: PALIER_BACKUP_DIR/palier-<time>.tar)")

    def handle(self, *args, output: Path | None, **options) -> None:
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a directory.")
        try:
            outcome = backup.backup(output)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{v} {k}" for k, v in outcome.manifest["counts"].items())
        self.stdout.write(f"{outcome.archive}: {counts}, {outcome.manifest['media']} files")
