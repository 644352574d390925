from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "palier.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.triage.services import retrain_if_due

        jobs.register("triage.retrain", retrain_if_due, every=300.0)
