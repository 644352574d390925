"""Daily rollups: every report read from them equals the brute force on a random history,
after later changes to old tickets too, and two refreshes give the same rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection

from palier.accounts.models import Role, User
from palier.core.errors import DomainError
from palier.reports import facts, jobs, rollups, selectors
from palier.reports.metrics import aggregate as brute_force
from palier.reports.metrics import share
from palier.reports.models import (
    ReportCategoryDay,
    ReportDay,
    ReportWorkDay,
    TicketFacts,
)
from palier.reports.selectors import ReportFilter
from palier.tickets import services
from palier.tickets.models import Satisfaction, Ticket, Worklog
from tests.factories import full_handoff
from tests.reports.conftest import journal_facts

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 2)
RANKS = {"L1": 1, "L2": 2, "L3": 3}


def _try(action, *args, **kwargs) -> None:
    with contextlib.suppress(DomainError):  # a move the ticket's state refuses
        action(*args, **kwargs)


def _walk(desk, side, ticket_id: int, rng: random.Random, move) -> None:
    """A random life for one ticket: escalations, returns, pauses, work, reopens, a rating."""
    lv = desk.levels
    at = 0
    for _ in range(rng.randint(1, 9)):
        at += rng.randint(5, 300)
        move(at)
        choice = rng.choice(["take", "reply", "up", "up3", "accept", "return", "down",
                             "pause", "work", "work2", "resolve", "reopen", "rate"])
        state = Ticket.objects.get(pk=ticket_id)
        agent = {"L1": side.l1, "L2": side.l2, "L3": side.l3}[state.level.code]
        if choice == "take":
            _try(services.take, agent, ticket_id)
        elif choice == "reply":
            _try(services.add_message, agent, ticket_id, body="Looking at it.")
        elif choice in ("up", "up3"):
            target = lv["L3"] if choice == "up3" or state.level.code == "L2" else lv["L2"]
            _try(services.escalate, agent, ticket_id, to_level_id=target.pk,
                 handoff=full_handoff())
            receiver = side.l3 if target.code == "L3" else side.l2
            at += rng.randint(5, 60)
            move(at)
            answer = rng.choice(["accept", "return", "wait"])  # the handoff's fate
            if answer == "accept":
                _try(services.accept, receiver, ticket_id)
            elif answer == "return":
                _try(services.return_escalation, receiver, ticket_id, reason="Need the logs")
        elif choice == "accept":
            _try(services.accept, agent, ticket_id)
        elif choice == "return":
            _try(services.return_escalation, agent, ticket_id, reason="Not enough detail")
        elif choice == "down":
            _try(services.de_escalate, agent, ticket_id, to_level_id=lv["L1"].pk,
                 instructions="Confirm with the user")
        elif choice == "pause":
            _try(services.set_pending, agent, ticket_id, waiting_on="A screenshot")
            at += rng.randint(10, 120)
            move(at)
            _try(services.resume, agent, ticket_id)
        elif choice in ("work", "work2"):
            worker = agent if choice == "work" else side.manager
            _try(services.log_work, worker, ticket_id, minutes=rng.randint(5, 90))
        elif choice == "resolve":
            _try(services.resolve, agent, ticket_id, resolution="Fixed",
                 article_id=rng.choice([None, 7]))
        elif choice == "reopen":
            _try(services.reopen, side.requester, ticket_id, reason="Again")
        elif choice == "rate":
            _try(services.rate_resolution, side.requester, ticket_id, score=rng.randint(1, 5))


@pytest.fixture
def random_desk(desk, time_machine):
    """Sixty tickets of two clients over four days, with random lives."""
    rng = random.Random(8)
    ids = []
    categories = [desk.categories[k] for k in ("vpn", "password", "security")]
    for n in range(60):
        side = desk.a if n % 3 else desk.b
        start = T0 + dt.timedelta(days=n % 4, minutes=rng.randint(0, 600))
        time_machine.move_to(start, tick=False)
        ticket = desk.open(side, category_id=rng.choice(categories).pk)
        ids.append(ticket.pk)
        _walk(desk, side, ticket.pk, rng,
              lambda m, s=start: time_machine.move_to(s + dt.timedelta(minutes=m), tick=False))
    time_machine.move_to(T0 + dt.timedelta(days=5), tick=False)
    facts.store(ids, days=False)
    rollups.rebuild()
    admin = User.objects.create_user("admin@desk.test", "x", role=Role.ADMIN, full_name="Ad")
    return ids, admin


def _filters(desk) -> list[ReportFilter]:
    a = desk.a.client.pk
    return [ReportFilter(), ReportFilter(client_id=a), ReportFilter(level="L2"),
            ReportFilter(level="L3", client_id=a),
            ReportFilter(start=DAY + dt.timedelta(days=1), end=DAY + dt.timedelta(days=3)),
            ReportFilter(category_id=desk.categories["vpn"].pk),
            ReportFilter(start=DAY, end=DAY + dt.timedelta(days=2), level="L1")]


REPORTS = ("tiers", "volume", "sla", "csat", "cost", "knowledge", "shift-left")


def _both(actor, flt, monkeypatch) -> tuple[dict, dict]:
    """Each report from the rollups, and from the facts alone."""
    checked = selectors.check(actor, flt)
    assert checked.rollups
    with_rollups = {name: selectors.REPORTS[name](actor, flt) for name in REPORTS}
    with monkeypatch.context() as patch:
        patch.setattr(rollups, "built", lambda: False)
        assert not selectors.check(actor, flt).rollups
        from_facts = {name: selectors.REPORTS[name](actor, flt) for name in REPORTS}
    return with_rollups, from_facts


def _in(flt: ReportFilter, row: TicketFacts) -> bool:
    start, end = flt.bounds()
    return ((flt.client_id is None or row.client_id == flt.client_id)
            and (start is None or row.created_at >= start)
            and (end is None or row.created_at < end)
            and (flt.level is None or f"|{flt.level}|" in row.levels)
            and (flt.category_id is None or row.category_id == flt.category_id))


def _pure(ticket_ids: list[int]) -> list:
    """The facts recomputed case by case from the journal (no SQL aggregation)."""
    return journal_facts(ticket_ids, RANKS)


def _brute(flt: ReportFilter) -> dict:
    """Tier metrics, volume per day, SLA, CSAT and cost by Python loops over the rows."""
    rows = [r for r in TicketFacts.objects.order_by("pk") if _in(flt, r)]
    ids = [r.pk for r in rows]
    ratings = list(Satisfaction.objects.filter(ticket_id__in=ids))
    work = list(Worklog.objects.filter(ticket_id__in=ids).select_related("agent", "level"))
    cost: dict[str, list] = {}
    for entry in work:
        minutes, money, tickets = cost.setdefault(entry.level.code, [0, 0, set()])
        cost[entry.level.code] = [minutes + entry.minutes,
                                  money + entry.minutes * entry.agent.hourly_cost,
                                  tickets | {entry.ticket_id}]
    days = Counter(r.created_on.isoformat() for r in rows)
    measured = [r for r in rows if r.response_met is not None]
    return {
        "tiers": brute_force(_pure(ids), RANKS),
        "by_day": dict(sorted(days.items())),
        "response_compliance": share(sum(r.response_met for r in measured), len(measured)),
        "csat": Counter(s.score for s in ratings),
        "cost": {code: (m, round(float(c) / 60, 2), len(t)) for code, (m, c, t) in cost.items()},
    }


def _assert_equal(left, right, path="") -> None:
    if isinstance(left, dict):
        assert set(left) == set(right), path
        for key in left:
            _assert_equal(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list):
        assert len(left) == len(right), path
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            _assert_equal(a, b, f"{path}[{i}]")
    elif isinstance(left, float) or isinstance(right, float):
        assert left == pytest.approx(right, abs=1e-6), path
    else:
        assert left == right, path


def _check_all(desk, admin, monkeypatch) -> None:
    for flt in _filters(desk):
        with_rollups, from_facts = _both(admin, flt, monkeypatch)
        _assert_equal(with_rollups, from_facts, str(flt))
        brute = _brute(flt)
        tiers = with_rollups["tiers"]
        for key, value in brute["tiers"].items():
            assert tiers[key] == pytest.approx(value), (flt, key)
        by_day = with_rollups["volume"]["by_day"]
        assert dict(zip(by_day["labels"], by_day["series"]["created"], strict=True)) == \
            brute["by_day"]
        assert with_rollups["sla"]["overall"]["response_compliance"] == pytest.approx(
            brute["response_compliance"])
        csat = with_rollups["csat"]
        assert csat["distribution"] == {str(k): brute["csat"].get(k, 0) for k in range(1, 6)}
        assert {r["level"]: (r["minutes"], r["cost"], r["tickets"])
                for r in with_rollups["cost"]["by_level"]} == brute["cost"]


def _rows() -> dict:
    out = {}
    for model in (ReportDay, ReportCategoryDay, ReportWorkDay):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            tuple(round(v, 6) if isinstance(v, float) else v for v in row)
            for row in model.objects.values_list(*fields))
    return out


def test_every_report_from_the_rollups_equals_the_brute_force(random_desk, desk, monkeypatch):
    ids, admin = random_desk
    assert ReportDay.objects.exists() and ReportWorkDay.objects.exists()
    assert Satisfaction.objects.exists() and ReportDay.objects.filter(csat_n__gt=0).exists()
    assert ReportDay.objects.count() < len(ids)  # a rollup, not a copy
    _check_all(desk, admin, monkeypatch)


def test_the_worker_keeps_them_exact_after_old_tickets_change(random_desk, desk, monkeypatch,
                                                              time_machine):
    ids, admin = random_desk
    jobs.refresh_facts()  # catch up with the journal (nothing changes)
    tickets = Ticket.objects.filter(pk__in=ids).select_related("level", "client")
    resolved = next(t for t in tickets if t.status == "resolved"
                    and not Satisfaction.objects.filter(ticket=t).exists())
    still_l1 = next(t for t in tickets if t.status in ("new", "open")
                    and t.level.code == "L1" and t.created_at.date() != resolved.created_at.date())
    side = desk.a if resolved.client_id == desk.a.client.pk else desk.b
    other = desk.a if still_l1.client_id == desk.a.client.pk else desk.b
    time_machine.move_to(T0 + dt.timedelta(days=6), tick=False)
    services.reopen(side.requester, resolved.pk, reason="Back again, days later")
    services.escalate(other.l1, still_l1.pk, to_level_id=desk.levels["L2"].pk,
                      handoff=full_handoff())
    services.log_work(other.l2, still_l1.pk, minutes=45)
    assert jobs.refresh_facts() == 2
    assert TicketFacts.objects.get(pk=resolved.pk).reopens >= 1
    assert "|L2|" in TicketFacts.objects.get(pk=still_l1.pk).levels
    _check_all(desk, admin, monkeypatch)
    kept = _rows()
    rollups.rebuild()
    assert _rows() == kept  # the worker's days equal a full rebuild
    with connection.cursor() as cursor:
        rollups.refresh_days(cursor, [DAY, DAY + dt.timedelta(days=1)])
    assert _rows() == kept  # and a day refreshed again gives the same rows


def test_periods_are_desk_days_whatever_the_readers_zone(random_desk, desk, settings):
    from django.utils import timezone

    _, admin = random_desk
    flt = ReportFilter(start=DAY, end=DAY + dt.timedelta(days=1))
    desk_day = selectors.tiers(admin, flt)
    with timezone.override("Pacific/Auckland"):
        assert selectors.check(admin, flt).rollups
        assert selectors.tiers(admin, flt) == desk_day
    assert not selectors.check(admin, ReportFilter(group_id=desk.groups["net"].pk)).rollups


def test_before_the_first_build_reports_read_the_facts_and_the_worker_builds(desk, history):
    admin = User.objects.create_user("admin@desk.test", "x", role=Role.ADMIN, full_name="Ad")
    assert not rollups.built() and not selectors.check(admin, ReportFilter()).rollups
    facts_only = selectors.tiers(admin, ReportFilter())
    jobs.refresh_facts()
    assert rollups.built() and selectors.check(admin, ReportFilter()).rollups
    assert selectors.tiers(admin, ReportFilter()) == facts_only
