from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "palier.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from palier.core import jobs

        jobs.register("triage.retrain", _retrain, every=300.0)


def _retrain() -> int:
    """The retraining job; scikit-learn is imported on first use, not at every start-up."""
    from palier.triage.services import retrain_if_due

    return retrain_if_due()
