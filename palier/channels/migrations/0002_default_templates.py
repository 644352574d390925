from django.db import migrations


def seed(apps, schema_editor):
    from palier.channels.defaults import TEMPLATES

    MessageTemplate = apps.get_model("channels", "MessageTemplate")
    for (kind, language), (subject, body) in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(kind=kind, language=language,
                                              defaults={"subject": subject, "body": body})


def start_cursor(apps, schema_editor):
    """An existing desk does not mail its whole history: read from the latest event on."""
    JournalCursor = apps.get_model("channels", "JournalCursor")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    latest = TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    JournalCursor.objects.get_or_create(name="channels", defaults={"position": latest or 0})


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_channels"),
                    ("tickets", "0004_satisfaction_and_event_kinds")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop),
                  migrations.RunPython(start_cursor, migrations.RunPython.noop)]
