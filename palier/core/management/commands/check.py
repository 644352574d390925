"""``palier check``: Django's system checks, including the desk's configuration (database)."""

from django.core.management.commands.check import Command as DjangoCheck


class Command(DjangoCheck):
    help = "Checks the installation and the desk's configuration (levels, groups, routing)."

    def handle(self, *app_labels, **options):
        if not options.get("databases"):
            options["databases"] = ["default"]
        super().handle(*app_labels, **options)
        self.stdout.write(self.style.SUCCESS("Palier configuration: OK"))
