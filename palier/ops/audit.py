"""The audit log: who changed permissions or desk configuration, and from what to what.

Services call ``record``; admin classes mix in ``AuditedAdmin`` and name the fields they
audit (``audit_fields``), so a save through the admin writes one entry with the changed
fields' old and new values (many-to-many fields as sorted lists of names).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from palier.core import clock
from palier.ops.models import AuditAction, AuditEntry

SYSTEM = "system"


def record(actor: Any, action: str, target: models.Model, *, changes: dict | None = None,
           via: str = "service") -> AuditEntry:
    """Write one audit entry about ``target`` (``actor`` None: the system or a command)."""
    user = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        at=clock.now(), actor=user,
        actor_label=(getattr(user, "email", "") or str(user)) if user else SYSTEM,
        action=action, target_type=target._meta.label, target_id=str(target.pk),
        target_repr=str(target)[:200], changes=changes or {}, via=via)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited fields' values, JSON-ready (relations as names, sorted)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            related = getattr(obj, name)
            values[name] = str(related) if related is not None else None
        else:
            value = getattr(obj, name)
            json_ready = isinstance(value, bool | int | float | str | None) or (
                field.get_internal_type() == "JSONField")
            values[name] = value if json_ready else str(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


class AuditedAdmin:
    """Admin mixin: audit saves and deletions of the fields listed in ``audit_fields``
    (all concrete and many-to-many fields when empty) and of inline objects."""

    audit_fields: list[str] = []

    def _audited(self, obj: models.Model) -> list[str]:
        if self.audit_fields:
            return list(self.audit_fields)
        return [f.name for f in obj._meta.get_fields()
                if (f.concrete or f.many_to_many) and not f.auto_created
                and f.name not in {"password", "revision"}]

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            obj._audit_before = snapshot(stored, self._audited(obj)) if stored else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", {}) if change else {}
        changes = diff(before, snapshot(obj, self._audited(obj)))
        if changes or not change:
            record(request.user, AuditAction.CHANGED if change else AuditAction.CREATED, obj,
                   changes=changes, via="admin")

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(request.user, AuditAction.CREATED, obj,
                   changes=diff({}, snapshot(obj, self._inline_fields(obj))), via="admin")
        for obj, fields in formset.changed_objects:
            after = snapshot(obj, [f for f in fields if f in self._inline_fields(obj)])
            record(request.user, AuditAction.CHANGED, obj,
                   changes={k: [None, v] for k, v in after.items()}, via="admin")
        for obj in formset.deleted_objects:
            record(request.user, AuditAction.DELETED, obj, via="admin")

    def _inline_fields(self, obj: models.Model) -> list[str]:
        return [f.name for f in obj._meta.get_fields()
                if (f.concrete or f.many_to_many) and not f.auto_created
                and f.name != "revision"]

    def delete_model(self, request: HttpRequest, obj) -> None:
        entry = (obj._meta.label, str(obj.pk), str(obj))
        super().delete_model(request, obj)
        _record_deleted(request.user, *entry)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        entries = [(o._meta.label, str(o.pk), str(o)) for o in queryset]
        super().delete_queryset(request, queryset)
        for entry in entries:
            _record_deleted(request.user, *entry)


def _record_deleted(actor, label: str, pk: str, text: str) -> None:
    AuditEntry.objects.create(
        at=clock.now(), actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", "") or SYSTEM, action=AuditAction.DELETED,
        target_type=label, target_id=pk, target_repr=text[:200], via="admin")
