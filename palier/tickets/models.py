"""Tickets and everything recorded about them: journal, handoffs, worklog, attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palier.tickets.lifecycle import ACTIVE, Status
from palier.tickets.routing import Impact, Priority, Urgency


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Service request")


KIND_PREFIX = {Kind.INCIDENT: "INC", Kind.REQUEST: "REQ"}


class TicketStatus(models.TextChoices):
    NEW = Status.NEW, _("New")
    OPEN = Status.OPEN, _("Open")
    ESCALATED = Status.ESCALATED, _("Escalated, awaiting acceptance")
    PENDING = Status.PENDING, _("Pending requester")
    PENDING_VENDOR = Status.PENDING_VENDOR, _("Pending vendor")
    RESOLVED = Status.RESOLVED, _("Resolved")
    CLOSED = Status.CLOSED, _("Closed")


class ImpactChoice(models.TextChoices):
    HIGH = Impact.HIGH, _("High")
    MEDIUM = Impact.MEDIUM, _("Medium")
    LOW = Impact.LOW, _("Low")


class UrgencyChoice(models.TextChoices):
    HIGH = Urgency.HIGH, _("High")
    MEDIUM = Urgency.MEDIUM, _("Medium")
    LOW = Urgency.LOW, _("Low")


class PriorityChoice(models.TextChoices):
    P1 = Priority.P1, _("P1 · critical")
    P2 = Priority.P2, _("P2 · high")
    P3 = Priority.P3, _("P3 · medium")
    P4 = Priority.P4, _("P4 · low")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    API = "api", _("API")
    CHAT = "chat", _("Chat")
    MONITORING = "monitoring", _("Monitoring")
    WALK_IN = "walk_in", _("Walk-in")


class Category(models.Model):
    """A node of the service/category tree, carrying its routing and escalation needs."""

    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("name"), max_length=100)
    path = models.CharField(_("full name"), max_length=400, unique=True, editable=False)
    default_level = models.ForeignKey("accounts.Level", verbose_name=_("default level"),
                                      on_delete=models.PROTECT, related_name="+")
    default_group = models.ForeignKey("accounts.Group", verbose_name=_("default group"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    groups = models.ManyToManyField(
        "accounts.Group", verbose_name=_("handling groups"), blank=True, related_name="categories",
        help_text=_("The group that takes this category at each higher level on escalation."),
    )
    skill = models.ForeignKey("accounts.Skill", verbose_name=_("needed skill"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    handoff_fields = models.JSONField(
        _("required handoff fields"), default=list, blank=True,
        help_text=_('Extra fields an escalation must fill, e.g. ["affected_host", "error_code"].'),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.path

    def save(self, *args, **kwargs) -> None:
        self.path = f"{self.parent.path} > {self.name}" if self.parent_id else self.name
        super().save(*args, **kwargs)


class PriorityRule(models.Model):
    """One cell of the desk's impact × urgency → priority matrix."""

    impact = models.CharField(_("impact"), max_length=8, choices=ImpactChoice.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=UrgencyChoice.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=PriorityChoice.choices)

    class Meta:
        verbose_name = _("priority matrix cell")
        verbose_name_plural = _("priority matrix")
        constraints = [models.UniqueConstraint(fields=["impact", "urgency"],
                                               name="one_priority_per_cell")]

    def __str__(self) -> str:
        return f"{self.impact} × {self.urgency} → {self.priority}"


