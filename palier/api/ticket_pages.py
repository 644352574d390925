"""The ticket list's pages: cursor pagination, reference rows from the per-process cache,
and tickets handed to the response schema as plain dicts (``palier.api.plain``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from ninja.pagination import CursorPagination

from palier.accounts.models import Group, User
from palier.api.plain import plain
from palier.api.schemas import PersonOut, TicketOut
from palier.clients.models import Client
from palier.core.cache import cached
from palier.tickets.models import Category, Ticket
from palier.tickets.services.directory import levels

PERSON_FIELDS = tuple(PersonOut.model_fields)


def _table(model: type[Model]) -> dict[int, Model]:
    return cached(f"table:{model._meta.label}",
                  lambda: {row.pk: row for row in model.objects.all()})


def with_references(tickets: list[Ticket]) -> list[Ticket]:
    """Attach each ticket's level, group, client and category from the directory cache
    (a row newer than the cache is fetched), and the requesters (the fields the page
    shows) in one query."""
    people = User.objects.only(*PERSON_FIELDS).in_bulk({t.requester_id for t in tickets})
    tables = {"level": levels(), "group": _table(Group), "client": _table(Client),
              "category": _table(Category), "requester": people}
    for field, rows in tables.items():
        attach = Ticket._meta.get_field(field).set_cached_value
        column, missing = f"{field}_id", []
        for ticket in tickets:
            pk = getattr(ticket, column)
            row = rows.get(pk) if pk is not None else None
            if row is not None:
                attach(ticket, row)
            elif pk is not None:
                missing.append(ticket)
        if missing:
            prefetch_related_objects(missing, field)
    return tickets


class TicketCursor(CursorPagination):
    """ninja's cursor pagination on the id, newest first; the page's tickets as dicts."""

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [plain(TicketOut, ticket) for ticket in
                                      with_references(list(page[self.items_attribute]))]
        return page
