"""Clients (the tenant boundary) and the contracts that say what each is promised."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PRIORITY_KEYS = ("P1", "P2", "P3", "P4")
DEFAULT_RESPONSE_MINUTES = {"P1": 15, "P2": 60, "P3": 240, "P4": 480}
DEFAULT_RESOLUTION_MINUTES = {"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}


def default_response() -> dict:
    return dict(DEFAULT_RESPONSE_MINUTES)


def default_resolution() -> dict:
    return dict(DEFAULT_RESOLUTION_MINUTES)


class Client(models.Model):
    """A customer company (managed services) or a department (in-house IT)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en")
    email_domains = models.CharField(
        _("e-mail domains"), max_length=500, blank=True,
        help_text=_("Comma-separated domains whose senders belong to this client."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """What a client is promised: covered levels, and response and resolution targets."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE,
                               related_name="contracts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    included_levels = models.ManyToManyField(
        "accounts.Level", verbose_name=_("included levels"), related_name="contracts",
        help_text=_("Levels this contract pays for; escalation beyond them is refused."),
    )
    response_minutes = models.JSONField(
        _("first-response targets (minutes)"), default=default_response,
        help_text=_('Per priority, e.g. {"P1": 15, "P2": 60, "P3": 240, "P4": 480}.'),
    )
    resolution_minutes = models.JSONField(
        _("resolution targets (minutes)"), default=default_resolution,
        help_text=_('Per priority, e.g. {"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}.'),
    )

    class Meta:
        ordering = ["client__name", "-starts_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.name}"

    def clean(self) -> None:
        for field in ("response_minutes", "resolution_minutes"):
            targets = getattr(self, field)
            if not isinstance(targets, dict) or set(targets) != set(PRIORITY_KEYS):
                raise ValidationError({field: _("Give a target for each of P1, P2, P3 and P4.")})
            if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                       for v in targets.values()):
                raise ValidationError({field: _("Targets are positive whole minutes.")})
