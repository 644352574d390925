"""Classification and routing: the priority matrix, intake rules and category defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.core.errors import IllegalTransition, ValidationFailed
from palier.tickets import routing, services
from palier.tickets.models import IntakeRule, PriorityRule
from palier.tickets.routing import DEFAULT_MATRIX, Route, Rule, choose_route, priority_for
from tests.factories import full_handoff, kinds, state

DEFAULT = Route(level_id=1, group_id=10, skip_allowed=False, rule_id=None)


# The pure module

@pytest.mark.parametrize(("impact", "urgency", "priority"),
                         [(i, u, p) for (i, u), p in DEFAULT_MATRIX.items()])
def test_the_itil_default_matrix(impact, urgency, priority):
    assert priority_for(impact, urgency) == priority


def test_a_configured_cell_overrides_the_default_matrix():
    assert priority_for("medium", "medium", {("medium", "medium"): "P2"}) == "P2"
    assert priority_for("high", "high", {("medium", "medium"): "P2"}) == "P1"


def test_an_unknown_impact_or_urgency_is_refused():
    with pytest.raises(ValueError):
        priority_for("severe", "high")
    with pytest.raises(ValueError):
        priority_for("high", "now")


def test_without_a_matching_rule_the_default_route_is_taken():
    rules = [Rule(1, level_id=2, group_id=None, skip_allowed=False, priority="P1")]
    route = choose_route(rules, priority="P3", kind="incident", client_id=1,
                         category_ids=frozenset(), default=DEFAULT)
    assert route == DEFAULT


def test_the_first_matching_rule_wins():
    rules = [Rule(1, level_id=2, group_id=20, skip_allowed=False, priority="P1"),
             Rule(2, level_id=3, group_id=30, skip_allowed=True)]
    route = choose_route(rules, priority="P1", kind="incident", client_id=1,
                         category_ids=frozenset(), default=DEFAULT)
    assert route == Route(2, 20, False, 1)
    route = choose_route(rules, priority="P2", kind="incident", client_id=1,
                         category_ids=frozenset(), default=DEFAULT)
    assert route == Route(3, 30, True, 2)


@pytest.mark.parametrize(("condition", "matching", "other"), [
    ({"priority": "P1"}, {"priority": "P1"}, {"priority": "P2"}),
    ({"kind": "request"}, {"kind": "request"}, {"kind": "incident"}),
    ({"client_id": 7}, {"client_id": 7}, {"client_id": 8}),
    ({"category_ids": frozenset({5})}, {"category_ids": frozenset({5, 4})},
     {"category_ids": frozenset({4})}),
])
def test_every_condition_of_a_rule_must_hold(condition, matching, other):
    rules = [Rule(1, level_id=2, group_id=None, skip_allowed=False, **condition)]
    facts = {"priority": "P3", "kind": "incident", "client_id": 1,
             "category_ids": frozenset()}
    assert choose_route(rules, **{**facts, **matching}, default=DEFAULT).rule_id == 1
    assert choose_route(rules, **{**facts, **other}, default=DEFAULT) == DEFAULT


def test_due_at_adds_the_target_minutes():
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    assert routing.due_at(start, 90) == dt.datetime(2025, 3, 3, 10, 30, tzinfo=dt.UTC)


# Through open_ticket

@pytest.mark.parametrize(("impact", "urgency", "priority"),
                         [("high", "high", "P1"), ("high", "medium", "P2"),
                          ("medium", "medium", "P3"), ("low", "low", "P4")])
def test_open_ticket_classifies_with_the_itil_matrix(desk, impact, urgency, priority):
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk,
                       impact=impact, urgency=urgency)
    assert ticket.priority == priority


def test_open_ticket_uses_the_configured_priority_matrix(desk):
    PriorityRule.objects.filter(impact="medium", urgency="medium").update(priority="P2")
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk)
    assert ticket.priority == "P2"


def test_open_ticket_refuses_an_unknown_impact(desk):
    with pytest.raises(ValidationFailed) as caught:
        desk.open(desk.a, impact="apocalyptic")
    assert set(caught.value.fields) == {"impact", "urgency"}


def test_a_p1_goes_straight_to_l2(desk):
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk,
                       impact="high", urgency="high")
    assert ticket.priority == "P1"
    assert (ticket.level.code, ticket.group) == ("L2", desk.groups["net"])
    assert ticket.skip_allowed is False
    created = ticket.events.get()
    assert created.data["rule"] == IntakeRule.objects.get(name="P1 straight to L2").pk


def test_a_p2_starts_at_the_category_default(desk):
    ticket = desk.open(desk.a, impact="high", urgency="medium")
    assert (ticket.level.code, ticket.group) == ("L1", desk.groups["sd"])
    assert ticket.events.get().data.get("rule") is None


def test_the_security_category_starts_at_l2_and_may_skip(desk):
    ticket = desk.open(desk.a, category_id=desk.categories["security"].pk,
                       impact="low", urgency="low")
    assert (ticket.level.code, ticket.group) == ("L2", desk.groups["net"])
    assert ticket.skip_allowed is True


def test_a_ticket_without_category_starts_at_the_lowest_level(desk):
    ticket = desk.open(desk.a, category_id=None)
    assert (ticket.level.code, ticket.group) == ("L1", desk.groups["sd"])


def test_the_category_default_level_and_group_route_the_ticket(desk):
    desk.categories["password"].default_level = desk.levels["L2"]
    desk.categories["password"].default_group = desk.groups["apps"]
    desk.categories["password"].save()
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk)
    assert (ticket.level.code, ticket.group) == ("L2", desk.groups["apps"])


def test_a_rule_on_a_parent_category_catches_its_children(desk):
    rule = IntakeRule.objects.create(name="Network to L2", order=1,
                                     start_level=desk.levels["L2"])
    rule.categories.set([desk.categories["network"]])
    ticket = desk.open(desk.a, category_id=desk.categories["vpn"].pk)
    # No start group: the group the category tree names at L2.
    assert (ticket.level.code, ticket.group) == ("L2", desk.groups["net"])
    password = desk.open(desk.a, category_id=desk.categories["password"].pk)
    assert password.level.code == "L1"


def test_an_inactive_rule_is_ignored(desk):
    IntakeRule.objects.filter(name="P1 straight to L2").update(is_active=False)
    ticket = desk.open(desk.a, impact="high", urgency="high")
    assert ticket.level.code == "L1"


def test_a_rule_for_one_client_does_not_route_another(desk):
    IntakeRule.objects.create(name="Acme requests to L2", order=1, kind="request",
                              client=desk.a.client, start_level=desk.levels["L2"])
    assert desk.open(desk.a, kind="request").level.code == "L2"
    assert desk.open(desk.b, kind="request").level.code == "L1"
    assert desk.open(desk.a, kind="incident").level.code == "L1"


def test_without_skip_allowed_l1_to_l3_is_refused(desk):
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    before = state(ticket.pk)
    with pytest.raises(IllegalTransition) as caught:
        services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L3"].pk,
                          handoff=full_handoff())
    assert caught.value.code == "level_skip_refused"
    assert state(ticket.pk) == before


def test_a_rule_with_skip_allowed_lets_l1_escalate_to_l3(desk):
    rule = IntakeRule.objects.create(name="Password may skip", order=1,
                                     start_level=desk.levels["L1"], skip_allowed=True)
    rule.categories.set([desk.categories["password"]])
    ticket = desk.open(desk.a, category_id=desk.categories["password"].pk)
    assert ticket.skip_allowed is True
    services.take(desk.a.l1, ticket.pk)
    ticket = services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L3"].pk,
                               handoff=full_handoff(fields={}))
    assert (ticket.level.code, ticket.group) == ("L3", desk.groups["infra"])
    assert kinds(ticket.pk)[-1] == "escalated"


def test_a_security_ticket_sent_down_to_l1_may_go_straight_to_l3(desk):
    ticket = desk.open(desk.a, category_id=desk.categories["security"].pk)
    services.take(desk.a.l2, ticket.pk)
    services.de_escalate(desk.a.l2, ticket.pk, to_level_id=desk.levels["L1"].pk,
                         instructions="Collect the laptop's event log")
    ticket = services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L3"].pk,
                               handoff=full_handoff(fields={}))
    assert ticket.level.code == "L3"
