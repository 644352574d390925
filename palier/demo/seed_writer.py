"""Bulk writers for the seeder: SQLite ``executemany`` and PostgreSQL ``COPY``.

Rows arrive with their primary keys already allocated, so parents and children go in
without round trips. Each ``write`` runs inside the caller's transaction.
"""

from __future__ import annotations

from django.db import connection

from palier.demo.seed_gen import Batch
from palier.demo.seed_story import EVENT_COLUMNS, HANDOFF_COLUMNS, TICKET_COLUMNS, WORKLOG_COLUMNS
from palier.tickets.models import Handoff, Ticket, TicketEvent, Worklog

#: (model, columns, batch attribute), parents first.
TABLES = (
    (Ticket, TICKET_COLUMNS, "tickets"),
    (Handoff, HANDOFF_COLUMNS, "handoffs"),
    (TicketEvent, EVENT_COLUMNS, "events"),
    (Worklog, WORKLOG_COLUMNS, "worklogs"),
)


def _quoted(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class SqliteWriter:
    """``executemany`` on the raw sqlite3 connection with pre-built rows."""

    tz_suffix = ""

    def __init__(self) -> None:
        self.sql = [(f'INSERT INTO "{m._meta.db_table}" ({_quoted(cols)}) VALUES '
                     f"({', '.join('?' * len(cols))})", attr) for m, cols, attr in TABLES]

    def write(self, batch: Batch) -> None:
        connection.ensure_connection()
        raw = connection.connection  # the sqlite3 connection, inside Django's transaction
        for sql, attr in self.sql:
            rows = getattr(batch, attr)
            if rows:
                raw.executemany(sql, rows)

    def sync_sequences(self) -> None:
        """Nothing to do: AUTOINCREMENT follows the highest id inserted."""

    @staticmethod
    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")


class PostgresWriter:
    """``COPY … FROM STDIN`` through psycopg 3, one stream per table.

    The rows reference only ids read from the directory or allocated by the seeder, so
    when the role may (superuser), the per-row foreign-key triggers, which would otherwise
    take most of the time at commit, are skipped for the chunk's transaction only.
    """

    tz_suffix = "+00"

    def __init__(self) -> None:
        self.sql = [(f'COPY "{m._meta.db_table}" ({_quoted(cols)}) FROM STDIN', attr)
                    for m, cols, attr in TABLES]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            self.skip_row_triggers = bool(cursor.fetchone()[0])

    def write(self, batch: Batch) -> None:
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # the psycopg cursor under Django's wrapper
            cursor.execute("SET LOCAL synchronous_commit = off")
            if self.skip_row_triggers:
                cursor.execute("SET LOCAL session_replication_role = replica")
            for sql, attr in self.sql:
                rows = getattr(batch, attr)
                if not rows:
                    continue
                with cursor.copy(sql) as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)

    @staticmethod
    def sync_sequences() -> None:
        """Move each identity sequence past the ids the seeder allocated itself."""
        with connection.cursor() as cursor:
            for model, _, _ in TABLES:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f'COALESCE((SELECT MAX("id") FROM "{table}"), 1), '
                    f'(SELECT MAX("id") FROM "{table}") IS NOT NULL)', [table])

    @staticmethod
    def analyze() -> None:
        with connection.cursor() as cursor:
            for model, _, _ in TABLES:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def writer_for_connection() -> SqliteWriter | PostgresWriter:
    if connection.vendor == "sqlite":
        return SqliteWriter()
    if connection.vendor == "postgresql":
        return PostgresWriter()
    raise RuntimeError(f"The seeder writes to SQLite and PostgreSQL, not {connection.vendor}.")
