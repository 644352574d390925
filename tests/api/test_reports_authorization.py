"""/api/v1/reports/…: every endpoint × every persona, and the tenant boundary."""

from __future__ import annotations

import pytest

from palier.accounts.models import Role, User
from tests.reports.conftest import history  # noqa: F401  (the fixture)

REPORTS = ["tiers", "volume", "sla", "csat", "backlog", "knowledge", "shift-left",
           "export.csv"]
# persona → status for the client-level reports above
EXPECTED = {"requester": 403, "l1": 403, "l2": 403, "l3": 403, "client_manager": 200,
            "manager": 200}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_report_access_by_persona(api, desk, history, report, persona):  # noqa: F811
    response = api(getattr(desk.a, persona)).get(f"/reports/{report}")
    assert response.status_code == EXPECTED[persona], response.content


@pytest.mark.parametrize("report", [*REPORTS, "cost"])
def test_another_clients_figures_are_not_found(api, desk, history, report):  # noqa: F811
    for persona in ("client_manager", "manager"):
        response = api(getattr(desk.a, persona)).get(
            f"/reports/{report}?client={desk.b.client.pk}")
        expected = 403 if (report == "cost" and persona == "client_manager") else 404
        assert response.status_code == expected, (persona, response.content)


def test_cost_is_for_the_desk_only(api, desk, history):  # noqa: F811
    assert api(desk.a.manager).get("/reports/cost").status_code == 200
    assert api(desk.a.client_manager).get("/reports/cost").status_code == 403


def test_client_manager_sees_their_client_only(api, desk, history):  # noqa: F811
    assert api(desk.a.client_manager).get("/reports/tiers").json()["volume"] == 5
    assert api(desk.b.client_manager).get("/reports/tiers").json()["volume"] == 1
    assert api(desk.b.manager).get(
        f"/reports/tiers?client={desk.b.client.pk}").json()["volume"] == 1


def test_admin_sees_every_client(api, desk, history):  # noqa: F811
    admin = User.objects.create_user("admin@desk.test", "x", role=Role.ADMIN)
    assert api(admin).get("/reports/tiers").json()["volume"] == 6


def test_anonymous_is_unauthenticated(api, desk):
    assert api().get("/reports/tiers").status_code == 401


def test_bad_filters_are_refused_with_a_reason(api, desk, history):  # noqa: F811
    m = api(desk.a.manager)
    assert m.get("/reports/tiers?start=2026-03-05&end=2026-03-01").status_code == 422
    assert m.get("/reports/tiers?level=L9").status_code == 422
    assert m.get("/reports/tiers?start=yesterday").status_code == 422
    assert m.get("/reports/tiers?start=0").status_code == 422  # not 1 January 1970


def test_csv_export_streams_the_scoped_rows(api, desk, history):  # noqa: F811
    response = api(desk.b.manager).get("/reports/export.csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("ticket_number,client_code") and len(lines) == 2


def test_event_logs_are_for_desk_managers(api, desk):
    assert api(desk.a.manager).get("/reports/eventlogs").status_code == 200
    for persona in ("client_manager", "l1", "requester"):
        assert api(getattr(desk.a, persona)).get("/reports/eventlogs").status_code == 403
    assert api(desk.a.manager).get("/reports/eventlogs/999").status_code == 404
