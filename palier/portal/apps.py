from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "palier.portal"
    verbose_name = _("Requester portal")
