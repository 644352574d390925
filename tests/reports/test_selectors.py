"""Report selectors: who sees which figures, filters, and the live-only reports."""

from __future__ import annotations

import datetime as dt

import pytest

from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.reports import selectors
from palier.reports.selectors import ReportFilter
from palier.tickets import services
from palier.tickets.models import Satisfaction
from tests.factories import fresh


def test_manager_sees_only_the_clients_they_serve(history, desk):
    assert selectors.tiers(desk.a.manager, ReportFilter())["volume"] == 5
    assert selectors.tiers(desk.b.manager, ReportFilter())["volume"] == 1


def test_client_manager_gets_their_client_and_never_another(history, desk):
    assert selectors.tiers(desk.a.client_manager, ReportFilter())["volume"] == 5
    with pytest.raises(NotFound):
        selectors.tiers(desk.a.client_manager, ReportFilter(client_id=desk.b.client.pk))
    with pytest.raises(NotFound):
        selectors.sla(desk.a.manager, ReportFilter(client_id=desk.b.client.pk))


def test_requesters_and_agents_get_no_reports(history, desk):
    for who in (desk.a.requester, desk.a.l1, desk.a.l2):
        with pytest.raises(PermissionDenied):
            selectors.tiers(who, ReportFilter())


def test_client_manager_cannot_read_internal_figures(history, desk):
    with pytest.raises(PermissionDenied):
        selectors.cost(desk.a.client_manager, ReportFilter())
    with pytest.raises(PermissionDenied):
        selectors.tiers(desk.a.client_manager, ReportFilter(agent_id=1))


def test_filters_level_group_agent_category_and_period(history, desk):
    m = desk.a.manager
    assert selectors.tiers(m, ReportFilter(level="L3"))["volume"] == 1
    assert selectors.tiers(m, ReportFilter(group_id=desk.groups["net"].pk))["volume"] == 3
    l3 = desk.a.l3.agent.pk
    assert selectors.tiers(m, ReportFilter(agent_id=l3))["volume"] == 1
    vpn = desk.categories["vpn"].pk
    assert selectors.tiers(m, ReportFilter(category_id=vpn))["volume"] == 5
    day = dt.date(2026, 3, 2)
    assert selectors.tiers(m, ReportFilter(start=day, end=day + dt.timedelta(days=1)))[
        "volume"] == 5
    assert selectors.tiers(m, ReportFilter(start=day + dt.timedelta(days=1)))["volume"] == 0
    with pytest.raises(ValidationFailed):
        selectors.tiers(m, ReportFilter(start=day, end=day))
    with pytest.raises(ValidationFailed):
        selectors.tiers(m, ReportFilter(level="L9"))


def test_volume_is_chart_ready(history, desk):
    out = selectors.volume(desk.a.manager, ReportFilter())
    assert out["by_day"] == {"labels": ["2026-03-02"],
                             "series": {"created": [5], "escalated": [3], "fcr": [1]}}
    assert out["by_category"][0]["volume"] == 5


def test_cost_per_level_is_worklog_times_hourly_cost(history, desk):
    out = selectors.cost(desk.a.manager, ReportFilter())
    assert out["by_level"] == [{"level": "L2", "minutes": 60, "tickets": 1, "cost": 40.0,
                                "cost_per_ticket": 40.0}]
    assert selectors.cost(desk.b.manager, ReportFilter())["by_level"] == []


def test_backlog_by_level_and_age(history, desk, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    out = selectors.backlog(desk.a.manager, ReportFilter())
    assert out["total"] == 1
    assert out["by_level"] == [{"level": "L1", "total": 1, "ages": [0, 0, 1, 0, 0]}]
    assert selectors.backlog(desk.b.manager, ReportFilter())["total"] == 0


def test_csat_counts_ratings_of_the_filtered_tickets(history, desk):
    Satisfaction.objects.create(ticket=history.fcr, score=5, rated_by=desk.a.requester,
                                level=desk.levels["L1"], created_at=history.fcr.created_at)
    Satisfaction.objects.create(ticket=history.climb, score=2, rated_by=desk.a.requester,
                                level=desk.levels["L3"], created_at=history.fcr.created_at)
    out = selectors.csat(desk.a.manager, ReportFilter())
    assert out["responses"] == 2 and out["mean"] == 3.5 and out["satisfied_share"] == 0.5
    assert out["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert selectors.csat(desk.b.manager, ReportFilter())["responses"] == 0


def test_sla_compliance_counts_met_and_missed(history, desk):
    out = selectors.sla(desk.a.manager, ReportFilter())["overall"]
    assert out["measured"] == 4
    assert 0 <= out["resolution_compliance"] <= 1 and out["ola_compliance"] == 1.0


def test_knowledge_and_shift_left_tolerate_an_empty_knowledge_base(history, desk):
    out = selectors.knowledge(desk.a.manager, ReportFilter())
    assert out["resolved_with_article"] == 0 and out["kb_use_rate"] == 0.0
    assert selectors.shift_left(desk.a.manager, ReportFilter()) == []


def test_shift_left_finds_quick_l2_resolutions_with_an_article(desk, time_machine):
    from palier.reports import facts
    from tests.factories import accepted

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    ticket = accepted(desk, desk.a)
    services.resolve(desk.a.l2, ticket.pk, resolution="Per the article", article_id=7)
    facts.store([ticket.pk])
    rows = selectors.shift_left(fresh(desk.a.manager), ReportFilter())
    assert rows[0]["category"].endswith("VPN") and rows[0]["quick_l2_with_article"] == 1


def test_export_rows_are_scoped(history, desk):
    rows = list(selectors.export_rows(desk.b.manager, ReportFilter()))
    assert rows[0][0] == "ticket_number" and len(rows) == 2
    assert rows[1][0] == history.other.number
