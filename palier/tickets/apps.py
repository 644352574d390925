from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "palier.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.tickets import checks  # noqa: F401  (registers the system checks)
        from palier.tickets.services import orphans

        jobs.register("tickets.orphan_files", orphans.sweep, every=orphans.EVERY_SECONDS)
