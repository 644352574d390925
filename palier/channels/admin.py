from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from palier.channels.models import (
    InboundMessage,
    JournalCursor,
    Mailbox,
    MailDomain,
    MessageTemplate,
    OutboundMessage,
    Outcome,
    Quarantined,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from palier.channels.services.inbound import replay


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject"]
    list_filter = ["kind", "language"]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "username", "folder", "client", "category",
                    "unknown_sender", "is_active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]


@admin.register(MailDomain)
class MailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "client"]
    search_fields = ["domain"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnly):
    list_display = ["created_at", "ticket", "kind", "recipient", "language", "status",
                    "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["recipient", "subject", "message_id"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnly):
    list_display = ["received_at", "sender", "subject", "outcome", "ticket", "reason"]
    list_filter = ["outcome", "mailbox"]
    search_fields = ["sender", "subject", "key"]
    exclude = ["raw"]


@admin.register(Quarantined)
class QuarantineAdmin(ReadOnly):
    list_display = ["received_at", "sender", "subject", "reason", "size", "replayed_at"]
    search_fields = ["sender", "subject", "reason"]
    readonly_fields = ["raw_text"]
    exclude = ["raw"]
    actions = ["replay_messages"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(outcome=Outcome.QUARANTINED)

    @admin.display(description=_("raw message (first 20 kB)"))
    def raw_text(self, obj) -> str:
        return bytes(obj.raw or b"")[:20000].decode("utf-8", errors="replace")

    @admin.action(description=_("Replay the selected messages"))
    def replay_messages(self, request, queryset) -> None:
        done = [replay(pk) for pk in queryset.values_list("pk", flat=True)]
        left = sum(r.outcome == Outcome.QUARANTINED for r in done)
        self.message_user(request, ngettext("%(n)d message replayed", "%(n)d messages replayed",
                                            len(done)) % {"n": len(done)}, messages.SUCCESS)
        if left:
            self.message_user(request, _("%(n)d still quarantined; see the reason.")
                              % {"n": left}, messages.WARNING)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "client", "is_active", "allow_private_network",
                    "consecutive_failures", "disabled_at"]
    list_filter = ["is_active", "client"]
    readonly_fields = ["consecutive_failures", "disabled_at"]


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status_code", "error", "duration_ms"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly):
    list_display = ["created_at", "subscription", "event", "status", "attempts",
                    "next_attempt_at", "delivered_at"]
    list_filter = ["status", "subscription"]
    inlines = [AttemptInline]


@admin.register(JournalCursor)
class JournalCursorAdmin(ReadOnly):
    list_display = ["name", "position", "updated_at"]
