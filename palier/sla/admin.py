"""The SLA configuration UI. Saving a policy or a calendar re-times the open tickets it
governs (``palier.sla.services.retime``): a change applies from now on and is journaled."""

from django.contrib import admin, messages

from palier.ops.audit import AuditedAdmin
from palier.sla.models import Calendar, CalendarException, OlaTarget, PolicyVersion, SlaPolicy
from palier.sla.services import apply_calendar_change, apply_policy_change


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "timezone", "holiday_country", "holiday_subdivision", "is_24x7"]
    search_fields = ["name"]
    inlines = [CalendarExceptionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            _report(request, apply_calendar_change(form.instance, actor=request.user))


class OlaTargetInline(admin.TabularInline):
    model = OlaTarget
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "contract", "calendar", "is_active", "pause_on_pending_requester",
                    "pause_on_pending_vendor"]
    list_filter = ["is_active", "calendar"]
    search_fields = ["name", "contract__name", "contract__client__name"]
    inlines = [OlaTargetInline]

    def save_model(self, request, obj, form, change) -> None:
        obj._previous_contract_id = form.initial.get("contract") if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        policy = form.instance
        _report(request, apply_policy_change(
            policy, actor=request.user,
            previous_contract_id=getattr(policy, "_previous_contract_id", None)))

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        _report(request, apply_policy_change(obj, actor=request.user))

    def delete_queryset(self, request, queryset) -> None:
        deleted = list(queryset)
        super().delete_queryset(request, queryset)
        _report(request, sum(apply_policy_change(p, actor=request.user) for p in deleted))


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Read-only: the frozen rules tickets' clocks ran under."""

    list_display = ["__str__", "policy", "created_at"]
    readonly_fields = ["id", "policy", "spec", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _report(request, retimed: int) -> None:
    if retimed:
        messages.info(request, f"{retimed} open tickets now follow the new rules.")
