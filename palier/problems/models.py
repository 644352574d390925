"""Problems: the root cause behind recurring incidents, and known errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    KNOWN_ERROR = "known_error", _("Known error")
    RESOLVED = "resolved", _("Resolved")


class Problem(models.Model):
    """The unknown (then known) root cause of one or more incidents; usually owned by L3."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="problems",
        help_text=_("Empty when the cause is shared (incidents of several clients)."))
    owner_group = models.ForeignKey("accounts.Group", verbose_name=_("owner group"),
                                    on_delete=models.PROTECT, related_name="problems")
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround_article = models.ForeignKey(
        "knowledge.Article", verbose_name=_("workaround article"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="known_errors")
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    vendor_reference = models.CharField(_("vendor reference"), max_length=200, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"PRB-{self.pk or 0:06d}"


class ProblemIncident(models.Model):
    """An incident linked to a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE,
                               related_name="problem_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(_("linked"))

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("linked incident")
        verbose_name_plural = _("linked incidents")
        constraints = [models.UniqueConstraint(fields=["problem", "ticket"],
                                               name="incident_linked_once")]

    def __str__(self) -> str:
        return f"{self.problem_id} ← {self.ticket_id}"


class ProblemNote(models.Model):
    """An investigation note (append-only)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.body[:40]}"
