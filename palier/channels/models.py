"""Channels: the journal cursor, mail templates, outbound and inbound mail, webhooks."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _


class JournalCursor(models.Model):
    """How far a consumer has read the journal (``tickets.TicketEvent`` ids).

    ``position`` is the highest id seen; ``pending`` maps ids skipped below it (a PostgreSQL
    transaction may commit a lower id after a higher one) to when the gap was first seen,
    so they are re-checked until they appear or the gap is given up.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.BigIntegerField(_("highest event seen"), default=0)
    pending = models.JSONField(_("ids skipped, re-checked"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("journal cursor")
        verbose_name_plural = _("journal cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.position}"


class NotificationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    REPLY = "reply", _("Public reply")
    STATUS = "status", _("Status change")
    ESCALATION = "escalation", _("New escalation")
    RETURN = "return", _("Escalation returned")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    SURVEY = "survey", _("Satisfaction survey")


class MessageTemplate(models.Model):
    """The subject and body of one kind of notification in one language (Django template
    syntax; the ticket number tag is always prepended to the subject)."""

    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["kind", "language"],
                                               name="one_template_per_kind_language")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"

    def clean(self) -> None:
        errors = {}
        for field in ("subject", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as exc:
                errors[field] = str(exc)
        if errors:
            raise ValidationError(errors)


class Delivery(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")


class OutboundMessage(models.Model):
    """One notification to one recipient about one journal event; sent by the worker."""

    event = models.ForeignKey("tickets.TicketEvent", verbose_name=_("event"),
                              on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey("accounts.User", verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=400)
    body = models.TextField(_("body"))
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=250, blank=True)
    references = models.TextField(_("References"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Delivery.choices,
                              default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("worker lease"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [models.UniqueConstraint(fields=["event", "recipient", "kind"],
                                               name="one_message_per_event_recipient_kind")]
        indexes = [models.Index(fields=["next_attempt_at"], name="outbound_due",
                                condition=models.Q(status="queued"))]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class UnknownSender(models.TextChoices):
    QUARANTINE = "quarantine", _("Reject to quarantine")
    MAPPED_CLIENT = "mapped_client", _("Create the requester in the mailbox's client")
    DEFAULT_CLIENT = "default_client", _("Create the requester in the default client")


class Mailbox(models.Model):
    """An IMAP mailbox the worker polls; new mail opens tickets for its client/category."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("SSL"), default=True)
    username = models.CharField(_("user"), max_length=200, blank=True)
    password = models.CharField(_("password"), max_length=200, blank=True,
                                help_text=_("Leave empty to read it from the variable below."))
    password_env = models.CharField(_("password variable"), max_length=100, blank=True,
                                    help_text=_("Environment variable holding the password."))
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    client = models.ForeignKey("clients.Client", verbose_name=_("client"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("tickets.Category", verbose_name=_("category"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    unknown_sender = models.CharField(_("unknown senders"), max_length=16,
                                      choices=UnknownSender.choices,
                                      default=UnknownSender.QUARANTINE)
    is_active = models.BooleanField(_("polled"), default=True)
    claimed_until = models.DateTimeField(_("worker lease"), null=True, blank=True,
                                         editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True,
                                          editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name


class MailDomain(models.Model):
    """Senders from this domain belong to this client."""

    domain = models.CharField(_("domain"), max_length=200, unique=True)
    client = models.ForeignKey("clients.Client", verbose_name=_("client"),
                               on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["domain"]
        verbose_name = _("mail domain")
        verbose_name_plural = _("mail domains")

    def __str__(self) -> str:
        return f"{self.domain} → {self.client}"

    def save(self, *args, **kwargs) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Outcome(models.TextChoices):
    RECEIVED = "received", _("Being processed")
    TICKET = "ticket", _("Opened a ticket")
    MESSAGE = "message", _("Added to a ticket")
    IGNORED = "ignored", _("Ignored (automatic reply, bounce or loop)")
    QUARANTINED = "quarantined", _("Quarantined")


class InboundMessage(models.Model):
    """Every message received, once: ``key`` is its Message-ID (or the raw hash)."""

    key = models.CharField(_("Message-ID or hash"), max_length=250, unique=True)
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("mailbox"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sender = models.CharField(_("sender"), max_length=250, blank=True)
    subject = models.CharField(_("subject"), max_length=400, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               default=Outcome.RECEIVED)
    reason = models.TextField(_("reason"), blank=True)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    raw = models.BinaryField(_("raw message"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    received_at = models.DateTimeField(_("received"))
    replayed_at = models.DateTimeField(_("replayed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [models.Index(fields=["outcome", "received_at"], name="inbound_outcome")]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class Quarantined(InboundMessage):
    """The quarantine: inbound messages kept raw because they could not be processed."""

    class Meta:
        proxy = True
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantine")


class WebhookSubscription(models.Model):
    """An endpoint told about chosen journal events of one client, or of the whole desk."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200)
    client = models.ForeignKey("clients.Client", verbose_name=_("client"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+",
                               help_text=_("Empty: every client of the desk."))
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True,
                                   help_text=_('e.g. ["created", "resolved"]; empty: all.'))
    allow_private_network = models.BooleanField(
        _("allow private addresses"), default=False,
        help_text=_("Deliver to loopback, private or link-local addresses (trusted admins "
                    "only)."))
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event to one subscription, retried with backoff until delivered or given up."""

    subscription = models.ForeignKey(WebhookSubscription, verbose_name=_("subscription"),
                                     on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("tickets.TicketEvent", verbose_name=_("event"),
                              on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=8, choices=Delivery.choices,
                              default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("worker lease"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["subscription", "event"],
                                               name="one_delivery_per_subscription_event")]
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_due",
                                condition=models.Q(status="queued"))]

    def __str__(self) -> str:
        return f"{self.subscription} ← {self.event_id}"


class WebhookAttempt(models.Model):
    """The delivery log: one row per HTTP attempt."""

    delivery = models.ForeignKey(WebhookDelivery, verbose_name=_("delivery"),
                                 on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error[:40]}"
