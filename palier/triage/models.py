"""Triage: the desk's settings, the trained model versions, and each ticket's predictions."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    CATEGORY = "category", _("Category")
    GROUP = "group", _("Level and group")
    PRIORITY = "priority", _("Priority (impact and urgency)")


UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class TriageSettings(models.Model):
    """The desk's triage settings (one row, edited in the admin)."""

    enabled = models.BooleanField(_("triage enabled"), default=True)
    min_tickets = models.PositiveIntegerField(
        _("minimum resolved tickets to train"), default=200,
        help_text=_("Below this many resolved tickets no model is trained or used."))
    category_threshold = models.FloatField(
        _("apply the category from confidence"), default=0.9, validators=UNIT,
        help_text=_("1.0 never applies it: the prediction is only suggested."))
    group_threshold = models.FloatField(_("apply the level and group from confidence"),
                                        default=0.9, validators=UNIT)
    priority_threshold = models.FloatField(_("apply impact and urgency from confidence"),
                                           default=0.95, validators=UNIT)
    retrain_hours = models.PositiveIntegerField(_("retrain every (hours)"), default=24,
                                                validators=[MinValueValidator(1)])
    next_training_at = models.DateTimeField(_("next scheduled training"), null=True,
                                             blank=True)
    training_claimed_until = models.DateTimeField(_("training lease"), null=True, blank=True,
                                                  editable=False)

    class Meta:
        verbose_name = _("triage settings")
        verbose_name_plural = _("triage settings")

    def __str__(self) -> str:
        return str(_("Triage settings"))

    def threshold(self, field: str) -> float:
        return float(getattr(self, f"{field}_threshold"))


class ModelStatus(models.TextChoices):
    READY = "ready", _("Ready")
    SKIPPED = "skipped", _("Skipped (too few tickets)")
    FAILED = "failed", _("Failed")


class TriageModelVersion(models.Model):
    """One training run and the model file it wrote under ``PALIER_DATA_DIR/triage``."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=8, choices=ModelStatus.choices)
    created_at = models.DateTimeField(_("trained at"))
    file = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    tickets = models.PositiveIntegerField(_("tickets learned from"), default=0)
    seconds = models.FloatField(_("training time (s)"), default=0.0)
    fields = models.JSONField(_("fields"), default=dict, blank=True,
                              help_text=_("Per field: classes and tickets learned from."))
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("triage model version")
        verbose_name_plural = _("triage model versions")

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"


class TicketPrediction(models.Model):
    """What triage predicted for one field of a ticket at intake, and whether it was applied.

    ``value`` is the predicted key (a category or group id, or ``impact/urgency``);
    ``suggestions`` the top three as ``[{"value", "label", "confidence"}]``.
    """

    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.CASCADE, related_name="predictions")
    field = models.CharField(_("field"), max_length=10, choices=Field.choices)
    value = models.CharField(_("predicted value"), max_length=40)
    confidence = models.FloatField(_("confidence"))
    threshold = models.FloatField(_("threshold"))
    applied = models.BooleanField(_("applied"), default=False)
    suggestions = models.JSONField(_("suggestions"), default=list)
    model_version = models.PositiveIntegerField(_("model version"))
    created_at = models.DateTimeField(_("predicted at"))

    class Meta:
        verbose_name = _("ticket prediction")
        verbose_name_plural = _("ticket predictions")
        constraints = [models.UniqueConstraint(fields=["ticket", "field"],
                                               name="triage_one_prediction_per_field")]
        indexes = [models.Index(fields=["created_at", "field"], name="triage_pred_recent")]

    def __str__(self) -> str:
        return f"{self.field}={self.value} ({self.confidence:.2f})"
