from django.contrib import admin

from palier.knowledge.models import Article, ArticleUse, ArticleVersion, ArticleVote


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ["number", "title", "note", "edited_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read and triage articles; writes go through the services (API and console), which
    keep versions and the search index true."""

    list_display = ["title", "status", "audience", "min_level", "client", "category", "owner",
                    "review_by", "use_count", "helpful_count", "unhelpful_count"]
    list_filter = ["status", "audience", "min_level", "client", "language"]
    search_fields = ["title"]
    inlines = [VersionInline]
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ArticleUse)
class ArticleUseAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "ticket", "level", "actor", "created_at"]
    list_filter = ["kind", "level"]
    readonly_fields = ["article", "kind", "ticket", "level", "actor", "text", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ArticleVote)
class ArticleVoteAdmin(admin.ModelAdmin):
    list_display = ["article", "voter", "helpful", "created_at"]
    readonly_fields = ["article", "voter", "helpful", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
