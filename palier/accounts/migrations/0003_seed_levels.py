from django.db import migrations

LEVELS = [
    ("L1", "Service desk", 1),
    ("L2", "Technical support", 2),
    ("L3", "Experts", 3),
]


def seed(apps, schema_editor):
    Level = apps.get_model("accounts", "Level")
    for code, name, rank in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
