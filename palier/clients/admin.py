"""Clients and contracts in the admin. Saving a contract re-times its open tickets: new
targets apply from now on, and each re-timed ticket's journal says so."""

from django.contrib import admin, messages

from palier.clients.models import Client, Contract
from palier.ops.audit import AuditedAdmin
from palier.sla.services import retime_contract


def _retime(request, contract: Contract) -> None:
    retimed = retime_contract(contract.pk, actor=request.user)
    if retimed:
        messages.info(request, f"{retimed} open tickets of {contract} now follow its targets.")


class ContractInline(admin.StackedInline):
    model = Contract
    extra = 0
    filter_horizontal = ["included_levels"]


@admin.register(Client)
class ClientAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "language", "is_active"]
    search_fields = ["name", "code"]
    inlines = [ContractInline]

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Contract:
            for contract in formset.new_objects + [c for c, _ in formset.changed_objects]:
                _retime(request, contract)


@admin.register(Contract)
class ContractAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["client", "name", "starts_on", "ends_on"]
    list_filter = ["client"]
    filter_horizontal = ["included_levels"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        _retime(request, form.instance)
