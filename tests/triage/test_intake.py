"""Intake with triage: apply or suggest per the desk's thresholds; never block intake."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from palier.tickets.models import EventKind, Ticket
from palier.triage.models import TicketPrediction, TriageModelVersion
from palier.triage.services import runtime, train
from tests.factories import kinds
from tests.triage.conftest import configure, history

VPN = dict(title="vpn tunnel disconnects", description="anyconnect remote access timeout vpn")


@pytest.fixture
def trained(desk):
    configure(min_tickets=20, category_threshold=0.5, group_threshold=0.5,
              priority_threshold=0.5)
    history(desk)
    version = train()
    assert version.status == "ready", version.message
    return version


def _open(desk, **kwargs):
    return desk.open(desk.a, **{**VPN, "category_id": None, **kwargs})


def test_confident_predictions_are_applied_and_journaled(desk, trained):
    ticket = _open(desk)
    assert ticket.category == desk.categories["vpn"]
    assert ticket.group == desk.groups["net"] and ticket.level.code == "L2"
    assert (ticket.impact, ticket.urgency) == ("medium", "high")
    event = ticket.events.get(kind=EventKind.TRIAGED)
    assert event.data["fields"] == ["category", "group", "priority"]
    assert event.data["model_version"] == trained.version
    assert all(c >= 0.5 for c in event.data["confidences"].values())
    assert set(TicketPrediction.objects.filter(ticket=ticket, applied=True)
               .values_list("field", flat=True)) == {"category", "group", "priority"}


def test_below_threshold_predictions_are_only_suggested(desk, trained):
    configure(category_threshold=1.0, group_threshold=1.0, priority_threshold=1.0)
    ticket = _open(desk)
    assert ticket.category is None and ticket.group == desk.groups["sd"]
    assert (ticket.impact, ticket.urgency) == ("medium", "medium")
    assert EventKind.TRIAGED not in kinds(ticket.pk)
    category = TicketPrediction.objects.get(ticket=ticket, field="category")
    assert not category.applied and category.value == str(desk.categories["vpn"].pk)
    assert len(category.suggestions) == 3
    assert category.suggestions[0]["value"] == category.value


def test_thresholds_apply_per_field(desk, trained):
    configure(category_threshold=0.5, group_threshold=1.0, priority_threshold=1.0)
    ticket = _open(desk)
    assert ticket.category == desk.categories["vpn"]
    assert ticket.group == desk.groups["sd"]  # the category's default, not the prediction
    assert ticket.events.get(kind=EventKind.TRIAGED).data["fields"] == ["category"]


def test_explicit_input_wins_over_predictions(desk, trained):
    ticket = _open(desk, category_id=desk.categories["password"].pk, impact="low",
                   urgency="low")
    assert ticket.category == desk.categories["password"]
    assert (ticket.impact, ticket.urgency) == ("low", "low")
    applied = set(TicketPrediction.objects.filter(ticket=ticket, applied=True)
                  .values_list("field", flat=True))
    assert applied == {"group"}


def test_intake_rules_take_precedence_over_the_predicted_group(desk, trained):
    ticket = _open(desk, title="phishing ransomware infected", description="malware virus",
                   impact="high", urgency="high")  # P1: the rule sends it to L2 / Network
    assert ticket.priority == "P1"
    assert ticket.group == desk.groups["net"]
    group = TicketPrediction.objects.get(ticket=ticket, field="group")
    assert group.value == str(desk.groups["infra"].pk) and not group.applied


def test_a_missing_model_file_never_blocks_intake(desk, trained, caplog):
    (Path(settings.DATA_DIR) / "triage" / trained.file).unlink()
    ticket = _open(desk)
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert ticket.category is None and not TicketPrediction.objects.filter(ticket=ticket)
    assert "unusable" in caplog.text


def test_a_corrupt_model_file_never_blocks_intake(desk, trained, caplog):
    path = Path(settings.DATA_DIR) / "triage" / trained.file
    path.write_bytes(path.read_bytes()[:200])
    ticket = _open(desk)
    assert ticket.pk and ticket.category is None
    assert not TicketPrediction.objects.filter(ticket=ticket).exists()
    assert "checksum" in caplog.text


def test_a_model_that_fails_at_prediction_never_blocks_intake(desk, trained, monkeypatch):
    loaded = runtime.current()

    def broken(*_args):
        raise MemoryError("boom")

    monkeypatch.setattr(loaded.model, "predict_one", broken)
    ticket = _open(desk)
    assert ticket.pk and not TicketPrediction.objects.filter(ticket=ticket).exists()


def test_triage_turned_off_predicts_nothing(desk, trained, settings):
    configure(enabled=False)
    assert not TicketPrediction.objects.filter(ticket=_open(desk)).exists()
    configure(enabled=True)
    settings.PALIER_TRIAGE = False
    assert not TicketPrediction.objects.filter(ticket=_open(desk)).exists()


def test_without_a_model_intake_works_as_before(desk):
    ticket = _open(desk)
    assert ticket.category is None and (ticket.impact, ticket.urgency) == ("medium", "medium")
    assert not TriageModelVersion.objects.exists()
    assert kinds(ticket.pk) == [EventKind.CREATED]


def test_a_newer_model_version_is_picked_up(desk, trained):
    first = runtime.current()
    assert first.version == trained.version
    newer = train()
    assert runtime.current().version == newer.version > first.version


def test_the_requester_is_part_of_the_prediction(desk):
    """Same words, different requesters, different groups: the requester's e-mail reaches
    the model at intake (and intake still works without it, see the tests above)."""
    configure(min_tickets=20, category_threshold=1.0, group_threshold=1.0,
              priority_threshold=1.0)
    tickets = history(desk)
    password = [t for t in tickets if t.category_id == desk.categories["password"].pk]
    for ticket in password:
        side = desk.a if ticket.requester_id == desk.a.requester.pk else desk.b
        Ticket.objects.filter(pk=ticket.pk).update(
            group=desk.groups["apps" if side is desk.a else "sd"])
    assert train().status == "ready"
    words = dict(title="password reset locked", description="forgot login expired")
    predicted = {}
    for side in (desk.a, desk.b):
        ticket = desk.open(side, category_id=None, **words)
        group = TicketPrediction.objects.get(ticket=ticket, field="group")
        predicted[side.client.code] = group.value
    assert predicted == {"acme": str(desk.groups["apps"].pk),
                         "durand": str(desk.groups["sd"].pk)}


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_while_storing_predictions_fails_the_intake(desk, trained,
                                                                      monkeypatch):
    """Regression: the savepoint's rollback failed, Django rolled the whole intake back
    silently and ``open_ticket`` returned a ticket that was never stored (a 201 for nothing)."""
    from django.db import OperationalError, connection

    from palier.triage.services import intake as triage_intake

    def lost(*_args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(triage_intake, "_store", lost)
    monkeypatch.setattr(connection, "savepoint_rollback", lost)
    before = Ticket.objects.count()
    with pytest.raises(OperationalError):
        _open(desk)
    monkeypatch.undo()
    assert Ticket.objects.count() == before
