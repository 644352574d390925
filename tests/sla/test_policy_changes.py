"""Policy and calendar changes reach the open tickets, journaled, without rewriting the past."""

from __future__ import annotations

import json

import pytest

from palier.accounts.models import User
from palier.sla.models import CalendarException, PolicyVersion, SlaPolicy
from palier.sla.services import apply_policy_change, contract_version
from palier.tickets import services
from palier.tickets.models import EventKind, TicketEvent
from tests.sla.conftest import paris, reread


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root@desk.test", "secret"))
    return client


def _policy_form(policy: SlaPolicy, **changes) -> dict:
    data = {
        "name": policy.name, "contract": policy.contract_id, "calendar": policy.calendar_id,
        "is_active": "on", "response_minutes": json.dumps(policy.response_minutes),
        "resolution_minutes": json.dumps(policy.resolution_minutes),
        "pause_on_pending_requester": "on", "warning_thresholds": json.dumps([75, 90]),
        "ola_targets-TOTAL_FORMS": "0", "ola_targets-INITIAL_FORMS": "0",
    }
    targets = list(policy.ola_targets.all())
    data.update({"ola_targets-TOTAL_FORMS": str(len(targets)),
                 "ola_targets-INITIAL_FORMS": str(len(targets))})
    for i, target in enumerate(targets):
        data.update({f"ola_targets-{i}-id": target.pk, f"ola_targets-{i}-policy": policy.pk,
                     f"ola_targets-{i}-level": target.level_id,
                     f"ola_targets-{i}-minutes": target.minutes})
    data.update(changes)
    return data


def test_saving_a_policy_in_the_admin_re_times_its_open_tickets(desk, policy, at,
                                                                 admin_client):
    at(paris(16, 9))
    ticket = services.take(desk.a.l1, desk.open(desk.a).pk)
    done = services.close(desk.a.requester, services.resolve(
        desk.a.l1, desk.open(desk.a).pk, resolution="ok").pk)
    at(paris(16, 10))
    resolution = {**policy.resolution_minutes, "P3": 480}
    response = admin_client.post(f"/admin/sla/slapolicy/{policy.pk}/change/",
                                 _policy_form(policy, resolution_minutes=json.dumps(resolution)))
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = reread(ticket)
    assert changed.due_at == paris(16, 18)  # 8 h from 09:00
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.POLICY_CHANGED)
    assert event.actor.email == "root@desk.test" and event.data["policy"] == "Standard"
    assert not TicketEvent.objects.filter(ticket=done, kind=EventKind.POLICY_CHANGED).exists()


def test_a_closure_added_to_the_calendar_moves_the_due_times(desk, policy, office, at,
                                                             admin_client):
    at(paris(16, 9))
    ticket = desk.open(desk.a)
    assert reread(ticket).due_at == paris(17, 18)
    data = {"name": office.name, "timezone": office.timezone,
            "weekly_hours": json.dumps(office.weekly_hours), "holiday_country": "FR",
            "holiday_subdivision": "", "exceptions-TOTAL_FORMS": "1",
            "exceptions-INITIAL_FORMS": "0", "exceptions-0-starts_at_0": "2025-06-17",
            "exceptions-0-starts_at_1": "07:00:00", "exceptions-0-ends_at_0": "2025-06-17",
            "exceptions-0-ends_at_1": "16:00:00", "exceptions-0-kind": "closure",
            "exceptions-0-reason": "Office move"}
    response = admin_client.post(f"/admin/sla/calendar/{office.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarException.objects.filter(calendar=office).count() == 1
    assert reread(ticket).due_at == paris(18, 18)  # Tuesday closed all day (UTC 07–16)


def test_the_rules_in_force_change_with_any_edit_and_only_then(desk, policy, office):
    first = contract_version(desk.a.contract.pk)
    assert contract_version(desk.a.contract.pk) == first
    target = policy.ola_targets.get(level=desk.levels["L1"])
    target.minutes = 300
    target.save()
    second = contract_version(desk.a.contract.pk)
    assert second != first
    CalendarException.objects.create(calendar=office, starts_at=paris(20, 9),
                                     ends_at=paris(20, 12), reason="Inventory")
    third = contract_version(desk.a.contract.pk)
    assert third not in (first, second)
    assert PolicyVersion.objects.get(pk=third).spec["calendar"]["closures"][0][2] == "Inventory"
    target.minutes = 240
    target.save()
    CalendarException.objects.all().delete()
    assert contract_version(desk.a.contract.pk) == first  # same content, same version


def test_deactivating_a_policy_falls_back_to_the_contract_targets(desk, policy, at):
    at(paris(16, 9))
    ticket = desk.open(desk.a)
    at(paris(16, 10))
    policy.is_active = False
    policy.save()
    assert apply_policy_change(policy) == 1
    fallback = reread(ticket)
    assert fallback.sla_state["targets"].keys() == {"response", "resolution"}  # no OLA
    # 1 h counted in business time, then the contract's 24 h around the clock: 23 h left.
    assert fallback.due_at == paris(17, 9)
