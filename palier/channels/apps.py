from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "palier.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from palier.channels import jobs

        jobs.register_all()
