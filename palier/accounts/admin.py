from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from palier.accounts.models import Agent, Group, Level, Skill, User
from palier.ops.audit import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    audit_fields = ["email", "role", "client", "is_client_manager", "is_active", "is_staff",
                    "is_superuser", "groups", "user_permissions"]
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "client", "is_client_manager", "is_active"]
    list_filter = ["role", "client", "is_active", "is_client_manager"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "role", "client", "is_client_manager",
                                   "language", "timezone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser",
                                       "groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"],
                             "fields": ["email", "full_name", "role", "client",
                                        "password1", "password2"]})]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "auto_assign", "email"]
    list_filter = ["level"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Agent)
class AgentAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_fields = ["user", "groups", "clients", "skills", "is_available", "hourly_cost"]
    list_display = ["user", "hourly_cost", "is_available"]
    list_filter = ["groups", "is_available"]
    filter_horizontal = ["groups", "skills", "clients"]
    search_fields = ["user__email", "user__full_name"]
