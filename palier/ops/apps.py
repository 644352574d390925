from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health, metrics, structured logs, the audit log, backup and restore."""

    name = "palier.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.ops import heartbeat

        jobs.register("ops.heartbeat", heartbeat.beat, every=heartbeat.PERIOD_SECONDS)
