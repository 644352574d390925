from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventlogConfig(AppConfig):
    name = "palier.eventlog"
    label = "eventlog"
    verbose_name = _("Event-log analysis")
