"""Read models of the reports: one row of facts per case, derived from the journal.

The facts are a rollup kept current by the worker (``reports.refresh``); reports aggregate
them in SQL. ``CaseFactsBase`` is shared with the event-log workspace (``palier.eventlog``),
so both are counted by the same queries. Nothing here is ever edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFactsBase(models.Model):
    """The per-case facts of ``palier.reports.metrics.Facts``, as columns.

    ``levels``, ``groups`` and ``agents`` are ``|a|b|`` strings so that "visited level L2"
    is ``levels LIKE '%|L2|%'``; ``seconds_l1..l3`` hold the working time at the levels coded
    L1, L2, L3 (``level_seconds`` has every level).
    """

    created_at = models.DateTimeField(_("created"))
    created_on = models.DateField(_("created on"))
    priority = models.CharField(_("priority"), max_length=16, blank=True)
    start_level = models.CharField(_("start level"), max_length=16)
    resolved_level = models.CharField(_("resolved at level"), max_length=16, blank=True)
    level_trail = models.CharField(_("level trail"), max_length=200)
    levels = models.CharField(max_length=200)
    groups = models.TextField()
    agents = models.TextField(blank=True)
    escalations = models.PositiveIntegerField(default=0)
    skips = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)
    de_escalations = models.PositiveIntegerField(default=0)
    reassignments = models.PositiveIntegerField(default=0)
    reopens = models.PositiveIntegerField(default=0)
    pingpong_level = models.BooleanField(default=False)
    pingpong_group = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    fcr = models.BooleanField(default=False)
    l1_resolved = models.BooleanField(default=False)
    with_article = models.BooleanField(default=False)
    first_response_seconds = models.FloatField(null=True, blank=True)
    resolve_seconds = models.FloatField(null=True, blank=True)
    paused_seconds = models.FloatField(default=0)
    seconds_l1 = models.FloatField(default=0)
    seconds_l2 = models.FloatField(default=0)
    seconds_l3 = models.FloatField(default=0)
    level_seconds = models.JSONField(default=dict)

    class Meta:
        abstract = True


class TicketFacts(CaseFactsBase):
    """The facts of one live ticket, plus the dimensions reports filter on."""

    ticket = models.OneToOneField("tickets.Ticket", primary_key=True, on_delete=models.CASCADE,
                                  related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("tickets.Category", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    response_met = models.BooleanField(null=True)
    resolution_met = models.BooleanField(null=True)
    ola_breached = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ticket facts")
        verbose_name_plural = _("ticket facts")
        indexes = [
            models.Index(fields=["created_at"], name="facts_created"),
            models.Index(fields=["client", "created_at"], name="facts_client_created"),
            models.Index(fields=["category", "created_at"], name="facts_category_created"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.level_trail}"


class FactsCursor(models.Model):
    """How far the worker has read the journal (the last event id whose ticket is counted)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class ReportDelivery(models.Model):
    """One monthly client report sent (the worker sends each month's report once)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    recipients = models.TextField(_("recipients"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("client report delivery")
        verbose_name_plural = _("client report deliveries")
        constraints = [models.UniqueConstraint(fields=["client", "month"],
                                               name="client_report_sent_once")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.month:%Y-%m}"
