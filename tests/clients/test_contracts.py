"""Clients and their contracts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from palier.clients.models import (
    DEFAULT_RESOLUTION_MINUTES,
    DEFAULT_RESPONSE_MINUTES,
    Client,
    Contract,
)


@pytest.fixture
def client_(db) -> Client:
    return Client.objects.create(name="Acme Logistics", code="acme")


def _contract(client, **kwargs) -> Contract:
    return Contract(client=client, name="Standard", starts_on=dt.date(2025, 1, 1), **kwargs)


def test_a_contract_has_the_default_targets(client_):
    contract = _contract(client_)
    contract.full_clean()
    assert contract.response_minutes == DEFAULT_RESPONSE_MINUTES
    assert contract.resolution_minutes == DEFAULT_RESOLUTION_MINUTES
    contract.response_minutes["P1"] = 1
    assert DEFAULT_RESPONSE_MINUTES["P1"] == 15  # each contract gets its own copy


@pytest.mark.parametrize("targets", [
    {"P1": 15, "P2": 60, "P3": 240},
    {"P1": 15, "P2": 60, "P3": 240, "P4": 480, "P5": 999},
    {"P1": 0, "P2": 60, "P3": 240, "P4": 480},
    {"P1": 15, "P2": "60", "P3": 240, "P4": 480},
    {"P1": 15, "P2": 60.5, "P3": 240, "P4": 480},
    [15, 60, 240, 480],
])
def test_targets_are_positive_minutes_for_each_priority(client_, targets):
    for field in ("response_minutes", "resolution_minutes"):
        with pytest.raises(ValidationError) as caught:
            _contract(client_, **{field: targets}).clean()
        assert field in caught.value.message_dict


def test_a_contract_cannot_end_before_it_starts(client_):
    with pytest.raises(IntegrityError):
        _contract(client_, ends_on=dt.date(2024, 12, 31)).save()


def test_client_codes_are_unique(client_):
    with pytest.raises(IntegrityError):
        Client.objects.create(name="Acme Two", code="acme")


def test_contracts_list_the_latest_first(client_):
    old = _contract(client_)
    old.save()
    new = Contract.objects.create(client=client_, name="Premium", starts_on=dt.date(2026, 1, 1))
    assert list(client_.contracts.all()) == [new, old]
    assert str(new) == "Acme Logistics · Premium"
