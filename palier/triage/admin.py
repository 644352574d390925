from django.contrib import admin

from palier.triage.models import TicketPrediction, TriageModelVersion, TriageSettings


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enabled", "min_tickets", "category_threshold",
                    "group_threshold", "priority_threshold", "retrain_hours", "next_training_at"]

    def has_add_permission(self, request) -> bool:
        return not TriageSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TriageModelVersion)
class TriageModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "created_at", "tickets", "seconds", "message"]
    list_filter = ["status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TicketPrediction)
class TicketPredictionAdmin(admin.ModelAdmin):
    list_display = ["ticket", "field", "value", "confidence", "applied", "model_version",
                    "created_at"]
    list_filter = ["field", "applied"]
    raw_id_fields = ["ticket"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
