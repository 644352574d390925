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
    csat_score = models.PositiveSmallIntegerField(null=True)  # the ticket's rating, if any
    csat_level = models.CharField(max_length=16, blank=True)  # the rating's level code
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ticket facts")
        verbose_name_plural = _("ticket facts")
        indexes = [
            models.Index(fields=["created_at"], name="facts_created"),
            models.Index(fields=["created_on"], name="facts_created_on"),
            models.Index(fields=["client", "created_at"], name="facts_client_created"),
            models.Index(fields=["category", "created_at"], name="facts_category_created"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.level_trail}"


class ReportDay(models.Model):
    """Daily rollup of the ticket facts for the tier, volume, SLA, CSAT and knowledge reports.

    One row per (day, client, priority, level trail, levels visited, start and resolving
    level, CSAT level) with the sums and counts of the facts; recomputed per day from the
    facts by ``rollups.refresh_days`` (never edited by hand).
    """

    day = models.DateField()
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(max_length=16, blank=True)
    level_trail = models.CharField(max_length=200)
    levels = models.CharField(max_length=200)
    start_level = models.CharField(max_length=16)
    resolved_level = models.CharField(max_length=16, blank=True)
    csat_level = models.CharField(max_length=16, blank=True)
    cases = models.IntegerField()
    resolved = models.IntegerField()
    fcr = models.IntegerField()
    l1_resolved = models.IntegerField()
    escalated = models.IntegerField()
    pingpong = models.IntegerField()
    pingpong_level = models.IntegerField()
    pingpong_group = models.IntegerField()
    reopened = models.IntegerField()
    frt_sum = models.FloatField()
    frt_n = models.IntegerField()
    resolve_sum = models.FloatField()
    resolve_n = models.IntegerField()
    paused_sum = models.FloatField()
    with_article = models.IntegerField()
    resolved_article = models.IntegerField()
    escalations = models.IntegerField()
    skips = models.IntegerField()
    returns = models.IntegerField()
    de_escalations = models.IntegerField()
    reassignments = models.IntegerField()
    seconds_l1 = models.FloatField()
    seconds_l2 = models.FloatField()
    seconds_l3 = models.FloatField()
    response_total = models.IntegerField()
    response_met = models.IntegerField()
    resolution_total = models.IntegerField()
    resolution_met = models.IntegerField()
    ola_breached = models.IntegerField()
    csat_n = models.IntegerField()
    csat_sum = models.IntegerField()
    csat_1 = models.IntegerField()
    csat_2 = models.IntegerField()
    csat_3 = models.IntegerField()
    csat_4 = models.IntegerField()
    csat_5 = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_day"),
                   models.Index(fields=["client", "day"], name="report_day_client")]

    def __str__(self) -> str:
        return f"{self.day} {self.client_id} {self.level_trail}: {self.cases}"


class ReportCategoryDay(models.Model):
    """Daily rollup per (day, client, category, levels visited): the category breakdowns
    and the shift-left candidates (at ``QUICK_HOURS`` of L2 time)."""

    QUICK_HOURS = 4.0

    day = models.DateField()
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("tickets.Category", null=True, on_delete=models.CASCADE,
                                 related_name="+")
    levels = models.CharField(max_length=200)
    cases = models.IntegerField()
    escalated = models.IntegerField()
    resolved = models.IntegerField()
    fcr = models.IntegerField()
    pingpong = models.IntegerField()
    quick_l2 = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_cat_day"),
                   models.Index(fields=["client", "day"], name="report_cat_day_client")]

    def __str__(self) -> str:
        return f"{self.day} {self.client_id} {self.category_id}: {self.cases}"


class ReportWorkDay(models.Model):
    """Daily rollup of the worklog per (ticket's day, client, levels visited, level worked,
    agent): minutes, and the tickets worked at the level (each ticket counted once per
    level, on the row of the lowest agent id who logged work on it there)."""

    day = models.DateField()
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    levels = models.CharField(max_length=200)
    level = models.ForeignKey("accounts.Level", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("accounts.Agent", on_delete=models.CASCADE, related_name="+")
    minutes = models.BigIntegerField()
    tickets = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_work_day"),
                   models.Index(fields=["client", "day"], name="report_work_day_client")]

    def __str__(self) -> str:
        return f"{self.day} {self.client_id} {self.level_id} {self.agent_id}: {self.minutes}"


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
