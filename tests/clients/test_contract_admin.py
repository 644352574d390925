"""Editing a contract's targets in the admin re-times its open tickets from now on."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from palier.accounts.models import Role, User
from palier.tickets.models import EventKind, Ticket


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("root@example.test", "pw", role=Role.ADMIN)
    client.force_login(admin)
    return client


def test_new_contract_targets_retime_the_open_tickets(desk, admin_client):
    ticket = desk.open(desk.a)
    contract = Ticket.objects.get(pk=ticket.pk).contract
    assert contract is not None and not contract.sla_policies.filter(is_active=True).exists()
    before = Ticket.objects.get(pk=ticket.pk).due_at
    faster = {**contract.resolution_minutes, ticket.priority: 30}
    response = admin_client.post(f"/admin/clients/contract/{contract.pk}/change/", {
        "client": contract.client_id, "name": contract.name,
        "starts_on": contract.starts_on.isoformat(), "ends_on": "",
        "included_levels": [lv.pk for lv in contract.included_levels.all()],
        "response_minutes": json.dumps(contract.response_minutes),
        "resolution_minutes": json.dumps(faster),
    })
    assert response.status_code == 302, response.content[:2000]
    after = Ticket.objects.get(pk=ticket.pk)
    assert before > after.created_at + timedelta(minutes=30)
    # the 24×7 fallback; the new target counts from now (the request took milliseconds)
    assert abs(after.due_at - (after.created_at + timedelta(minutes=30))) < timedelta(seconds=5)
    assert after.events.filter(kind=EventKind.POLICY_CHANGED).exists()
