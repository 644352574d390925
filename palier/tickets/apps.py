from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "palier.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from palier.tickets import checks  # noqa: F401  (registers the system checks)
