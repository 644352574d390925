"""The console's capacity page: the stored staffing plan from the desk's history, with a
what-if re-planned from the stored desk model."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from palier.capacity import selectors, stored
from palier.capacity.models import StoredPlan
from palier.capacity.planner import Scenario
from palier.capacity.services import PlanRequest
from tests.capacity.history import START, build

NOW = START + timedelta(weeks=2)
URL = "/console/capacity/"


@pytest.fixture(autouse=True)
def _no_rendered_plans():
    """Rendered stored plans are cached per plan; each test starts without them."""
    cache.clear()


@pytest.fixture
def history(desk, time_machine):
    """Two weeks of client A's tickets (30) and one week of client B's (10), seen from
    the Monday after."""
    build(desk, time_machine, desk.a, weeks=2)
    build(desk, time_machine, desk.b, weeks=1, per_day=2)
    time_machine.move_to(NOW, tick=False)
    return desk


def fresh(manager, **request) -> dict:
    """The chart planned now from the stored plan's window (what the page must show)."""
    since, until = stored.window(NOW)
    return selectors.staffing_chart(manager, PlanRequest(since=since, until=until, **{
        "weeks": 1, "shift_hours": 8, "shrinkage": 0.3, **request}))


def figure(page: str, key: str) -> str:
    """One chart's markup (its SVG, legend and data table)."""
    match = re.search(rf'<figure class="chart" id="chart-{key}">.*?</figure>', page, re.S)
    assert match, f"no chart {key}"
    return match.group(0)


def test_the_manager_sees_required_and_scheduled_staff_and_attainment(history, browse):
    response = browse(history.a.manager).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    chart = fresh(history.a.manager)
    (plan,) = chart["plans"]
    l1 = plan["levels"][0]
    peak = max(l1["required"])
    hour = datetime.fromisoformat(chart["hours"][l1["required"].index(peak)])
    label = date_format(hour, "D j M H:i")
    staff = figure(page, "staff-L1")
    assert f"Required: highest {peak} ({label})." in staff  # the SVG's description
    scheduled = l1["scheduled"][l1["required"].index(peak)]
    assert f'<th scope="row">{label}</th><td>{peak}</td><td>{scheduled}</td>' in staff
    assert "<path" in staff and 'role="img"' in staff and "<title" in staff
    sla = figure(page, "sla-L1")
    assert "Target, within 240 min (80%)" in sla and 'stroke-dasharray="4 4"' in sla
    assert f"Planned from {chart['tickets']} tickets" in page
    assert floatformat(plan["total_cost"], "0g") in page
    for code in ("L1", "L2", "L3"):
        assert f"{floatformat(plan['attainment'][code] * 100, '-1')} %" in page


def test_a_manager_plans_from_their_own_clients_history_only(history, browse):
    page = browse(history.b.manager).get(URL).content.decode()
    assert "Planned from 10 tickets" in page


@pytest.mark.parametrize("who", ["l1", "l3", "requester", "client_manager"])
def test_anyone_but_a_manager_finds_no_page(desk, browse, who):
    http = browse(getattr(desk.a, who))
    assert http.get(URL).status_code == 404
    assert http.post(URL, {"weeks": "0"}).status_code == 404  # not even a form error
    assert http.post(URL, {"weeks": "1"}).status_code == 404
    assert "/console/capacity/" not in (http.get("/console/").content.decode()
                                        if who.startswith("l") else "")


def test_the_scenario_changes_the_plan(history, browse):
    page = browse(history.a.manager).post(
        URL, {"volume_percent": "1000", "target_share": "95"}).content.decode()
    chart = fresh(history.a.manager, scenarios=(
        Scenario("what-if", volume_percent=1000, target_level=0.95),))
    baseline, what_if = chart["plans"]
    assert what_if["total_cost"] > baseline["total_cost"]
    assert "What-if" in page and "Scheduled, baseline" in page
    assert floatformat(what_if["total_cost"], "0g") in page
    assert floatformat(baseline["total_cost"], "0g") in page
    assert "Target, within 240 min (95%)" in figure(page, "sla-L1")
    peak = max(what_if["levels"][0]["required"])
    assert f"Required: highest {peak} (" in figure(page, "staff-L1")
    assert 'value="1000"' in page  # the form keeps what was asked


