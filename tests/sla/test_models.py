"""SLA models: validation, constraints, and the pure values they give."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from palier.accounts.models import Level
from palier.clients.models import Client, Contract
from palier.sla.models import (
    Calendar,
    CalendarException,
    ExceptionKind,
    OlaTarget,
    SlaPolicy,
)

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture
def contract() -> Contract:
    client = Client.objects.create(name="Acme Logistics", code="acme")
    return Contract.objects.create(client=client, name="Standard", starts_on=dt.date(2025, 1, 1))


@pytest.fixture
def calendar() -> Calendar:
    return Calendar.objects.create(name="Paris office", timezone="Europe/Paris",
                                   holiday_country="FR")


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_valid_calendar_passes_validation(calendar: Calendar) -> None:
    calendar.full_clean()


@pytest.mark.parametrize(("field", "value", "error_field"), [
    ("timezone", "Europe/Parsi", "timezone"),
    ("weekly_hours", {"mon": [["09:00", "25:00"]]}, "weekly_hours"),
    ("weekly_hours", {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}, "weekly_hours"),
    ("weekly_hours", {"someday": [["09:00", "17:00"]]}, "weekly_hours"),
    ("weekly_hours", {}, "weekly_hours"),
    ("holiday_subdivision", "XX", "holiday_subdivision"),
    ("holiday_country", "ZZ", "holiday_country"),
])
def test_bad_calendars_are_refused(calendar: Calendar, field: str, value, error_field: str
                                   ) -> None:
    setattr(calendar, field, value)
    assert error_field in errors_of(calendar)


def test_a_24x7_calendar_needs_no_hours(calendar: Calendar) -> None:
    calendar.weekly_hours, calendar.is_24x7 = {}, True
    calendar.full_clean()
    value = calendar.to_value()
    assert value.is_24x7 and value.tz == "Europe/Paris"


def test_calendar_value_carries_hours_holidays_and_exceptions(calendar: Calendar) -> None:
    start = dt.datetime(2025, 6, 16, 7, tzinfo=UTC)  # Monday 09:00 in Paris
    CalendarException.objects.create(calendar=calendar, starts_at=start, ends_at=start + H,
                                     kind=ExceptionKind.CLOSURE, reason="fire drill")
    CalendarException.objects.create(calendar=calendar, starts_at=start + 5 * 24 * H,
                                     ends_at=start + 5 * 24 * H + 2 * H,
                                     kind=ExceptionKind.OPENING)
    value = calendar.to_value()
    assert value.holiday_country == "FR" and value.name == "Paris office"
    assert [p.reason for p in value.closures] == ["fire drill"] and len(value.openings) == 1
    assert value.week[0] == ((540, 750), (810, 1080))
    assert value.between(start, start + 2 * H) == H  # 10:00–11:00 Paris, after the drill


def test_exception_must_end_after_it_starts(calendar: Calendar) -> None:
    start = dt.datetime(2025, 6, 16, 9, tzinfo=UTC)
    exception = CalendarException(calendar=calendar, starts_at=start, ends_at=start)
    assert "ends_at" in errors_of(exception)
    with pytest.raises(IntegrityError), transaction.atomic():
        exception.save()


def test_policy_validation(contract: Contract, calendar: Calendar) -> None:
    policy = SlaPolicy(name="Gold", contract=contract, calendar=calendar)
    policy.full_clean()
    policy.resolution_minutes = {"P1": 60, "P2": 120, "P3": 240}
    policy.response_minutes = {"P1": 0, "P2": 60, "P3": 240, "P4": 480}
    policy.warning_thresholds = [75, 75]
    assert set(errors_of(policy)) == {"resolution_minutes", "response_minutes",
                                      "warning_thresholds"}
    policy.warning_thresholds = [0]
    assert "warning_thresholds" in errors_of(policy)


def test_one_active_policy_per_contract(contract: Contract, calendar: Calendar) -> None:
    SlaPolicy.objects.create(name="Gold", contract=contract, calendar=calendar)
    SlaPolicy.objects.create(name="Old", contract=contract, calendar=calendar, is_active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlaPolicy.objects.create(name="Silver", contract=contract, calendar=calendar)


def test_policy_value_with_ola_targets(contract: Contract, calendar: Calendar) -> None:
    policy = SlaPolicy.objects.create(name="Gold", contract=contract, calendar=calendar,
                                      pause_on_pending_vendor=True, warning_thresholds=[50])
    levels = {lv.code: lv for lv in Level.objects.all()}
    OlaTarget.objects.create(policy=policy, level=levels["L1"], minutes=120)
    OlaTarget.objects.create(policy=policy, level=levels["L2"], minutes=480)
    with pytest.raises(IntegrityError), transaction.atomic():
        OlaTarget.objects.create(policy=policy, level=levels["L1"], minutes=60)
    value = policy.to_value()
    assert value.ola == {"L1": 2 * H, "L2": 8 * H}
    assert value.resolution["P1"] == 4 * H and value.response["P4"] == 8 * H
    assert value.pause_on_pending_vendor and value.warning_thresholds == (50,)
    assert value.calendar.tz == "Europe/Paris"
