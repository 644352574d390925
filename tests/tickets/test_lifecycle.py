"""The pure state machine: the transition table and the level rules."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palier.core.errors import Conflict, IllegalTransition
from palier.tickets import lifecycle
from palier.tickets.lifecycle import (
    ACTIVE,
    TABLE,
    Action,
    Status,
    allowed_actions,
    check_level_move,
    moves,
    transition,
)
from palier.tickets.models import TicketStatus

RANKS = [1, 2, 3]


@pytest.mark.parametrize(("status", "action"), sorted(TABLE, key=str), ids=lambda v: str(v))
def test_every_transition_of_the_table_is_allowed(status, action):
    assert transition(status, action) == TABLE[(status, action)]
    assert transition(str(status), str(action)) == TABLE[(status, action)]
    assert action in allowed_actions(status)


def test_every_pair_absent_from_the_table_is_refused():
    refused = 0
    for status, action in itertools.product(Status, Action):
        if (status, action) in TABLE:
            continue
        with pytest.raises(IllegalTransition) as caught:
            transition(status, action)
        assert caught.value.code == "illegal_transition"
        assert status in caught.value.detail and action in caught.value.detail
        refused += 1
    assert refused == len(Status) * len(Action) - len(TABLE)


def test_every_other_pair_of_states_is_refused():
    for source, target in itertools.product(Status, Status):
        can_move = any(TABLE.get((source, action)) == target for action in Action)
        assert ((source, target) in moves()) is can_move


def test_the_expected_moves_and_no_others():
    S = Status
    assert moves() == {
        (S.NEW, S.OPEN), (S.NEW, S.ESCALATED), (S.NEW, S.PENDING), (S.NEW, S.PENDING_VENDOR),
        (S.NEW, S.RESOLVED), (S.NEW, S.NEW),
        (S.OPEN, S.OPEN), (S.OPEN, S.ESCALATED), (S.OPEN, S.PENDING),
        (S.OPEN, S.PENDING_VENDOR), (S.OPEN, S.RESOLVED),
        (S.ESCALATED, S.OPEN), (S.ESCALATED, S.ESCALATED),
        (S.PENDING, S.OPEN), (S.PENDING, S.PENDING), (S.PENDING, S.RESOLVED),
        (S.PENDING_VENDOR, S.OPEN), (S.PENDING_VENDOR, S.PENDING_VENDOR),
        (S.PENDING_VENDOR, S.RESOLVED),
        (S.RESOLVED, S.OPEN), (S.RESOLVED, S.CLOSED),
        # merging a duplicate closes it from any active status
        (S.NEW, S.CLOSED), (S.OPEN, S.CLOSED), (S.ESCALATED, S.CLOSED), (S.PENDING, S.CLOSED),
        (S.PENDING_VENDOR, S.CLOSED),
    }


def test_only_merging_closes_a_ticket_that_was_not_resolved():
    for (status, action), target in TABLE.items():
        if target == Status.CLOSED and status != Status.RESOLVED:
            assert action == Action.MERGE


def test_a_closed_ticket_allows_nothing():
    assert allowed_actions(Status.CLOSED) == []
    assert not any(source == Status.CLOSED for source, _ in moves())


def test_unknown_status_or_action_is_an_illegal_transition():
    with pytest.raises(IllegalTransition):
        transition("archived", Action.TAKE)
    with pytest.raises(IllegalTransition):
        transition(Status.OPEN, "teleport")


def test_an_illegal_transition_is_a_conflict():
    assert issubclass(IllegalTransition, Conflict)
    assert lifecycle.IllegalTransition is IllegalTransition


def test_the_model_statuses_are_the_lifecycle_statuses():
    assert set(TicketStatus.values) == {s.value for s in Status}
    assert {Status.NEW, Status.OPEN, Status.ESCALATED, Status.PENDING,
                      Status.PENDING_VENDOR} == ACTIVE


def test_managers_can_be_alerted_in_every_active_status_without_changing_it():
    for status in Status:
        if status in ACTIVE:
            assert transition(status, Action.ALERT_MANAGERS) == status
        else:
            with pytest.raises(IllegalTransition):
                transition(status, Action.ALERT_MANAGERS)


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_any_sequence_of_actions_stays_inside_the_table(actions):
    status = Status.NEW
    for action in actions:
        try:
            after = transition(status, action)
        except IllegalTransition:
            assert (status, action) not in TABLE
            continue
        assert (status, after) in moves()
        status = after


# check_level_move

def test_escalation_goes_to_the_next_level():
    check_level_move(Action.ESCALATE, 1, 2, skip_allowed=False, ranks=RANKS)
    check_level_move(Action.ESCALATE, 2, 3, skip_allowed=False, ranks=RANKS)


@pytest.mark.parametrize(("current", "target"), [(2, 2), (2, 1), (3, 1)])
def test_escalation_never_goes_down_or_sideways(current, target):
    with pytest.raises(IllegalTransition) as caught:
        check_level_move(Action.ESCALATE, current, target, skip_allowed=True, ranks=RANKS)
    assert caught.value.code == "not_higher"


def test_escalation_skipping_a_level_is_refused_unless_allowed():
    with pytest.raises(IllegalTransition) as caught:
        check_level_move(Action.ESCALATE, 1, 3, skip_allowed=False, ranks=RANKS)
    assert caught.value.code == "level_skip_refused"
    check_level_move(Action.ESCALATE, 1, 3, skip_allowed=True, ranks=RANKS)


def test_the_next_level_is_the_next_configured_rank_not_rank_plus_one():
    check_level_move(Action.ESCALATE, 1, 5, skip_allowed=False, ranks=[1, 5, 9])
    with pytest.raises(IllegalTransition):
        check_level_move(Action.ESCALATE, 1, 9, skip_allowed=False, ranks=[1, 5, 9])


def test_de_escalation_goes_down_only():
    check_level_move(Action.DE_ESCALATE, 3, 1, skip_allowed=False, ranks=RANKS)
    check_level_move(Action.DE_ESCALATE, 2, 1, skip_allowed=False, ranks=RANKS)
    for target in (2, 3):
        with pytest.raises(IllegalTransition) as caught:
            check_level_move(Action.DE_ESCALATE, 2, target, skip_allowed=True, ranks=RANKS)
        assert caught.value.code == "not_lower"


@pytest.mark.parametrize("action", [Action.ESCALATE, Action.DE_ESCALATE])
def test_a_level_of_unknown_rank_is_refused(action):
    with pytest.raises(IllegalTransition) as caught:
        check_level_move(action, 2, 7, skip_allowed=True, ranks=RANKS)
    assert caught.value.code == "unknown_level"


@pytest.mark.parametrize("action", [a for a in Action
                                    if a not in (Action.ESCALATE, Action.DE_ESCALATE)])
def test_only_escalation_and_de_escalation_change_the_level(action):
    with pytest.raises(IllegalTransition):
        check_level_move(action, 1, 2, skip_allowed=True, ranks=RANKS)


@given(ranks=st.sets(st.integers(0, 9), min_size=1, max_size=6),
       current=st.integers(0, 9), target=st.integers(0, 9), skip=st.booleans())
def test_escalation_rule_holds_for_any_configuration(ranks, current, target, skip):
    ranks = sorted(ranks | {current})
    above = [r for r in ranks if r > current]
    legal = target in above and (skip or target == above[0])
    try:
        check_level_move(Action.ESCALATE, current, target, skip_allowed=skip, ranks=ranks)
    except IllegalTransition:
        assert not legal
    else:
        assert legal
