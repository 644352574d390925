from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "palier.capacity"
    label = "capacity"
    verbose_name = _("Capacity planning")

    def ready(self) -> None:
        from palier.capacity import stored
        from palier.core import jobs

        jobs.register("capacity.plan", stored.refresh_plans, every=stored.CHECK_EVERY)
