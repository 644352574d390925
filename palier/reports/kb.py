"""Knowledge-base figures, tolerant of the knowledge app being absent or not migrated."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db import connection


def _uses_model():
    """``knowledge.ArticleUse`` when installed and its table exists, else None."""
    try:
        model = apps.get_model("knowledge", "ArticleUse")
    except LookupError:
        return None
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    return model


def deflections(client_ids: set[int] | frozenset[int] | None, start: datetime | None,
                end: datetime | None) -> int | None:
    """Problems solved by an article without a ticket, by requesters of these clients
    (``None`` client ids: every client); None when the knowledge base is not there."""
    model = _uses_model()
    if model is None:
        return None
    uses = model.objects.filter(kind="deflected")
    if client_ids is not None:
        uses = uses.filter(actor__client_id__in=client_ids)
    if start:
        uses = uses.filter(created_at__gte=start)
    if end:
        uses = uses.filter(created_at__lt=end)
    return uses.count()
