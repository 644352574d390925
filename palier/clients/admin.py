from django.contrib import admin

from palier.clients.models import Client, Contract


class ContractInline(admin.StackedInline):
    model = Contract
    extra = 0
    filter_horizontal = ["included_levels"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "language", "is_active"]
    search_fields = ["name", "code"]
    inlines = [ContractInline]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["client", "name", "starts_on", "ends_on"]
    list_filter = ["client"]
    filter_horizontal = ["included_levels"]
