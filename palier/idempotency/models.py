"""An idempotency key: one client request (user, key), what it asked and what it answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """Written in the transaction of the write it answers: never a key without its write."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=100)
    operation = models.CharField(_("operation"), max_length=200,
                                 help_text=_('What the request did, e.g. "POST '
                                             '/api/v1/tickets/12/take" or "open_ticket".'))
    fingerprint = models.CharField(_("request fingerprint"), max_length=64,
                                   help_text=_("SHA-256 of the request's fields."))
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.CASCADE, related_name="+",
                               help_text=_("The ticket the request opened or acted on."))
    status = models.PositiveSmallIntegerField(_("status"), help_text=_("The HTTP status "
                                                                       "answered."))
    response = models.JSONField(_("response"), null=True, blank=True,
                                help_text=_("The JSON body answered; empty when the replay "
                                            "shows the ticket as it is now (ticket "
                                            "creation)."))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_key_once_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.key} → {self.operation}"
