"""The console's dashboard: report charts over the last 7/30/90 days, scoped to the user."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat

from palier.accounts.models import Role
from palier.reports import facts, selectors
from palier.reports.selectors import ReportFilter
from palier.tickets import services
from tests.factories import full_handoff, make_agent

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # a Friday
URL = "/console/dashboard/"


@pytest.fixture
def history(desk, time_machine) -> SimpleNamespace:
    """Client A: four tickets yesterday (resolved at first contact, escalated and accepted,
    escalated and returned, still new), one 20 days ago (resolved), one 40 days ago (still
    open). Client B: two tickets yesterday, one escalated."""
    a, b, l2 = desk.a, desk.b, desk.levels["L2"].pk
    at = lambda hours: time_machine.move_to(NOW - timedelta(hours=hours), tick=False)  # noqa: E731
    ids = []

    def opened(side, hours, **kw):
        at(hours)
        ticket = desk.open(side, **kw)
        ids.append(ticket.pk)
        return ticket

    def solved(side, hours):
        ticket = opened(side, hours)
        services.take(side.l1, ticket.pk)
        services.resolve(side.l1, ticket.pk, resolution="Reset the tunnel")

    def escalated(side, hours):
        ticket = opened(side, hours)
        services.take(side.l1, ticket.pk)
        services.escalate(side.l1, ticket.pk, to_level_id=l2, handoff=full_handoff())
        return ticket

    solved(a, 26)
    services.accept(a.l2, escalated(a, 27).pk)
    services.return_escalation(a.l2, escalated(a, 28).pk, reason="Check the cable")
    opened(a, 29, title="Printer jammed")
    solved(a, 20 * 24)
    opened(a, 40 * 24, title="Old request")
    solved(b, 26)
    escalated(b, 27)
    time_machine.move_to(NOW, tick=False)
    facts.store(ids)
    both = make_agent("both@desk.test", groups=[], clients=[a.client, b.client],
                      role=Role.MANAGER)
    return SimpleNamespace(desk=desk, a=a, b=b, both=both)


def figure(page: str, key: str) -> str:
    match = re.search(rf'<figure class="chart" id="chart-{key}">.*?</figure>', page, re.S)
    assert match, f"no chart {key}"
    return match.group(0)


def headline(page: str, name: str) -> str:
    return re.search(rf"<dt>{name}</dt><dd>([^<]*)</dd>", page).group(1)


def window(days: int) -> ReportFilter:
    today = NOW.date()
    return ReportFilter(start=today - timedelta(days=days - 1), end=today + timedelta(days=1))


def test_the_manager_sees_the_selectors_figures_in_the_charts(history, browse):
    response = browse(history.a.manager).get(URL + "?days=7")
    assert response.status_code == 200
    page = response.content.decode()
    tiers = selectors.tiers(history.a.manager, window(7))
    assert tiers["volume"] == 4 and tiers["reached"]["L2"] == 2
    assert headline(page, "Tickets") == "4"
    levels = figure(page, "levels")
    assert '<th scope="row">L2</th><td>0</td><td>2</td>' in levels
    assert '<th scope="row">L1</th><td>4</td><td>4</td>' in levels
    rates = figure(page, "rates")
    for name, key in (("First-contact resolution", "fcr_rate"),
                      ("Escalation", "escalation_rate"),
                      ("Returned escalations", "return_rate")):
        value = floatformat(tiers[key] * 100, "-2")
        assert f'<th scope="row">{name}</th><td>{value}</td>' in rates
    assert tiers["return_rate"] == 0.5
    daily = figure(page, "daily")
    assert '<th scope="row">Thu 19 Mar</th><td>4</td><td>2</td><td>1</td>' in daily
    assert daily.split("<tbody>")[1].count("<tr>") == 7
    assert 'role="img"' in daily and "Created: highest 4 (Thu 19 Mar)." in daily
    assert '<th scope="row">All</th>' in figure(page, "sla")


def test_the_backlog_is_the_active_tickets_now_by_age(history, browse):
    page = browse(history.a.manager).get(URL + "?days=7").content.decode()
    backlog = selectors.backlog(history.a.manager, ReportFilter())
    assert backlog["total"] == 4 and headline(page, "Backlog") == "4"
    l1 = next(r for r in backlog["by_level"] if r["level"] == "L1")
    cells = "".join(f"<td>{n}</td>" for n in l1["ages"])
    assert f'<th scope="row">L1</th>{cells}' in figure(page, "backlog")
    assert l1["ages"] == [0, 2, 0, 0, 1]


@pytest.mark.parametrize(("days", "volume"), [(7, 4), (30, 5), (90, 6)])
def test_the_period_filter(history, browse, days, volume):
    page = browse(history.a.manager).get(f"{URL}?days={days}").content.decode()
    assert headline(page, "Tickets") == str(volume)
    assert figure(page, "daily").split("<tbody>")[1].count("<tr>") == days


def test_the_default_period_is_thirty_days(history, browse):
    page = browse(history.a.manager).get(URL).content.decode()
    assert headline(page, "Tickets") == "5" and '<option value="30" selected>' in page


def test_the_client_filter_lists_and_narrows_to_the_users_clients(history, browse):
    http = browse(history.both)
    page = http.get(URL + "?days=7").content.decode()
    assert headline(page, "Tickets") == "6"
    assert "Acme Logistics" in page and "Bistrot Durand" in page
    page = http.get(f"{URL}?days=7&client={history.b.client.pk}").content.decode()
    assert headline(page, "Tickets") == "2"
    assert '<th scope="row">L2</th><td>0</td><td>1</td>' in figure(page, "levels")


def test_a_client_scoped_manager_never_sees_another_clients_figures(history, browse):
    http = browse(history.a.manager)
    page = http.get(URL + "?days=7").content.decode()
    assert "Bistrot Durand" not in page and headline(page, "Tickets") == "4"
    assert http.get(f"{URL}?client={history.b.client.pk}").status_code == 404
    assert http.get(f"{URL}?client=999999").status_code == 404
    page = browse(history.b.manager).get(URL + "?days=7").content.decode()
    assert headline(page, "Tickets") == "2" and "Acme Logistics" not in page


@pytest.mark.parametrize("query", ["days=3", "days=week", "client=abc", "client=0"])
def test_bad_filters_are_a_form_error(history, browse, query):
    response = browse(history.a.manager).get(f"{URL}?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist' in page and "chart-svg" not in page


@pytest.mark.parametrize("who", ["l1", "l2", "requester", "client_manager"])
def test_anyone_but_a_manager_finds_no_page(history, browse, who):
    http = browse(getattr(history.a, who))
    assert http.get(URL).status_code == 404
    assert http.get(URL + "?days=3").status_code == 404


def test_an_empty_period_says_so(desk, browse):
    page = browse(desk.a.manager).get(URL).content.decode()
    assert "No ticket was created in this period." in page and "chart-svg" in page


def test_french_dashboard(history, browse):
    page = browse(history.a.manager).get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tableau de bord" in page and "Volume par niveau" in page
    assert "30 derniers jours" in page
    assert not re.search(r'(?:x|y|x1|x2|y1|y2|width|height)="-?\d+,\d', page)


def test_dashboard_query_count_is_pinned(history, browse, django_assert_max_num_queries):
    http = browse(history.both)
    http.get(URL)
    with django_assert_max_num_queries(11):
        assert http.get(URL).status_code == 200
    with django_assert_max_num_queries(12):  # the client is checked once for the selectors
        assert http.get(f"{URL}?days=90&client={history.a.client.pk}").status_code == 200
