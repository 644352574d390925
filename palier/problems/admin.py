from django.contrib import admin

from palier.problems.models import Problem, ProblemIncident, ProblemNote


class IncidentInline(admin.TabularInline):
    model = ProblemIncident
    extra = 0
    can_delete = False
    fields = ["ticket", "linked_by", "linked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NoteInline(admin.TabularInline):
    model = ProblemNote
    extra = 0
    can_delete = False
    fields = ["body", "author", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Problems are worked through the services (linking journals each incident)."""

    list_display = ["__str__", "status", "client", "owner_group", "workaround_article",
                    "vendor_reference", "created_at"]
    list_filter = ["status", "owner_group", "client"]
    search_fields = ["title", "root_cause"]
    inlines = [IncidentInline, NoteInline]
    readonly_fields = [f.name for f in Problem._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
