from django.contrib import admin

from palier.tickets.models import (
    Attachment,
    Category,
    Handoff,
    IntakeRule,
    PriorityRule,
    Ticket,
    TicketEvent,
    Worklog,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "default_level", "default_group", "skill", "is_active"]
    list_filter = ["default_level", "is_active"]
    search_fields = ["path"]
    filter_horizontal = ["groups"]


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ["impact", "urgency", "priority"]


@admin.register(IntakeRule)
class IntakeRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "priority", "kind", "client", "start_level",
                    "skip_allowed", "is_active"]
    filter_horizontal = ["categories"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["created_at", "kind", "actor", "public", "body", "data"]


class HandoffInline(ReadOnlyInline):
    model = Handoff
    fields = ["created_at", "from_level", "to_level", "summary", "outcome", "return_reason"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change through the services (console, API), never here."""

    list_display = ["number", "title", "client", "status", "level", "group", "priority",
                    "created_at"]
    list_filter = ["status", "level", "priority", "kind", "client"]
    search_fields = ["number", "title"]
    list_select_related = ["client", "level", "group"]
    show_full_result_count = False
    inlines = [HandoffInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Worklog)
class WorklogAdmin(admin.ModelAdmin):
    list_display = ["ticket", "agent", "level", "minutes", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(Attachment)
