"""Assignment inside a group: take, assign and least-loaded automatic assignment."""

from __future__ import annotations

import pytest

from palier.accounts.models import Skill
from palier.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied
from palier.core.errors import ValidationFailed as Invalid
from palier.tickets import services
from tests.factories import escalated, kinds, make_agent, pending, resolved, state, taken


@pytest.fixture
def vpn_skill(desk):
    skill = Skill.objects.create(name="VPN")
    desk.categories["vpn"].skill = skill
    desk.categories["vpn"].save()
    return skill


def _sd_agent(desk, name, **kwargs):
    return make_agent(f"{name}@desk.test", groups=[desk.groups["sd"]],
                      clients=[desk.a.client], **kwargs)


def test_take_assigns_the_acting_agent_and_opens_the_ticket(desk):
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    assert (ticket.status, ticket.assignee.user, ticket.version) == ("open", desk.a.l1, 2)
    event = ticket.events.latest("id")
    assert (event.kind, event.actor, event.data) == (
        "assigned", desk.a.l1, {"to_agent": desk.a.l1.agent.pk, "how": "take"})


def test_taking_a_taken_ticket_is_a_conflict(desk):
    ticket = taken(desk, desk.a)
    colleague = _sd_agent(desk, "l1-bis")
    before = state(ticket.pk)
    for agent in (desk.a.l1, colleague):
        with pytest.raises(Conflict) as caught:
            services.take(agent, ticket.pk)
        assert caught.value.code == "already_assigned"
    assert state(ticket.pk) == before


def test_only_the_tickets_group_may_take_it(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(PermissionDenied):
        services.take(desk.a.l2, ticket.pk)
    with pytest.raises(Invalid) as caught:  # a manager may act, but is no group member
        services.take(desk.a.manager, ticket.pk)
    assert caught.value.fields == {"group": "not_member"}


def test_an_escalated_ticket_is_accepted_not_taken(desk):
    with pytest.raises(IllegalTransition):
        services.take(desk.a.l2, escalated(desk, desk.a).pk)


def test_assign_gives_the_ticket_to_a_member_of_its_group(desk):
    colleague = _sd_agent(desk, "l1-bis")
    ticket = services.assign(desk.a.l1, desk.open(desk.a).pk, colleague.agent.pk)
    assert (ticket.status, ticket.assignee.user) == ("open", colleague)
    ticket = services.assign(desk.a.manager, ticket.pk, desk.a.l1.agent.pk)
    assert ticket.assignee.user == desk.a.l1
    event = ticket.events.latest("id")
    assert event.data == {"to_agent": desk.a.l1.agent.pk, "from_agent": colleague.agent.pk,
                          "how": "assign"}


def test_assign_refuses_agents_outside_the_group_or_the_client(desk):
    ticket = desk.open(desk.a)
    inactive = _sd_agent(desk, "gone")
    inactive.is_active = False
    inactive.save()
    before = state(ticket.pk)
    for user in (desk.a.l2, desk.b.l1, inactive):
        with pytest.raises(NotFound):
            services.assign(desk.a.l1, ticket.pk, user.agent.pk)
    with pytest.raises(NotFound):
        services.assign(desk.a.l1, ticket.pk, 99999)
    assert state(ticket.pk) == before


def test_assigning_the_current_assignee_again_is_a_conflict(desk):
    ticket = taken(desk, desk.a)
    with pytest.raises(Conflict) as caught:
        services.assign(desk.a.manager, ticket.pk, desk.a.l1.agent.pk)
    assert caught.value.code == "already_assigned"


def test_a_pending_ticket_can_be_reassigned_and_stays_pending(desk):
    colleague = _sd_agent(desk, "l1-bis")
    ticket = services.assign(desk.a.l1, pending(desk, desk.a).pk, colleague.agent.pk)
    assert (ticket.status, ticket.assignee.user) == ("pending", colleague)


def test_a_resolved_ticket_cannot_be_assigned(desk):
    colleague = _sd_agent(desk, "l1-bis")
    with pytest.raises(IllegalTransition):
        services.assign(desk.a.l1, resolved(desk, desk.a).pk, colleague.agent.pk)


def test_auto_assign_picks_the_least_loaded_agent(desk):
    busy, idle = desk.a.l1, _sd_agent(desk, "idle")
    services.take(busy, desk.open(desk.a).pk)
    ticket = services.auto_assign(desk.a.manager, desk.open(desk.a).pk)
    assert ticket.assignee.user == idle
    assert ticket.events.latest("id").data["how"] == "least_loaded"


def test_auto_assign_counts_active_tickets_only(desk):
    idle = _sd_agent(desk, "idle")
    services.take(idle, desk.open(desk.a).pk)
    for _ in range(2):
        resolved(desk, desk.a)  # l1 resolved two: they no longer count
    ticket = services.auto_assign(desk.a.manager, desk.open(desk.a).pk)
    assert ticket.assignee.user == desk.a.l1


def test_auto_assign_skips_unavailable_agents(desk):
    away = _sd_agent(desk, "away", available=False)
    services.take(desk.a.l1, desk.open(desk.a).pk)
    ticket = services.auto_assign(desk.a.manager, desk.open(desk.a).pk)
    assert ticket.assignee.user == desk.a.l1
    assert away.agent.assigned_tickets.count() == 0


def test_auto_assign_needs_the_categorys_skill(desk, vpn_skill):
    expert = _sd_agent(desk, "expert", skills=[vpn_skill])
    for _ in range(2):
        services.take(expert, desk.open(desk.a).pk)  # busier than l1, but has the skill
    ticket = services.auto_assign(desk.a.manager, desk.open(desk.a).pk)
    assert ticket.assignee.user == expert
    other = services.auto_assign(desk.a.manager,
                                 desk.open(desk.a, category_id=desk.categories["password"].pk).pk)
    assert other.assignee.user == desk.a.l1  # no skill needed: the least loaded


def test_auto_assign_without_a_suitable_agent_is_refused(desk, vpn_skill):
    _sd_agent(desk, "expert-away", skills=[vpn_skill], available=False)
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    with pytest.raises(NotFound) as caught:
        services.auto_assign(desk.a.manager, ticket.pk)
    assert caught.value.code == "no_agent_available"
    assert state(ticket.pk) == before


def test_an_auto_assign_group_uses_the_skill_at_intake(desk, vpn_skill):
    desk.groups["sd"].auto_assign = True
    desk.groups["sd"].save()
    expert = _sd_agent(desk, "expert", skills=[vpn_skill])
    ticket = desk.open(desk.a)
    assert ticket.assignee.user == expert
    assert kinds(ticket.pk) == ["created", "assigned"]
    assert ticket.events.latest("id").actor is None
