"""Merging a duplicate into its original: one event each, nothing lost, refusals write nothing."""

from __future__ import annotations

import pytest

from palier.channels.models import NotificationKind
from palier.channels.services.compose import render
from palier.channels.services.recipients import recipients_for
from palier.core.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from palier.tickets import services
from palier.tickets.models import EventKind, Ticket, TicketEvent
from tests.factories import resolved, taken


def _journal(ticket) -> list[str]:
    return list(TicketEvent.objects.filter(ticket=ticket).order_by("id")
                .values_list("kind", flat=True))


def _snapshot(*tickets) -> list[tuple]:
    return [(t.version, t.status, t.merged_into_id, t.closed_at, _journal(t))
            for t in Ticket.objects.filter(pk__in=[x.pk for x in tickets]).order_by("pk")]


def test_a_duplicate_closes_into_its_original_which_keeps_its_words(desk):
    original = desk.open(desk.a)
    duplicate = desk.open(desk.a, title="VPN keeps dropping",
                          description="Third time today, on the train wifi.")
    before = _journal(original), _journal(duplicate)
    services.merge(desk.a.l1, duplicate.pk, into_id=original.pk, version=duplicate.version)

    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == "closed" and duplicate.merged_into_id == original.pk
    assert duplicate.closed_at is not None and duplicate.resolved_at is None
    assert original.status == "new" and original.merged_into_id is None
    assert _journal(duplicate) == [*before[1], EventKind.MERGED]
    assert _journal(original) == [*before[0], EventKind.DUPLICATE_MERGED]
    merged = duplicate.events.get(kind=EventKind.MERGED)
    assert merged.public and merged.data == {"into": original.number, "into_id": original.pk}
    note = original.events.get(kind=EventKind.DUPLICATE_MERGED)
    assert not note.public and note.body == "Third time today, on the train wifi."
    assert note.data["duplicate"] == duplicate.number
    assert note.data["requester"] == desk.a.requester.email
    assert list(original.duplicates.all()) == [duplicate]


def test_the_duplicates_clock_stops_and_its_requester_is_told(desk):
    original = desk.open(desk.a)
    duplicate = taken(desk, desk.a)
    assert Ticket.objects.get(pk=duplicate.pk).next_sla_check_at is not None
    services.merge(desk.a.l1, duplicate.pk, into_id=original.pk)
    assert Ticket.objects.get(pk=duplicate.pk).next_sla_check_at is None
    event = TicketEvent.objects.get(ticket=duplicate, kind=EventKind.MERGED)
    (status,) = [r for r in recipients_for(event) if r.kind == NotificationKind.STATUS]
    assert status.address == desk.a.requester.email
    _, subject, body = render(event, status)
    assert f"It duplicates {original.number}, where the desk follows it." in body
    assert subject.startswith(f"[{duplicate.number}]")


@pytest.mark.parametrize("case", ["itself", "original resolved", "duplicate resolved"])
def test_a_merge_the_lifecycle_forbids_is_refused_and_writes_nothing(desk, case):
    original = resolved(desk, desk.a) if case == "original resolved" else desk.open(desk.a)
    duplicate = resolved(desk, desk.a) if case == "duplicate resolved" else desk.open(desk.a)
    into = duplicate.pk if case == "itself" else original.pk
    before = _snapshot(original, duplicate)
    with pytest.raises((ValidationFailed, IllegalTransition)):
        services.merge(desk.a.l1, duplicate.pk, into_id=into)
    assert _snapshot(original, duplicate) == before


def test_another_clients_ticket_is_not_found_and_nothing_changes(desk):
    theirs, ours = desk.open(desk.b), desk.open(desk.a)
    before = _snapshot(theirs, ours)
    with pytest.raises(NotFound):
        services.merge(desk.a.l1, ours.pk, into_id=theirs.pk)
    with pytest.raises(NotFound):
        services.merge(desk.a.l1, theirs.pk, into_id=ours.pk)
    assert _snapshot(theirs, ours) == before


def test_only_tickets_of_one_client_merge_even_for_who_serves_both(desk):
    desk.a.manager.agent.clients.add(desk.b.client)
    theirs, ours = desk.open(desk.b), desk.open(desk.a)
    with pytest.raises(ValidationFailed) as caught:
        services.merge(desk.a.manager, ours.pk, into_id=theirs.pk)
    assert caught.value.fields == {"into": "other_client"}
    assert Ticket.objects.get(pk=ours.pk).status == "new"


def test_requesters_and_other_groups_may_not_merge(desk):
    original, duplicate = desk.open(desk.a), desk.open(desk.a)
    for actor in (desk.a.requester, desk.a.l2):
        with pytest.raises(PermissionDenied):
            services.merge(actor, duplicate.pk, into_id=original.pk)
    assert Ticket.objects.get(pk=duplicate.pk).status == "new"
