from django.contrib import admin

from palier.sla.models import Calendar, CalendarException, OlaTarget, SlaPolicy


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "holiday_country", "holiday_subdivision", "is_24x7"]
    search_fields = ["name"]
    inlines = [CalendarExceptionInline]


class OlaTargetInline(admin.TabularInline):
    model = OlaTarget
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "contract", "calendar", "is_active", "pause_on_pending_requester",
                    "pause_on_pending_vendor"]
    list_filter = ["is_active", "calendar"]
    search_fields = ["name", "contract__name", "contract__client__name"]
    inlines = [OlaTargetInline]
