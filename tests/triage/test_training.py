"""Training: minimum history, versioned files, corrections learned, one worker trains."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine
from django.conf import settings

from palier.tickets import services
from palier.triage.models import ModelStatus, TriageModelVersion, TriageSettings
from palier.triage.services import retrain_if_due, runtime, train
from tests.triage.conftest import configure, history

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _predicted(text: str, field: str) -> str:
    return runtime.current().model.predict([text])[0][field].label


def test_too_few_tickets_trains_nothing_and_says_so(desk):
    configure(min_tickets=500)
    history(desk, per_topic=3)
    result = train()
    assert result.status == ModelStatus.SKIPPED and result.file == ""
    assert "Only 12 resolved tickets" in result.message and "500" in result.message
    assert runtime.current() is None


def test_training_writes_a_versioned_checksummed_file(desk):
    configure(min_tickets=20)
    history(desk)
    first, second = train(), train()
    assert (first.version, second.version) == (1, 2)
    for version in (first, second):
        path = Path(settings.DATA_DIR) / "triage" / version.file
        assert path.exists() and len(version.sha256) == 64
    assert first.fields["category"]["classes"] == 4 and first.tickets == 48


def test_corrections_are_learned_on_retraining(desk):
    configure(min_tickets=20)
    tickets = history(desk)
    train()
    text = "vpn tunnel anyconnect timeout"
    assert _predicted(text, "category") == str(desk.categories["vpn"].pk)
    # Agents correct every VPN ticket: it is a Network matter for Application Support.
    vpn = [t for t in tickets if t.category_id == desk.categories["vpn"].pk]
    for ticket in vpn:
        services.classify(desk.a.manager if ticket.client == desk.a.client else desk.b.manager,
                          ticket.pk, category_id=desk.categories["network"].pk)
    type(vpn[0]).objects.filter(pk__in=[t.pk for t in vpn]).update(group=desk.groups["apps"])
    train()
    assert _predicted(text, "category") == str(desk.categories["network"].pk)
    assert _predicted(text, "group") == str(desk.groups["apps"].pk)


def test_the_worker_trains_when_due_and_only_one_claims_it(desk):
    configure(min_tickets=20, retrain_hours=24)
    history(desk)
    with time_machine.travel(T0, tick=False):
        TriageSettings.objects.filter(pk=1).update(training_claimed_until=T0 +
                                                   dt.timedelta(minutes=5))
        assert retrain_if_due() == 0  # another worker holds the lease
        TriageSettings.objects.filter(pk=1).update(training_claimed_until=None)
        assert retrain_if_due() == 1
        assert retrain_if_due() == 0  # not due again before 24 hours
    config = TriageSettings.objects.get(pk=1)
    assert config.next_training_at == T0 + dt.timedelta(hours=24)
    assert config.training_claimed_until is None
    assert TriageModelVersion.objects.filter(status=ModelStatus.READY).count() == 1
    with time_machine.travel(T0 + dt.timedelta(hours=25), tick=False):
        assert retrain_if_due() == 1


def test_the_worker_does_nothing_when_triage_is_off(desk, settings):
    settings.PALIER_TRIAGE = False
    assert retrain_if_due() == 0
    assert not TriageModelVersion.objects.exists()
