from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    """Safe retries: a ticket write sent again with the same idempotency key is done once."""

    name = "palier.idempotency"
    label = "idempotency"
    verbose_name = _("Idempotency keys")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.idempotency import services

        jobs.register("idempotency.purge", services.purge_expired,
                      every=services.PURGE_EVERY_SECONDS)
