"""``palier backup`` and ``palier restore``: the database and the attachments in one tar file.

An archive holds ``manifest.json`` (format, engine, time, row counts), the database
(``database.sqlite3`` made with SQLite's online backup API, or ``database.dump`` made with
``pg_dump -Fc``) and ``media/`` (the attachments). Restoring needs the same engine, refuses
a database that already holds data unless forced, and checks the row counts afterwards.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from palier.core import clock
from palier.core.errors import Conflict, ValidationFailed

FORMAT = 1
COUNTED = {"tickets": "tickets_ticket", "journal": "tickets_ticketevent",
           "attachments": "tickets_attachment", "users": "accounts_user"}
SCHEMA_ONLY = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


@dataclass(frozen=True)
class Outcome:
    archive: Path
    manifest: dict


def backup(destination: Path | None = None) -> Outcome:
    """Write a backup archive (default: ``PALIER_BACKUP_DIR/palier-<time>.tar``)."""
    now = clock.now()
    if destination is None:
        settings.PALIER_BACKUP_DIR.mkdir(parents=True, exist_ok=True)
        destination = settings.PALIER_BACKUP_DIR / f"palier-{now:%Y%m%dT%H%M%SZ}.tar"
    destination = Path(destination)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        database = _dump(Path(work))
        manifest = {"format": FORMAT, "engine": connection.vendor, "created_at": now.isoformat(),
                    "database": database.name, "counts": counts(), "media": 0}
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(database, arcname=database.name)
            manifest["media"] = _add_media(tar)
            _add_json(tar, "manifest.json", manifest, Path(work))
        partial.replace(destination)  # a crash never leaves a truncated archive behind
    return Outcome(destination, manifest)


def _dump(work: Path) -> Path:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    if connection.vendor == "postgresql":
        target = work / "database.dump"
        _pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)])
        return target
    raise ValidationFailed(f"Cannot back up a {connection.vendor} database.")


def _add_media(tar: tarfile.TarFile) -> int:
    root, added = Path(settings.MEDIA_ROOT), 0
    if not root.is_dir():
        return 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
        added += 1
    return added


def _add_json(tar: tarfile.TarFile, name: str, data: dict, work: Path) -> None:
    path = work / name
    path.write_text(json.dumps(data, indent=1))
    tar.add(path, arcname=name)


def counts() -> dict[str, int]:
    """Rows in the tables a restore is checked against."""
    existing = set(connection.introspection.table_names())
    found = {}
    with connection.cursor() as cursor:
        for name, table in COUNTED.items():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                found[name] = cursor.fetchone()[0]
    return found


def holds_data() -> bool:
    """Whether any table (other than schema bookkeeping) has a row."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in SCHEMA_ONLY or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return True
    return False


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, KeyError, tarfile.TarError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValidationFailed(f"{archive} is not a Palier backup (format {FORMAT}).")
    return manifest


def restore(archive: Path, *, force: bool = False) -> Outcome:
    """Load an archive into the configured database and media directory."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest["engine"] != connection.vendor:
        raise ValidationFailed(f"This backup is of a {manifest['engine']} database; the "
                               f"configured one is {connection.vendor}.")
    if not force and holds_data():
        raise Conflict("The database already holds data; restore with --force to replace it.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
        _load(Path(work) / manifest["database"], replace=force)
        _restore_media(Path(work) / "media")
    found = counts()
    if found != manifest["counts"]:
        raise Conflict(f"The restored rows {found} differ from the backup's {manifest['counts']}.")
    return Outcome(archive, manifest)


def _load(database: Path, *, replace: bool) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as source:
            source.backup(connection.connection)
        source.close()
        return
    connection.close()  # pg_restore needs the tables free of this process's connection
    _pg(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", *(["--clean", "--if-exists"] if replace else []), str(database)])


def _restore_media(source: Path) -> None:
    if not source.is_dir():
        return
    root = Path(settings.MEDIA_ROOT)
    for path in source.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)


def _pg(argv: list[str]) -> None:
    """Run a PostgreSQL client tool against the configured database."""
    db = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "", PGAPPNAME="palier-backup")
    argv = [*argv, "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            argv += [flag, str(db[key])]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Conflict(f"{argv[0]} failed: {done.stderr.strip()[-500:]}")
