"""The per-process cache of stored policy versions never points a ticket at a missing row."""

from __future__ import annotations

import pytest
from django.db import transaction

from palier.core import cache
from palier.sla.models import PolicyVersion
from palier.sla.services import versions


@pytest.fixture
def cached_versions(settings):
    settings.PALIER_CONFIG_CACHE_SECONDS = 60
    versions.forget()
    cache._entries.clear()
    yield
    versions.forget()
    cache._entries.clear()


@pytest.mark.django_db(transaction=True)
def test_a_version_inserted_by_a_rolled_back_intake_is_inserted_again(desk, cached_versions):
    """Found by the load benchmark: two creates at once in one process, the second
    skipped the version insert that the first had made but not yet committed, and its
    ticket failed the foreign key at commit (HTTP 500). A rollback shows the same gap."""
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = desk.open(desk.a)
        raise RuntimeError("the request failed after intake")
    assert not PolicyVersion.objects.filter(pk=lost.sla_version_id).exists()

    ticket = desk.open(desk.a)  # the same contract, so the same version

    assert ticket.sla_version_id == lost.sla_version_id
    assert PolicyVersion.objects.filter(pk=ticket.sla_version_id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_version_is_not_inserted_again_within_the_ttl(
        cached_versions, django_assert_num_queries):
    with transaction.atomic():
        pk = versions.contract_version(None)
        with django_assert_num_queries(1):  # not committed yet: made sure of again
            assert versions.contract_version(None) == pk
    with django_assert_num_queries(0):  # committed: cached
        assert versions.contract_version(None) == pk
