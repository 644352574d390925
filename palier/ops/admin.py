"""The audit log and worker heartbeats in the admin, read-only."""

from django.contrib import admin

from palier.ops.models import AuditEntry, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_repr", "via"]
    list_filter = ["action", "target_type", "via"]
    search_fields = ["actor_label", "target_repr", "target_id"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "actor_label", "action", "target_type", "target_id",
                       "target_repr", "changes", "via"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker", "beat_at", "started_at"]
