"""An idempotency key: which ticket one client request (user, key) opened, and from what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """Written in the transaction that opens the ticket: never a key without its ticket."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64,
                                   help_text=_("SHA-256 of the request's fields."))
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_key_once_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.key} → ticket {self.ticket_id}"
