"""POST /api/v1/capacity/plan: managers of their own clients only; strict input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.capacity.history import START, build

WINDOW = {"since": (START - timedelta(hours=8)).isoformat(),
          "until": (START + timedelta(weeks=1) - timedelta(hours=8)).isoformat()}


@pytest.fixture
def history(desk, time_machine):
    build(desk, time_machine, desk.a, weeks=1, per_day=2)
    time_machine.move_to(START + timedelta(weeks=2), tick=False)
    return desk


@pytest.mark.parametrize(("who", "status"), [("requester", 403), ("client_manager", 403),
                                             ("l1", 403), ("l2", 403), ("l3", 403),
                                             ("manager", 200)])
def test_only_managers_get_a_plan(api, history, who, status):
    response = api(getattr(history.a, who)).post("/capacity/plan", {**WINDOW, "weeks": 1})
    assert response.status_code == status, response.content
    if status == 403:
        assert response.json()["code"] == "permission_denied"


def test_the_plan_holds_hourly_series_and_scenarios(api, history):
    response = api(history.a.manager).post("/capacity/plan", {
        **WINDOW, "weeks": 1, "clients": [history.a.client.pk],
        "targets": {"L1": {"seconds": 600, "share": 0.9}},
        "scenarios": [{"name": "growth", "volume_percent": 30}], "replications": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    base, growth = body["plans"]
    assert growth["scenario"] == "growth" and growth["total_cost"] >= base["total_cost"]
    assert len(base["scheduled"][0]) == 168 and base["simulation"]["replications"] == 1
    assert body["estimate"]["tickets"] == 10


def test_another_clients_history_is_not_found(api, history):
    response = api(history.b.manager).post("/capacity/plan",
                                           {**WINDOW, "clients": [history.a.client.pk]})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_manager_without_history_gets_a_reason(api, history):
    response = api(history.b.manager).post("/capacity/plan", WINDOW)
    assert response.status_code == 422 and "history" in response.json()["detail"]


@pytest.mark.parametrize("body", [{"weeks": 0}, {"weeks": "2"}, {"unknown": 1},
                                  {"targets": {"L1": {"seconds": -5}}},
                                  {"scenarios": [{"name": "x", "volume_percent": -100}]},
                                  {"since": 0.5}])
def test_bad_input_is_422_with_the_field(api, history, body):
    response = api(history.a.manager).post("/capacity/plan", body)
    assert response.status_code == 422 and response.json()["fields"]


def test_an_unknown_level_target_is_422(api, history):
    response = api(history.a.manager).post("/capacity/plan", {
        **WINDOW, "targets": {"L7": {"seconds": 60}}})
    assert response.status_code == 422


def test_without_a_token_it_is_401(api):
    assert api().post("/capacity/plan", {}).status_code == 401
