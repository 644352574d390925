"""Intake: recording a ticket, its number, its due times, and reclassification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palier.accounts.models import Role, User
from palier.clients.models import Contract
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.tickets import services
from palier.tickets.models import Category, Ticket, TicketCounter
from tests.factories import kinds, make_agent, state

MONDAY_9 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_numbers_follow_one_sequence_per_kind(desk):
    numbers = [desk.open(desk.a, kind=kind).number
               for kind in ("incident", "request", "incident", "request", "request")]
    assert numbers == ["INC-000001", "REQ-000001", "INC-000002", "REQ-000002", "REQ-000003"]


def test_numbers_are_shared_across_clients(desk):
    assert desk.open(desk.a).number == "INC-000001"
    assert desk.open(desk.b).number == "INC-000002"


def test_a_missing_counter_is_created_on_first_use(desk):
    TicketCounter.objects.all().delete()
    assert desk.open(desk.a, kind="request").number == "REQ-000001"
    assert desk.open(desk.a, kind="request").number == "REQ-000002"


def test_open_ticket_records_the_requester_and_one_created_event(desk):
    ticket = desk.open(desk.a)
    assert (ticket.client, ticket.requester, ticket.contract) == (
        desk.a.client, desk.a.requester, desk.a.contract)
    assert (ticket.status, ticket.version, ticket.assignee) == ("new", 1, None)
    event = ticket.events.get()
    assert (event.kind, event.actor, event.public) == ("created", desk.a.requester, True)
    assert event.data["level"] == "L1" and event.data["group"] == "Service Desk"


def test_a_title_is_required(desk):
    with pytest.raises(ValidationFailed) as caught:
        desk.open(desk.a, title="   ")
    assert caught.value.fields == {"title": "required"}


@pytest.mark.parametrize(("field", "value"), [("kind", "complaint"), ("channel", "fax")])
def test_an_unknown_kind_or_channel_is_refused(desk, field, value):
    with pytest.raises(ValidationFailed) as caught:
        desk.open(desk.a, **{field: value})
    assert caught.value.fields == {field: "invalid"}


def test_an_unknown_or_inactive_category_is_refused(desk):
    Category.objects.filter(pk=desk.categories["password"].pk).update(is_active=False)
    for category_id in (desk.categories["password"].pk, 99999):
        with pytest.raises(ValidationFailed) as caught:
            desk.open(desk.a, category_id=category_id)
        assert caught.value.fields == {"category": "unknown"}


def test_a_requester_opens_for_themselves_only(desk):
    with pytest.raises(NotFound):
        desk.open(desk.a, client_id=desk.b.client.pk)
    with pytest.raises(NotFound):
        desk.open(desk.a, requester_email=desk.a.colleague.email)
    assert desk.open(desk.a, client_id=desk.a.client.pk).requester == desk.a.requester


def test_a_requester_without_client_cannot_open(desk):
    orphan = User.objects.create_user("orphan@example.test", "x", role=Role.REQUESTER)
    with pytest.raises(PermissionDenied):
        services.open_ticket(orphan, title="Help")


def test_an_agent_opens_for_a_requester_of_a_client_they_serve(desk):
    ticket = services.open_ticket(desk.a.l1, title="Printer jam", client_id=desk.a.client.pk,
                                  requester_email=desk.a.colleague.email, channel="phone")
    assert (ticket.requester, ticket.client, ticket.channel) == (
        desk.a.colleague, desk.a.client, "phone")
    assert ticket.events.get().actor == desk.a.l1


def test_an_agent_opening_for_a_new_address_creates_the_requester(desk):
    ticket = services.open_ticket(desk.a.l1, title="Printer jam", client_id=desk.a.client.pk,
                                  requester_email="  New.Person@Example.test ")
    assert ticket.requester.email == "new.person@example.test"
    assert (ticket.requester.role, ticket.requester.client) == (Role.REQUESTER, desk.a.client)


def test_an_agent_needs_a_client_and_a_requester(desk):
    with pytest.raises(ValidationFailed) as caught:
        services.open_ticket(desk.a.l1, title="x")
    assert caught.value.fields == {"client": "required"}
    with pytest.raises(ValidationFailed) as caught:
        services.open_ticket(desk.a.l1, title="x", client_id=desk.a.client.pk)
    assert caught.value.fields == {"requester_email": "required"}


def test_an_agent_must_give_a_valid_requester_email(desk):
    with pytest.raises(ValidationFailed) as caught:
        services.open_ticket(desk.a.l1, title="x", client_id=desk.a.client.pk,
                             requester_email="not an address")
    assert caught.value.fields == {"requester_email": "invalid"}
    assert not User.objects.filter(email="not an address").exists()


def test_an_agent_cannot_open_for_another_clients_requester(desk):
    with pytest.raises(ValidationFailed) as caught:
        services.open_ticket(desk.a.l1, title="x", client_id=desk.a.client.pk,
                             requester_email=desk.b.requester.email)
    assert caught.value.fields == {"requester_email": "other_client"}


# Due times

def test_due_times_follow_the_contract_targets(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    Contract.objects.filter(pk=desk.a.contract.pk).update(
        response_minutes={"P1": 10, "P2": 30, "P3": 120, "P4": 240},
        resolution_minutes={"P1": 120, "P2": 360, "P3": 600, "P4": 2400})
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk,
                       impact="high", urgency="medium")
    assert ticket.priority == "P2"
    assert ticket.created_at == MONDAY_9
    assert ticket.response_due_at == MONDAY_9 + dt.timedelta(minutes=30)
    assert ticket.due_at == MONDAY_9 + dt.timedelta(minutes=360)


def test_a_new_ticket_is_written_once_with_its_due_times(desk, time_machine):
    """The clock starts before the insert: no second write of the row, and the stored row
    carries the due times and the snapshot the worker reads."""
    time_machine.move_to(MONDAY_9, tick=False)
    with CaptureQueriesContext(connection) as queries:
        ticket = desk.open(desk.a, impact="high", urgency="high")
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith(("INSERT", "UPDATE")) and "tickets_ticket\"" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT")
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.response_due_at == ticket.response_due_at is not None
    assert stored.due_at == ticket.due_at is not None
    assert stored.sla_state["priority"] == "P1"
    assert stored.next_sla_check_at == ticket.next_sla_check_at is not None
    assert stored.events.get().created_at == stored.created_at == MONDAY_9


def test_without_a_contract_in_force_the_default_targets_apply(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    Contract.objects.filter(client=desk.a.client).update(ends_on=dt.date(2024, 12, 31))
    ticket = desk.open(desk.a)
    assert ticket.contract is None
    assert ticket.response_due_at == MONDAY_9 + dt.timedelta(minutes=240)
    assert ticket.due_at == MONDAY_9 + dt.timedelta(minutes=1440)


def test_the_latest_contract_in_force_applies(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    newer = Contract.objects.create(client=desk.a.client, name="Premium",
                                    starts_on=dt.date(2025, 1, 1),
                                    resolution_minutes={"P1": 60, "P2": 120, "P3": 180,
                                                        "P4": 240})
    Contract.objects.create(client=desk.a.client, name="Next year",
                            starts_on=dt.date(2026, 1, 1))
    ticket = desk.open(desk.a)
    assert ticket.contract == newer
    assert ticket.due_at == MONDAY_9 + dt.timedelta(minutes=180)


def test_classify_changes_the_priority_and_recomputes_due_times_from_creation(
        desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = desk.open(desk.a)
    assert ticket.priority == "P3"
    time_machine.move_to(MONDAY_9 + dt.timedelta(hours=1), tick=False)
    ticket = services.classify(desk.a.l1, ticket.pk, impact="high", urgency="high")
    assert ticket.priority == "P1"
    assert ticket.response_due_at == MONDAY_9 + dt.timedelta(minutes=15)
    assert ticket.due_at == MONDAY_9 + dt.timedelta(minutes=240)
    assert ticket.updated_at == MONDAY_9 + dt.timedelta(hours=1)
    event = ticket.events.latest("id")
    assert event.kind == "classified"
    assert event.data["before"]["priority"] == "P3" and event.data["after"]["priority"] == "P1"


def test_classify_a_category_alone_keeps_the_due_times(desk):
    ticket = desk.open(desk.a)
    ticket = services.classify(desk.a.l1, ticket.pk,
                               category_id=desk.categories["password"].pk)
    reread = state(ticket.pk)["ticket"]
    assert reread["category_id"] == desk.categories["password"].pk
    assert (reread["due_at"], reread["priority"]) == (ticket.due_at, "P3")


def test_classify_without_a_change_is_refused_and_writes_nothing(desk):
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.classify(desk.a.l1, ticket.pk, impact="medium")
    assert caught.value.code == "no_change"
    assert state(ticket.pk) == before


def test_classify_refuses_an_unknown_urgency(desk):
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed):
        services.classify(desk.a.l1, ticket.pk, urgency="yesterday")
    assert state(ticket.pk) == before


def test_a_requester_cannot_classify(desk):
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    for change in ({"impact": "high"}, {"urgency": "low"},
                   {"category_id": desk.categories["password"].pk}):
        with pytest.raises(PermissionDenied):
            services.classify(desk.a.requester, ticket.pk, title="Reworded", **change)
    assert state(ticket.pk) == before


def test_a_requester_may_reword_their_new_ticket(desk):
    ticket = desk.open(desk.a)
    ticket = services.classify(desk.a.requester, ticket.pk, title="VPN drops on Wi-Fi only",
                               description="Wired is fine.")
    assert (ticket.title, ticket.description, ticket.version) == (
        "VPN drops on Wi-Fi only", "Wired is fine.", 2)
    event = ticket.events.latest("id")
    assert (event.kind, event.actor) == ("classified", desk.a.requester)
    assert set(event.data["before"]) == set(event.data["after"]) == {"title", "description"}


def test_a_ticket_being_worked_on_cannot_be_reworded_by_its_requester(desk):
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    with pytest.raises(PermissionDenied):
        services.classify(desk.a.requester, ticket.pk, title="Reworded")
    with pytest.raises(NotFound):
        services.classify(desk.a.colleague, ticket.pk, title="Reworded")


def test_a_client_manager_cannot_reword_someone_elses_ticket(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(PermissionDenied):
        services.classify(desk.a.client_manager, ticket.pk, title="Reworded")


def test_a_reworded_title_cannot_be_blank(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(ValidationFailed) as caught:
        services.classify(desk.a.requester, ticket.pk, title=" ")
    assert caught.value.fields == {"title": "required"}


def test_an_auto_assign_group_assigns_at_intake(desk):
    desk.groups["sd"].auto_assign = True
    desk.groups["sd"].save()
    ticket = desk.open(desk.a)
    assert ticket.assignee.user == desk.a.l1
    assert ticket.status == "open"
    assert kinds(ticket.pk) == ["created", "assigned"]


def test_an_auto_assign_group_without_an_available_agent_leaves_the_ticket_new(desk):
    desk.groups["sd"].auto_assign = True
    desk.groups["sd"].save()
    desk.a.l1.agent.is_available = False
    desk.a.l1.agent.save()
    ticket = desk.open(desk.a)
    assert (ticket.assignee, ticket.status) == (None, "new")
    assert kinds(ticket.pk) == ["created"]


def test_auto_assignment_at_intake_picks_an_agent_serving_the_client(desk):
    services.take(desk.a.l1, desk.open(desk.a).pk)  # l1 is busier than the idle agent
    desk.groups["sd"].auto_assign = True
    desk.groups["sd"].save()
    make_agent("idle-b@desk.test", groups=[desk.groups["sd"]], clients=[desk.b.client])
    ticket = desk.open(desk.a)
    assert ticket.assignee.user == desk.a.l1
