"""PostgreSQL: each kind's ticket numbers come from a sequence (see palier.tickets.numbering),
continuing from its TicketCounter row; SQLite keeps the rows."""

from django.db import migrations

KINDS = ("incident", "request")


def create_sequences(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    counter = apps.get_model("tickets", "TicketCounter")
    values = dict(counter.objects.values_list("kind", "value"))
    for kind in KINDS:
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS tickets_number_{kind} MINVALUE 0 "
                              f"START WITH {values.get(kind, 0) + 1}")


def drop_sequences(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    counter = apps.get_model("tickets", "TicketCounter")
    with schema_editor.connection.cursor() as cursor:
        for kind in KINDS:
            cursor.execute(f"SELECT last_value, is_called FROM tickets_number_{kind}")
            value, called = cursor.fetchone()
            counter.objects.update_or_create(kind=kind,
                                             defaults={"value": value if called else value - 1})
            cursor.execute(f"DROP SEQUENCE tickets_number_{kind}")


class Migration(migrations.Migration):

    dependencies = [("tickets", "0007_queue_and_backlog_indexes")]

    operations = [migrations.RunPython(create_sequences, drop_sequences)]
