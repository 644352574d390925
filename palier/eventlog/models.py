"""The analysis workspace: imported event logs, kept apart from live tickets.

An imported log is never a ticket: its cases and events live here only, and its facts have
the columns of the live ones (``reports.CaseFactsBase``) so the same queries count both.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palier.reports.models import CaseFactsBase


class EventLog(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source file"), max_length=500)
    format = models.CharField(_("format"), max_length=8)
    mapping = models.JSONField(_("column mapping"))
    levels = models.JSONField(_("levels in order"), default=list)
    cases = models.PositiveIntegerField(_("cases"), default=0)
    events = models.PositiveIntegerField(_("events"), default=0)
    seconds = models.FloatField(_("import time (s)"), default=0)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("event log")
        verbose_name_plural = _("event logs")

    def __str__(self) -> str:
        return self.name

    @property
    def ranks(self) -> dict[str, int]:
        return {code: i + 1 for i, code in enumerate(self.levels)}


class LogCase(CaseFactsBase):
    """One case of an imported log, with its facts."""

    log = models.ForeignKey(EventLog, on_delete=models.CASCADE, related_name="case_rows")
    case_id = models.CharField(_("case"), max_length=200)
    category = models.CharField(_("category"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["log", "case_id"], name="case_once_per_log")]
        indexes = [models.Index(fields=["log", "created_at"], name="logcase_log_created")]

    def __str__(self) -> str:
        return self.case_id


class LogEvent(models.Model):
    """One imported event, as mapped (activity, level, group, resource)."""

    case = models.ForeignKey(LogCase, on_delete=models.CASCADE, related_name="event_rows")
    at = models.DateTimeField(_("time"))
    activity = models.CharField(_("activity"), max_length=200)
    level = models.CharField(_("level"), max_length=16)
    group = models.CharField(_("group"), max_length=200, blank=True)
    resource = models.CharField(_("resource"), max_length=200, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.activity} {self.at:%Y-%m-%d %H:%M}"