class IntakeRule(models.Model):
    """Decides a new ticket's starting level (e.g. P1 straight to L2) and whether it may skip."""

    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=100)
    priority = models.CharField(_("when priority is"), max_length=2, blank=True,
                                choices=PriorityChoice.choices)
    kind = models.CharField(_("when kind is"), max_length=10, blank=True, choices=Kind.choices)
    client = models.ForeignKey("clients.Client", verbose_name=_("when client is"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+")
    categories = models.ManyToManyField(Category, verbose_name=_("when category is in"),
                                        blank=True, related_name="+")
    start_level = models.ForeignKey("accounts.Level", verbose_name=_("start at level"),
                                    on_delete=models.PROTECT, related_name="+")
    start_group = models.ForeignKey("accounts.Group", verbose_name=_("start in group"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    skip_allowed = models.BooleanField(_("may skip levels on escalation"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("intake rule")
        verbose_name_plural = _("intake rules")

    def __str__(self) -> str:
        return self.name


class TicketCounter(models.Model):
    """The last number given per kind on SQLite (PostgreSQL uses sequences: numbering.py)."""

    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


ACTIVE_STATUSES = sorted(ACTIVE)
PENDING_STATUSES = sorted([Status.PENDING, Status.PENDING_VENDOR])


STATUS_LABELS = dict(TicketStatus.choices)
PRIORITY_LABELS = dict(PriorityChoice.choices)


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.INCIDENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TicketStatus.choices,
                              default=TicketStatus.NEW)
    client = models.ForeignKey("clients.Client", verbose_name=_("client"),
                               on_delete=models.PROTECT, related_name="tickets")
    contract = models.ForeignKey("clients.Contract", verbose_name=_("contract"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="tickets")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester"),
                                  on_delete=models.PROTECT, related_name="requested_tickets")
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tickets")
    impact = models.CharField(_("impact"), max_length=8, choices=ImpactChoice.choices,
                              default=ImpactChoice.MEDIUM)
    urgency = models.CharField(_("urgency"), max_length=8, choices=UrgencyChoice.choices,
                               default=UrgencyChoice.MEDIUM)
    priority = models.CharField(_("priority"), max_length=2, choices=PriorityChoice.choices,
                                default=PriorityChoice.P3)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices,
                               default=Channel.PORTAL)
    level = models.ForeignKey("accounts.Level", verbose_name=_("level"),
                              on_delete=models.PROTECT, related_name="tickets")
    group = models.ForeignKey("accounts.Group", verbose_name=_("group"),
                              on_delete=models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey("accounts.Agent", verbose_name=_("assignee"), null=True,
                                 blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_tickets")
    skip_allowed = models.BooleanField(_("may skip levels"), default=False)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    vendor_reference = models.CharField(_("vendor reference"), max_length=200, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="duplicates", editable=False)
    response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The SLA clock, derived from the journal by palier.sla.services (never set by hand).
    ola_due_at = models.DateTimeField(_("OLA due"), null=True, blank=True)
    sla_paused = models.BooleanField(_("SLA clock paused"), default=False, db_default=False)
    response_breached_at = models.DateTimeField(_("first response breached"), null=True,
                                                blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached"), null=True,
                                                  blank=True)
    ola_breached_at = models.DateTimeField(_("OLA breached"), null=True, blank=True)
    sla_version = models.ForeignKey("sla.PolicyVersion", verbose_name=_("SLA rules"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)
    sla_state = models.JSONField(_("SLA clock"), null=True, blank=True, editable=False)
    next_sla_check_at = models.DateTimeField(_("next SLA alarm"), null=True, blank=True,
                                             editable=False)
    sla_claimed_until = models.DateTimeField(_("SLA worker lease"), null=True, blank=True,
                                             editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Queues: active tickets of one level (or group), soonest due first.
            models.Index(fields=["level", "due_at", "id"], name="ticket_level_queue",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            models.Index(fields=["group", "due_at", "id"], name="ticket_group_queue",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            # "Mine" and "unassigned": active tickets of one assignee (or none), soonest due.
            models.Index(fields=["assignee", "due_at", "id"], name="ticket_assignee_queue",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            # "Unassigned" and "pending" of one group, soonest due: they stop after a page
            # however many tickets wait (the assignee index would read every unassigned one).
            models.Index(fields=["group", "due_at", "id"], name="ticket_unassigned_queue",
                         condition=models.Q(status__in=ACTIVE_STATUSES, assignee__isnull=True)),
            models.Index(fields=["group", "due_at", "id"], name="ticket_pending_queue",
                         condition=models.Q(status__in=PENDING_STATUSES)),
            # The backlog report (dashboard): active tickets by level, client and age, counted
            # from the index alone.
            models.Index(fields=["level", "client", "created_at"], name="ticket_active_backlog",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            # "Breaching soon": one range scan per target over active tickets.
            models.Index(fields=["response_due_at"], name="ticket_active_response_due",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            models.Index(fields=["due_at"], name="ticket_active_due",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            models.Index(fields=["ola_due_at"], name="ticket_active_ola_due",
                         condition=models.Q(status__in=ACTIVE_STATUSES)),
            # "Recently resolved": a group's resolved tickets, latest first.
            models.Index(fields=["group", "status", "resolved_at", "id"],
                         name="ticket_group_status_resolved"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee"),
            models.Index(fields=["client", "created_at"], name="ticket_client_created"),
            models.Index(fields=["requester", "created_at"], name="ticket_requester_created"),
            # The SLA worker claims due tickets from here: it never scans the table.
            models.Index(fields=["next_sla_check_at"], name="ticket_sla_check",
                         condition=models.Q(next_sla_check_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    # Django's get_FOO_display hashes every choice (and so translates every label) on each
    # call: a 50-row list spent a fifth of its time there. A lookup translates one label.
    def get_status_display(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def get_priority_display(self) -> str:
        return str(PRIORITY_LABELS.get(self.priority, self.priority))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    MESSAGE = "message", _("Public message")
    NOTE = "note", _("Internal note")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated")
    ACCEPTED = "accepted", _("Escalation accepted")
    RETURNED = "returned", _("Escalation returned")
    DE_ESCALATED = "de_escalated", _("De-escalated")
    MANAGERS_ALERTED = "managers_alerted", _("Managers alerted")
    VENDOR = "vendor", _("Vendor engaged")
    PENDING = "pending", _("Pending")
    RESUMED = "resumed", _("Resumed")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another ticket")
    DUPLICATE_MERGED = "duplicate_merged", _("A duplicate was merged in")
    CLASSIFIED = "classified", _("Classification changed")
    WORKLOG = "worklog", _("Time logged")
    ATTACHMENT = "attachment", _("Attachment added")
    POLICY_CHANGED = "policy_changed", _("SLA policy changed")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    TRIAGED = "triaged", _("Triage prediction applied")
    ARTICLE_LINKED = "article_linked", _("Knowledge article linked")
    PROBLEM_LINKED = "problem_linked", _("Linked to a problem")
    PROBLEM_UNLINKED = "problem_unlinked", _("Unlinked from a problem")
    SATISFACTION = "satisfaction", _("Satisfaction rated")
    NOTIFICATION_FAILED = "notification_failed", _("Notification failed")


class AppendOnly(models.Model):
    """A row that is written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are append-only.")


class TicketEvent(AppendOnly):
    """The journal: one row per thing that happened to a ticket."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("time"))
    public = models.BooleanField(_("visible to the requester"), default=False)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("journal event")
        verbose_name_plural = _("journal")
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class HandoffOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Handoff(models.Model):
    """What an escalation carries so that the next level never starts from zero."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="handoffs")
    from_level = models.ForeignKey("accounts.Level", on_delete=models.PROTECT, related_name="+")
    to_level = models.ForeignKey("accounts.Level", on_delete=models.PROTECT, related_name="+")
    from_group = models.ForeignKey("accounts.Group", on_delete=models.PROTECT, related_name="+")
    to_group = models.ForeignKey("accounts.Group", on_delete=models.PROTECT, related_name="+")
    from_assignee = models.ForeignKey("accounts.Agent", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(_("summary"))
    steps_tried = models.TextField(_("steps tried"))
    diagnostics = models.TextField(_("diagnostics"))
    articles_consulted = models.TextField(_("knowledge articles consulted"), blank=True)
    fields = models.JSONField(_("category fields"), default=dict, blank=True)
    attachments = models.ManyToManyField("Attachment", blank=True, related_name="handoffs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=HandoffOutcome.choices,
                               default=HandoffOutcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("return reason"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("handoff")
        verbose_name_plural = _("handoffs")
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=models.Q(outcome="pending"),
                                    name="one_pending_handoff_per_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.from_level_id} → {self.to_level_id}"


class Worklog(AppendOnly):
    """Time an agent spent on a ticket, at the level the ticket was at."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="worklogs")
    agent = models.ForeignKey("accounts.Agent", on_delete=models.PROTECT, related_name="worklogs")
    level = models.ForeignKey("accounts.Level", on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("logged"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("worklog entry")
        verbose_name_plural = _("worklog")
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0),
                                              name="worklog_minutes_positive")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.minutes} min"


class Satisfaction(models.Model):
    """The requester's rating of a resolution (CSAT): a score from 1 to 5, once per ticket."""

    ticket = models.OneToOneField(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                                  related_name="satisfaction")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rated by"),
                                 on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("accounts.Level", verbose_name=_("resolved at level"),
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                              name="satisfaction_score_1_to_5")]
        indexes = [models.Index(fields=["created_at"], name="satisfaction_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}/5"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.ticket_id}/{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=120)
    public = models.BooleanField(_("visible to the requester"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
