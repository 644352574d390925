"""Triage endpoints: who may read what, and never across clients."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from palier.tickets import services
from palier.tickets.models import Ticket, TicketStatus
from palier.triage.models import TicketPrediction
from palier.triage.services import train
from tests.api.conftest import Api
from tests.triage.conftest import configure, history

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
VPN = dict(title="vpn tunnel disconnects", description="anyconnect remote access timeout vpn",
           category_id=None)


@pytest.fixture
def trained(desk):
    configure(min_tickets=20, category_threshold=0.5, group_threshold=0.5,
              priority_threshold=1.0)
    with time_machine.travel(T0 - dt.timedelta(days=90), tick=False):  # out of the window
        history(desk)
        return train()


def test_agents_see_predictions_suggestions_and_why(desk, trained):
    ticket = desk.open(desk.a, **VPN)
    response = Api(desk.a.l1).get(f"/tickets/{ticket.pk}/triage")
    assert response.status_code == 200
    rows = {r["field"]: r for r in response.json()}
    assert set(rows) == {"category", "group", "priority"}
    category = rows["category"]
    assert category["applied"] and category["label"] == "Network > VPN"
    assert len(category["suggestions"]) == 3 and category["model_version"] == trained.version
    assert {"vpn", "anyconnect", "tunnel"} & {w["term"] for w in category["why"]}
    assert not rows["priority"]["applied"]  # threshold 1.0: suggested only


@pytest.mark.parametrize("persona,status", [("requester", 403), ("l1", 200), ("l2", 200),
                                            ("manager", 200)])
def test_ticket_triage_by_persona(desk, trained, persona, status):
    ticket = desk.open(desk.a, **VPN)
    assert Api(getattr(desk.a, persona)).get(f"/tickets/{ticket.pk}/triage").status_code == \
        status


@pytest.mark.parametrize("persona", ["requester", "l1", "manager"])
def test_another_clients_ticket_is_not_found(desk, trained, persona):
    ticket = desk.open(desk.a, **VPN)
    response = Api(getattr(desk.b, persona)).get(f"/tickets/{ticket.pk}/triage")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_is_refused(desk):
    assert Api().get("/tickets/1/triage").status_code == 401
    assert Api().get("/triage/routing").status_code == 401


def test_routing_quality_counts_what_agents_kept(desk, trained):
    with time_machine.travel(T0, tick=False):
        kept = desk.open(desk.a, **VPN)
        changed = desk.open(desk.a, **VPN)
        desk.open(desk.a, **VPN)  # still open: not judged yet
        desk.open(desk.b, **VPN)  # another client's
        for ticket in (kept, changed):
            services.take(desk.a.l2, ticket.pk)
        services.classify(desk.a.l2, changed.pk, category_id=desk.categories["network"].pk)
        Ticket.objects.filter(pk__in=[kept.pk, changed.pk]).update(status=TicketStatus.RESOLVED)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        response = Api(desk.a.manager).get("/triage/routing", data={"days": 30})
    assert response.status_code == 200
    body = response.json()
    assert body["tickets"] == 3
    category = body["fields"]["category"]
    assert (category["predicted"], category["applied"], category["judged"],
            category["kept"]) == (3, 3, 2, 1)
    assert category["coverage"] == 1.0 and category["accuracy"] == 0.5
    assert body["fields"]["priority"]["applied"] == 0


def test_routing_quality_leaves_out_older_tickets(desk, trained):
    with time_machine.travel(T0, tick=False):
        desk.open(desk.a, **VPN)
    with time_machine.travel(T0 + dt.timedelta(days=31), tick=False):
        body = Api(desk.a.manager).get("/triage/routing").json()
    assert body["tickets"] == 0 and body["fields"]["category"]["coverage"] is None


@pytest.mark.parametrize("persona", ["requester", "l1", "l3"])
def test_routing_quality_is_for_managers(desk, persona):
    assert Api(getattr(desk.a, persona)).get("/triage/routing").status_code == 403


def test_routing_quality_refuses_a_bad_window(desk):
    response = Api(desk.a.manager).get("/triage/routing", data={"days": 0})
    assert response.status_code == 422 and "days" in response.json()["fields"]


def test_other_clients_predictions_are_not_counted(desk, trained):
    desk.open(desk.b, **VPN)
    body = Api(desk.a.manager).get("/triage/routing").json()
    assert body["tickets"] == 0 and body["fields"]["group"]["predicted"] == 0
    assert TicketPrediction.objects.count() == 3
