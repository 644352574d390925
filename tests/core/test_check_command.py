"""``palier check``: the desk's configuration as system checks."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from palier.accounts.models import Group, Level
from palier.clients.models import Client
from palier.tickets.checks import desk_configuration
from palier.tickets.models import Category, IntakeRule, PriorityRule


def _check() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _ids() -> set[str]:
    return {problem.id for problem in desk_configuration(databases=["default"])}


def test_a_configured_desk_is_ok(desk):
    out, _ = _check()
    assert "Palier configuration: OK" in out
    assert not {i for i in _ids() if ".E" in i}


def test_a_level_without_a_group_is_an_error(desk):
    Level.objects.create(code="L4", name="Vendor", rank=4)
    with pytest.raises(SystemCheckError, match="Level L4 has no support group"):
        _check()
    assert "palier.E002" in _ids()


def test_a_fresh_database_reports_every_level_without_a_group(db):
    with pytest.raises(SystemCheckError) as caught:
        _check()
    for code in ("L1", "L2", "L3"):
        assert f"Level {code} has no support group" in str(caught.value)


def test_no_level_at_all_is_an_error(db):
    Level.objects.all().delete()
    assert "palier.E001" in _ids()


def test_a_category_routed_to_a_group_of_another_level_is_an_error(desk):
    Category.objects.create(name="Printers", default_level=desk.levels["L1"],
                            default_group=desk.groups["net"])
    with pytest.raises(SystemCheckError, match="Category 'Printers' routes to Network"):
        _check()


def test_an_intake_rule_starting_in_a_group_of_another_level_is_an_error(desk):
    IntakeRule.objects.create(name="Odd rule", start_level=desk.levels["L3"],
                              start_group=desk.groups["sd"])
    with pytest.raises(SystemCheckError, match="Intake rule 'Odd rule' starts in Service Desk"):
        _check()


def test_warnings_do_not_fail_the_check(desk):
    PriorityRule.objects.filter(impact="low").delete()
    Client.objects.create(name="No Contract Ltd", code="nocontract")
    out, err = _check()
    assert "Palier configuration: OK" in out
    assert "6 of 9 cells" in err and "No Contract Ltd has no contract in force" in err
    assert {"palier.W001", "palier.W002"} <= _ids()


def test_an_expired_contract_is_not_in_force(desk, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False)
    desk.a.contract.ends_on = dt.date(2025, 5, 31)
    desk.a.contract.save()
    problems = [p.msg for p in desk_configuration(databases=["default"]) if p.id == "palier.W002"]
    assert problems == [
        f"Client {desk.a.client} has no contract in force; default targets apply."]


def test_an_agent_without_a_group_is_a_warning(desk):
    assert "palier.W003" in _ids()  # the managers belong to no group
    Group.objects.create(name="Managers", level=desk.levels["L1"]).agents.set(
        [desk.a.manager.agent, desk.b.manager.agent])
    assert "palier.W003" not in _ids()


def test_the_desk_checks_are_skipped_without_the_database():
    assert desk_configuration(databases=None) == []


def test_a_client_whose_contracts_are_all_past_or_future_has_none_in_force(desk, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False)
    desk.a.contract.ends_on = dt.date(2024, 12, 31)
    desk.a.contract.save()
    desk.a.client.contracts.create(name="Next", starts_on=dt.date(2026, 1, 1))
    problems = [p.msg for p in desk_configuration(databases=["default"]) if p.id == "palier.W002"]
    assert problems == [
        f"Client {desk.a.client} has no contract in force; default targets apply."]