def test_the_horizon_and_shifts_are_read_from_the_form(history, browse):
    page = browse(history.a.manager).post(URL, {"weeks": "2", "shift_hours": "4"}
                                          ).content.decode()
    table = figure(page, "staff-L2").split("<tbody>")[1]
    assert table.count("<tr>") == 2 * 168
    assert "What-if" not in page


def test_a_query_string_does_not_change_the_default_plan(history, browse):
    page = browse(history.a.manager).get(URL + "?volume_percent=1000").content.decode()
    assert "What-if" not in page and 'value="1000"' not in page
    assert "Planned from 30 tickets" in page


@pytest.mark.parametrize("query", ["weeks=0", "weeks=5", "weeks=two", "shift_hours=13",
                                   "volume_percent=-100", "volume_percent=nan",
                                   "shift_left_points=101", "target_share=100",
                                   "new_weekly_tickets=-1", "shrinkage=95"])
def test_bad_values_are_a_form_error(desk, browse, query):
    name, value = query.split("=")
    response = browse(desk.a.manager).post(URL, {name: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist' in page and "the plan was not computed" in page
    assert "<svg class=\"chart-svg\"" not in page
    assert f'name="{name}" value="{value}"' in page and 'aria-invalid="true"' in page


def test_too_little_history_is_said_plainly(desk, browse):
    response = browse(desk.a.manager).get(URL)
    assert response.status_code == 200
    assert "Not enough history: 0 tickets in the window" in response.content.decode()


def test_the_navigation_shows_capacity_and_dashboard_to_managers_only(desk, browse):
    page = browse(desk.a.manager).get("/console/kb/").content.decode()
    assert 'href="/console/capacity/"' in page and 'href="/console/dashboard/"' in page
    page = browse(desk.a.l2).get("/console/kb/").content.decode()
    assert "/console/capacity/" not in page and "/console/dashboard/" not in page


def test_french_page_keeps_svg_coordinates_unlocalised(history, browse):
    page = browse(history.a.manager).get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Capacité" in page and "Nécessaires" in page
    assert not re.search(r'(?:x|y|x1|x2|y1|y2|width|height)="-?\d+,\d', page)


def test_the_page_reads_the_stored_plan_with_pinned_queries(history, browse,
                                                             django_assert_max_num_queries):
    http = browse(history.a.manager)
    http.get(URL)  # the first visit plans the manager's clients once and stores the plan
    (plan,) = StoredPlan.objects.all()
    assert plan.client_ids == [history.a.client.pk] and plan.chart == fresh(history.a.manager)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(4):
        page = http.get(URL).content.decode()
    assert not [q for q in queries if "tickets_" in q["sql"]]  # no history read
    assert StoredPlan.objects.get().computed_at == plan.computed_at  # not planned again
    when = date_format(plan.computed_at.astimezone(), "DATETIME_FORMAT")
    assert f"Baseline computed on {when}" in page


def test_a_what_if_replans_from_the_stored_model_with_pinned_queries(
        history, browse, django_assert_max_num_queries):
    http = browse(history.a.manager)
    http.get(URL)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(4):
        assert http.post(URL, {"volume_percent": "20"}).status_code == 200
    assert not [q for q in queries if "tickets_" in q["sql"]]


def test_the_worker_plan_is_shown_when_there_is_one(history, browse):
    made = stored.compute({history.a.client.pk})
    StoredPlan.objects.filter(pk=made.pk).update(chart={**made.chart, "tickets": 12345},
                                                 computed_at=NOW + timedelta(minutes=5))
    assert "Planned from 12345 tickets" in browse(history.a.manager).get(URL).content.decode()


def test_managers_of_one_client_never_see_another_clients_stored_plan(history, browse):
    stored.refresh_plans()
    assert StoredPlan.objects.count() == 2
    page_b = browse(history.b.manager).get(URL).content.decode()
    assert "Planned from 10 tickets" in page_b and "Planned from 30 tickets" not in page_b
    what_if_b = browse(history.b.manager).post(URL, {"volume_percent": "10"}).content.decode()
    assert "Planned from 10 tickets" in what_if_b
