from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "palier.demo"
    label = "demo"
    verbose_name = _("Demo desk")
