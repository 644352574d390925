"""Attachment files that no attachment row names any more: swept by a worker job.

``add_attachment`` writes the file before its row, so that a committed row never points at a
missing file. The price is an orphan when the row is not committed after all: the caller's
outer transaction rolled back (a keyed upload whose key another request stored first), the
process was killed mid-request, or the ticket was deleted. ``sweep`` deletes such files once
they are older than ``GRACE`` by both their modification and their change time (a restore
sets the change time, so files being restored are never taken for orphans).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from palier.core import clock
from palier.tickets.models import Attachment

ROOT = "attachments"
GRACE = timedelta(hours=24)
EVERY_SECONDS = 6 * 3600.0
CHUNK = 500


def sweep() -> int:
    """Delete the orphaned attachment files older than ``GRACE`` (a worker job); how many."""
    storage = Attachment._meta.get_field("file").storage
    if not storage.exists(ROOT):
        return 0
    cutoff = clock.now() - GRACE
    deleted = 0
    for names in _chunks(_stored_files(storage)):
        known = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name not in known and _older_than(storage, name, cutoff):
                storage.delete(name)
                deleted += 1
    return deleted


def _stored_files(storage) -> Iterator[str]:
    """Every file under ``attachments/<ticket>/``."""
    folders, _ = storage.listdir(ROOT)
    for folder in sorted(folders):
        for name in storage.listdir(f"{ROOT}/{folder}")[1]:
            yield f"{ROOT}/{folder}/{name}"


def _chunks(names: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for name in names:
        chunk.append(name)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _older_than(storage, name: str, cutoff) -> bool:
    try:
        return max(storage.get_modified_time(name), storage.get_created_time(name)) < cutoff
    except (FileNotFoundError, NotImplementedError):  # gone meanwhile, or no times: keep
        return False
