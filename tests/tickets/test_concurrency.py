"""Two agents acting on one ticket never both win.

The thread tests run on PostgreSQL: both calls are released together by a barrier, and the
first to lock the row holds it until the other is seen waiting for that lock, so the two
really are in flight at the same time. The version check runs on every database.
"""

from __future__ import annotations

import threading

import pytest

from palier.core.errors import Conflict, IllegalTransition
from palier.tickets import services
from palier.tickets.models import Handoff
from palier.tickets.services import base
from tests.factories import full_handoff, kinds, make_agent, state, taken
from tests.locking import race, wait_for_a_blocked_transaction


def _hold_the_lock_until_the_other_waits(monkeypatch, *modules) -> None:
    """Wrap ``lock`` so the first caller keeps the row lock until another transaction
    is blocked on it (PostgreSQL's pg_stat_activity says so), or a few seconds pass."""
    first = threading.Lock()
    real_lock = base.lock

    def lock(actor, ticket_id, version, **kwargs):
        ticket = real_lock(actor, ticket_id, version, **kwargs)
        if first.acquire(blocking=False):
            wait_for_a_blocked_transaction()
        return ticket

    for module in modules:
        monkeypatch.setattr(f"palier.tickets.services.{module}.lock", lock)


def _escalation(desk, group: str, **kwargs) -> dict:
    return dict(to_level_id=desk.levels["L2"].pk, handoff=full_handoff(),
                to_group_id=desk.groups[group].pk, **kwargs)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_escalations_one_wins(desk, monkeypatch):
    """Two agents escalate the version they saw (as the API and console do)."""
    ticket = taken(desk, desk.a)
    seen = ticket.version
    _hold_the_lock_until_the_other_waits(monkeypatch, "escalation")
    results, errors = race(
        lambda: services.escalate(desk.a.l1, ticket.pk, **_escalation(desk, "net", version=seen)),
        lambda: services.escalate(desk.a.manager, ticket.pk,
                                  **_escalation(desk, "apps", version=seen)))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict)
    assert Handoff.objects.filter(ticket=ticket).count() == 1
    assert kinds(ticket.pk) == ["created", "assigned", "escalated"]
    assert state(ticket.pk)["ticket"]["group_id"] == results[0].group_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_escalation_without_version_is_refused_once(desk, monkeypatch):
    """Without a version the loser sees the winner's state under the lock: the lifecycle
    refuses escalating an escalated ticket."""
    ticket = taken(desk, desk.a)
    _hold_the_lock_until_the_other_waits(monkeypatch, "escalation")
    results, errors = race(
        lambda: services.escalate(desk.a.manager, ticket.pk, **_escalation(desk, "net")),
        lambda: services.escalate(desk.a.manager, ticket.pk, **_escalation(desk, "apps")))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], IllegalTransition)
    assert Handoff.objects.filter(ticket=ticket).count() == 1
    assert kinds(ticket.pk) == ["created", "assigned", "escalated"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_takes_one_wins(desk, monkeypatch):
    colleague = make_agent("l1-bis@desk.test", groups=[desk.groups["sd"]],
                           clients=[desk.a.client])
    ticket = desk.open(desk.a)
    _hold_the_lock_until_the_other_waits(monkeypatch, "assignment")
    results, errors = race(lambda: services.take(desk.a.l1, ticket.pk),
                            lambda: services.take(colleague, ticket.pk))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict) and errors[0].code == "already_assigned"
    assert state(ticket.pk)["ticket"]["assignee_id"] == results[0].assignee_id
    assert kinds(ticket.pk) == ["created", "assigned"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_assignments_of_one_version_one_wins(desk, monkeypatch):
    colleague = make_agent("l1-bis@desk.test", groups=[desk.groups["sd"]],
                           clients=[desk.a.client])
    ticket = desk.open(desk.a)
    _hold_the_lock_until_the_other_waits(monkeypatch, "assignment")
    results, errors = race(
        lambda: services.assign(desk.a.l1, ticket.pk, colleague.agent.pk,
                                version=ticket.version),
        lambda: services.assign(desk.a.manager, ticket.pk, desk.a.l1.agent.pk,
                                version=ticket.version))
    assert len(results) == 1 and len(errors) == 1
    assert type(errors[0]) is Conflict
    reread = state(ticket.pk)["ticket"]
    assert (reread["assignee_id"], reread["version"]) == (results[0].assignee_id, 2)
    assert kinds(ticket.pk) == ["created", "assigned"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_take_racing_an_assignment_one_wins(desk, monkeypatch):
    colleague = make_agent("l1-bis@desk.test", groups=[desk.groups["sd"]],
                           clients=[desk.a.client])
    ticket = desk.open(desk.a)
    _hold_the_lock_until_the_other_waits(monkeypatch, "assignment")
    results, errors = race(
        lambda: services.take(desk.a.l1, ticket.pk, version=ticket.version),
        lambda: services.assign(desk.a.manager, ticket.pk, colleague.agent.pk,
                                version=ticket.version))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict)
    assert kinds(ticket.pk) == ["created", "assigned"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_intakes_get_distinct_numbers(desk):
    results, errors = race(*[lambda: desk.open(desk.a) for _ in range(4)])
    assert errors == []
    assert sorted(t.number for t in results) == [f"INC-00000{n}" for n in range(1, 5)]


def test_a_stale_version_is_a_conflict_and_writes_nothing(desk):
    ticket = desk.open(desk.a)
    stale = ticket.version
    services.classify(desk.a.l1, ticket.pk, impact="high", version=stale)
    before = state(ticket.pk)
    assert before["ticket"]["version"] == stale + 1
    for call in (
        lambda: services.take(desk.a.l1, ticket.pk, version=stale),
        lambda: services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                                  handoff=full_handoff(), version=stale),
        lambda: services.add_message(desk.a.l1, ticket.pk, body="Hi", version=stale),
        lambda: services.resolve(desk.a.l1, ticket.pk, resolution="Done", version=stale),
    ):
        with pytest.raises(Conflict) as caught:
            call()
        assert caught.value.code == "conflict"
        assert state(ticket.pk) == before
    assert services.take(desk.a.l1, ticket.pk, version=stale + 1).version == stale + 2


def test_every_change_bumps_the_version(desk):
    ticket = desk.open(desk.a)
    versions = [ticket.version]
    for call in (lambda: services.take(desk.a.l1, ticket.pk),
                 lambda: services.set_pending(desk.a.l1, ticket.pk, waiting_on="Log"),
                 lambda: services.add_message(desk.a.requester, ticket.pk, body="Log"),
                 lambda: services.resolve(desk.a.l1, ticket.pk, resolution="Done")):
        versions.append(call().version)
    assert versions == [1, 2, 3, 4, 5]
    assert state(ticket.pk)["ticket"]["version"] == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tickets_merged_into_each_other_at_once_one_wins_and_nothing_deadlocks(
        desk, monkeypatch):
    """Both rows are locked in id order, so crossing merges queue instead of deadlocking;
    the second finds its original closed."""
    first, second = desk.open(desk.a), desk.open(desk.a)
    _hold_the_lock_until_the_other_waits(monkeypatch, "merging")
    results, errors = race(
        lambda: services.merge(desk.a.l1, first.pk, into_id=second.pk),
        lambda: services.merge(desk.a.manager, second.pk, into_id=first.pk))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], IllegalTransition)
    winner = results[0]
    assert kinds(winner.pk) == ["created", "merged"]
    assert kinds(winner.merged_into_id) == ["created", "duplicate_merged"]
