"""Escalation as a workflow: functional with a handoff, accept, return, de-escalation,
hierarchical and vendor."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.accounts.models import Group
from palier.core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from palier.tickets import services
from palier.tickets.models import Category, Handoff, HandoffOutcome
from tests.factories import (
    accepted,
    escalated,
    full_handoff,
    kinds,
    make_agent,
    state,
    taken,
    upload,
)

MONDAY_9 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def _escalate(desk, side, ticket, level="L2", **kwargs):
    kwargs.setdefault("handoff", full_handoff())
    return services.escalate(side.l1, ticket.pk, to_level_id=desk.levels[level].pk, **kwargs)


def test_escalation_moves_the_ticket_up_with_its_handoff(desk, time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    ticket = taken(desk, desk.a)
    ticket = _escalate(desk, desk.a, ticket)
    assert (ticket.status, ticket.level.code, ticket.group, ticket.assignee) == (
        "escalated", "L2", desk.groups["net"], None)
    package = Handoff.objects.get(ticket=ticket)
    assert (package.from_level.code, package.to_level.code) == ("L1", "L2")
    assert (package.from_group, package.to_group) == (desk.groups["sd"], desk.groups["net"])
    assert package.from_assignee.user == desk.a.l1
    assert package.fields == {"affected_host": "LAP-0042", "error_message": "error 809"}
    assert (package.outcome, package.created_by, package.created_at) == (
        HandoffOutcome.PENDING, desk.a.l1, MONDAY_9)
    event = ticket.events.latest("id")
    assert (event.kind, event.body, event.public) == ("escalated", "VPN tunnel drops", False)
    assert event.data == {"handoff": package.pk, "from_level": "L1", "to_level": "L2",
                          "to_group": "Network & Systems"}


def test_an_escalation_goes_to_the_group_asked_for(desk):
    ticket = _escalate(desk, desk.a, taken(desk, desk.a), to_group_id=desk.groups["apps"].pk)
    assert ticket.group == desk.groups["apps"]


def test_an_escalation_to_a_group_of_another_level_is_refused(desk):
    ticket = taken(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        _escalate(desk, desk.a, ticket, to_group_id=desk.groups["infra"].pk)
    assert caught.value.fields == {"group": "not_at_level"}
    assert state(ticket.pk) == before


def test_the_handoff_carries_the_tickets_attachments_only(desk):
    ticket = taken(desk, desk.a)
    mine = services.add_attachment(desk.a.l1, ticket.pk, upload())
    other = services.add_attachment(desk.b.l1, taken(desk, desk.b).pk, upload())
    _escalate(desk, desk.a, ticket,
              handoff=full_handoff(attachment_ids=[mine.pk, other.pk]))
    assert list(Handoff.objects.get(ticket=ticket).attachments.all()) == [mine]


@pytest.mark.parametrize(("handoff", "missing"), [
    (full_handoff(summary=" "), ["summary"]),
    (full_handoff(steps_tried="", diagnostics=""), ["steps_tried", "diagnostics"]),
    (full_handoff(fields={"affected_host": "LAP-0042"}), ["error_message"]),
    (full_handoff(fields={"affected_host": " ", "error_message": ""}),
     ["affected_host", "error_message"]),
    (full_handoff(summary="", fields={}), ["summary", "affected_host", "error_message"]),
], ids=["summary", "steps-and-diagnostics", "one-category-field", "blank-category-fields",
        "base-and-category"])
def test_an_incomplete_handoff_is_refused_and_nothing_is_written(desk, handoff, missing):
    ticket = taken(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        _escalate(desk, desk.a, ticket, handoff=handoff)
    assert caught.value.code == "handoff_incomplete"
    assert list(caught.value.fields) == missing
    assert all(name in caught.value.detail for name in missing)
    assert state(ticket.pk) == before


def test_a_category_without_extra_fields_needs_only_the_base_handoff(desk):
    ticket = taken(desk, desk.a, category_id=desk.categories["password"].pk)
    ticket = _escalate(desk, desk.a, ticket, handoff=full_handoff(fields={}))
    assert ticket.status == "escalated"


def test_a_child_category_inherits_its_parents_handoff_fields(desk):
    desk.categories["network"].handoff_fields = ["affected_site"]
    desk.categories["network"].save()
    wifi = Category.objects.create(
        name="Wi-Fi", parent=desk.categories["network"], default_level=desk.levels["L1"],
        default_group=desk.groups["sd"])
    ticket = taken(desk, desk.a, category_id=wifi.pk)
    with pytest.raises(ValidationFailed) as caught:
        _escalate(desk, desk.a, ticket, handoff=full_handoff(fields={}))
    assert list(caught.value.fields) == ["affected_site"]


def test_escalation_beyond_the_contract_is_refused(desk):
    desk.a.contract.included_levels.set([desk.levels["L1"], desk.levels["L2"]])
    ticket = accepted(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L3"].pk,
                          handoff=full_handoff())
    assert caught.value.code == "level_not_covered"
    assert state(ticket.pk) == before


def test_escalation_to_an_unknown_level_is_refused(desk):
    ticket = taken(desk, desk.a)
    with pytest.raises(ValidationFailed) as caught:
        services.escalate(desk.a.l1, ticket.pk, to_level_id=99999, handoff=full_handoff())
    assert caught.value.fields == {"to_level": "unknown"}


def test_escalation_by_someone_outside_the_tickets_group_is_refused(desk):
    ticket = taken(desk, desk.a)
    before = state(ticket.pk)
    for outsider in (desk.a.l2, desk.a.l3):
        with pytest.raises(PermissionDenied):
            services.escalate(outsider, ticket.pk, to_level_id=desk.levels["L2"].pk,
                              handoff=full_handoff())
    assert state(ticket.pk) == before


def test_a_ticket_awaiting_acceptance_cannot_be_escalated_again(desk):
    ticket = escalated(desk, desk.a)
    with pytest.raises(IllegalTransition):
        services.escalate(desk.a.manager, ticket.pk, to_level_id=desk.levels["L3"].pk,
                          handoff=full_handoff())


def test_accepting_gives_the_ticket_to_the_accepting_agent(desk):
    ticket = escalated(desk, desk.a)
    ticket = services.accept(desk.a.l2, ticket.pk)
    assert (ticket.status, ticket.level.code, ticket.assignee.user) == ("open", "L2", desk.a.l2)
    package = Handoff.objects.get(ticket=ticket)
    assert (package.outcome, package.decided_by) == (HandoffOutcome.ACCEPTED, desk.a.l2)
    assert kinds(ticket.pk)[-1] == "accepted"


def test_a_manager_accepting_leaves_the_ticket_in_the_group_queue(desk):
    ticket = services.accept(desk.a.manager, escalated(desk, desk.a).pk)
    assert (ticket.status, ticket.assignee) == ("open", None)


def test_only_the_receiving_group_may_accept(desk):
    ticket = escalated(desk, desk.a)
    before = state(ticket.pk)
    for outsider in (desk.a.l1, desk.a.l3, desk.a.requester):
        with pytest.raises(PermissionDenied):
            services.accept(outsider, ticket.pk)
    assert state(ticket.pk) == before


def test_the_sender_cannot_accept_their_own_escalation(desk):
    both = make_agent("both-a@desk.test", groups=[desk.groups["sd"], desk.groups["net"]],
                      clients=[desk.a.client])
    for sender in (both, desk.a.manager):
        ticket = services.take(both, desk.open(desk.a).pk)
        services.escalate(sender, ticket.pk, to_level_id=desk.levels["L2"].pk,
                          handoff=full_handoff())
        before = state(ticket.pk)
        with pytest.raises(PermissionDenied) as caught:
            services.accept(sender, ticket.pk)
        assert caught.value.code == "own_escalation"
        assert state(ticket.pk) == before
        assert services.accept(desk.a.l2, ticket.pk).assignee.user == desk.a.l2


def test_accept_without_a_pending_escalation_is_refused(desk):
    ticket = accepted(desk, desk.a)
    with pytest.raises(IllegalTransition):
        services.accept(desk.a.l2, ticket.pk)


def test_a_returned_escalation_goes_back_where_it_came_from(desk):
    ticket = escalated(desk, desk.a)
    ticket = services.return_escalation(desk.a.l2, ticket.pk,
                                        reason="No VPN client log attached")
    reread = state(ticket.pk)["ticket"]
    assert (reread["status"], reread["level_id"], reread["group_id"], reread["assignee_id"]) == (
        "open", desk.levels["L1"].pk, desk.groups["sd"].pk, desk.a.l1.agent.pk)
    event = ticket.events.latest("id")
    assert (event.kind, event.body) == ("returned", "No VPN client log attached")
    assert (event.data["from_level"], event.data["to_level"]) == ("L2", "L1")
    package = Handoff.objects.get(ticket=ticket)
    assert (package.outcome, package.return_reason, package.decided_by) == (
        HandoffOutcome.RETURNED, "No VPN client log attached", desk.a.l2)


def test_a_return_needs_a_reason(desk):
    ticket = escalated(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.return_escalation(desk.a.l2, ticket.pk, reason="  ")
    assert caught.value.fields == {"reason": "required"}
    assert state(ticket.pk) == before


def test_a_returned_ticket_can_be_escalated_again(desk):
    ticket = escalated(desk, desk.a)
    services.return_escalation(desk.a.l2, ticket.pk, reason="Wrong group")
    ticket = _escalate(desk, desk.a, ticket, to_group_id=desk.groups["apps"].pk)
    assert (ticket.status, ticket.group) == ("escalated", desk.groups["apps"])
    assert Handoff.objects.filter(ticket=ticket).count() == 2


def test_de_escalation_hands_back_to_the_group_and_agent_it_came_from(desk):
    ticket = accepted(desk, desk.a)
    ticket = services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L1"].pk,
                                  instructions="Confirm with the requester after reboot")
    reread = state(ticket.pk)["ticket"]
    assert (reread["status"], reread["level_id"], reread["group_id"], reread["assignee_id"]) == (
        "open", desk.levels["L1"].pk, desk.groups["sd"].pk, desk.a.l1.agent.pk)
    event = ticket.events.latest("id")
    assert (event.kind, event.body) == ("de_escalated", "Confirm with the requester after reboot")
    assert (event.data["from_level"], event.data["to_level"]) == ("L2", "L1")


def test_de_escalation_from_l3_reaches_the_original_l1_agent(desk):
    ticket = accepted(desk, desk.a)
    services.escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L3"].pk,
                      handoff=full_handoff())
    services.accept(desk.a.l3, ticket.pk)
    ticket = services.de_escalate(desk.a.l3, ticket.pk, to_level_id=desk.levels["L1"].pk,
                                  instructions="Roll out the new profile")
    assert (ticket.level.code, ticket.group, ticket.assignee.user) == (
        "L1", desk.groups["sd"], desk.a.l1)


def test_de_escalation_to_another_group_leaves_the_ticket_unassigned(desk):
    other = Group.objects.create(name="Field Service", level=desk.levels["L1"])
    ticket = services.de_escalate(desk.a.l2, accepted(desk, desk.a).pk,
                                  to_level_id=desk.levels["L1"].pk,
                                  instructions="Swap the laptop", to_group_id=other.pk)
    assert (ticket.group, ticket.assignee) == (other, None)


def test_de_escalation_needs_instructions_and_a_lower_level(desk):
    ticket = accepted(desk, desk.a)
    before = state(ticket.pk)
    with pytest.raises(ValidationFailed):
        services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L1"].pk,
                             instructions="")
    for level in ("L2", "L3"):
        with pytest.raises(IllegalTransition) as caught:
            services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels[level].pk,
                                 instructions="Please")
        assert caught.value.code == "not_lower"
    assert state(ticket.pk) == before


def test_an_escalation_awaiting_acceptance_cannot_be_de_escalated(desk):
    ticket = escalated(desk, desk.a)
    with pytest.raises(IllegalTransition):
        services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L1"].pk,
                             instructions="Please")


def test_alerting_the_managers_keeps_the_level_and_writes_an_event(desk):
    ticket = taken(desk, desk.a)
    ticket = services.alert_managers(desk.a.l1, ticket.pk, reason="CEO cannot work")
    reread = state(ticket.pk)["ticket"]
    assert (reread["status"], reread["level_id"], reread["group_id"]) == (
        "open", desk.levels["L1"].pk, desk.groups["sd"].pk)
    assert reread["version"] == 3
    event = ticket.events.latest("id")
    assert (event.kind, event.body, event.data) == (
        "managers_alerted", "CEO cannot work", {"level": "L1"})


def test_managers_can_be_alerted_while_awaiting_acceptance(desk):
    ticket = escalated(desk, desk.a)
    ticket = services.alert_managers(desk.a.l1, ticket.pk, reason="Nobody accepted in 1 h")
    assert (ticket.status, ticket.level.code) == ("escalated", "L2")


def test_requesters_cannot_alert_the_managers(desk):
    ticket = taken(desk, desk.a)
    with pytest.raises(PermissionDenied):
        services.alert_managers(desk.a.requester, ticket.pk, reason="Hurry")


def test_engaging_a_vendor_stores_it_and_waits(desk):
    ticket = taken(desk, desk.a)
    ticket = services.engage_vendor(desk.a.l1, ticket.pk, vendor=" Fortinet ",
                                    reference=" CASE-77 ")
    reread = state(ticket.pk)["ticket"]
    assert (reread["status"], reread["vendor"], reread["vendor_reference"]) == (
        "pending_vendor", "Fortinet", "CASE-77")
    event = ticket.events.latest("id")
    assert (event.kind, event.data) == ("vendor", {"vendor": "Fortinet", "reference": "CASE-77"})


def test_a_vendor_ticket_resumes_when_the_vendor_answers(desk):
    ticket = services.engage_vendor(desk.a.l1, taken(desk, desk.a).pk, vendor="Fortinet")
    ticket = services.resume(desk.a.l1, ticket.pk)
    assert ticket.status == "open"
    assert kinds(ticket.pk)[-2:] == ["vendor", "resumed"]


def test_a_vendor_is_required(desk):
    ticket = taken(desk, desk.a)
    with pytest.raises(ValidationFailed) as caught:
        services.engage_vendor(desk.a.l1, ticket.pk, vendor=" ")
    assert caught.value.fields == {"vendor": "required"}
