from django.db import migrations

from palier.tickets.routing import DEFAULT_MATRIX


def seed(apps, schema_editor):
    PriorityRule = apps.get_model("tickets", "PriorityRule")
    TicketCounter = apps.get_model("tickets", "TicketCounter")
    for (impact, urgency), priority in DEFAULT_MATRIX.items():
        PriorityRule.objects.get_or_create(impact=impact, urgency=urgency,
                                           defaults={"priority": priority})
    for kind in ("incident", "request"):
        TicketCounter.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
