"""Ticket numbers (INC-000123): one counter per kind, never the same number twice.

On PostgreSQL each kind's counter is a sequence (``tickets_number_<kind>``, created by
migration ``tickets/0008``). ``nextval`` takes no lock that lasts until commit, so concurrent
creates do not queue behind one another's transactions; the price is a gap when a create
rolls back after taking its number. On SQLite, where one writer holds the whole database
until commit anyway, the counter is the kind's ``TicketCounter`` row, incremented with
``UPDATE … RETURNING`` (no gaps).
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from palier.tickets.models import KIND_PREFIX, Kind, TicketCounter


def sequence_name(kind: str) -> str:
    return f"tickets_number_{kind}"


def next_number(kind: str) -> str:
    """The next readable number for the kind, e.g. INC-000123."""
    return f"{KIND_PREFIX[kind]}-{_take(kind):06d}"


def last_given() -> dict[str, int]:
    """Per kind, the last number given (0 when none)."""
    if _sequences(connection):
        with connection.cursor() as cursor:
            return {kind: _last_in_sequence(cursor, kind) for kind in Kind.values}
    for kind in Kind.values:
        TicketCounter.objects.get_or_create(kind=kind)
    return dict(TicketCounter.objects.values_list("kind", "value"))


def continue_after(values: dict[str, int]) -> None:
    """Raise each kind's counter to at least ``values[kind]`` (numbers written in bulk)."""
    if _sequences(connection):
        with connection.cursor() as cursor:
            for kind, value in values.items():
                if value > _last_in_sequence(cursor, kind):
                    cursor.execute("SELECT setval(%s, %s)", [sequence_name(kind), value])
        return
    for kind, value in values.items():
        TicketCounter.objects.filter(kind=kind, value__lt=value).update(value=value)


def _sequences(db: BaseDatabaseWrapper) -> bool:
    return db.vendor == "postgresql"


def _take(kind: str) -> int:
    with connection.cursor() as cursor:
        if _sequences(connection):
            cursor.execute("SELECT nextval(%s)", [sequence_name(kind)])
            return cursor.fetchone()[0]
        cursor.execute(f"UPDATE {TicketCounter._meta.db_table} SET value = value + 1 "
                       "WHERE kind = %s RETURNING value", [kind])
        row = cursor.fetchone()
    if row is None:  # the migration seeds both rows; recreate one deleted by hand
        TicketCounter.objects.get_or_create(kind=kind)
        return _take(kind)
    return row[0]


def _last_in_sequence(cursor, kind: str) -> int:
    cursor.execute(f"SELECT last_value, is_called FROM {sequence_name(kind)}")
    value, called = cursor.fetchone()
    return value if called else value - 1
