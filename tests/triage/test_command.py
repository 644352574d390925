"""``palier triage train|evaluate|explain``."""

from __future__ import annotations

import csv
import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from palier.triage.learning.text import join
from palier.triage.models import TriageModelVersion
from palier.triage.services import training
from tests.triage.conftest import configure, history
from tests.triage.test_learning import corpus


def _run(*args) -> str:
    out = StringIO()
    call_command("triage", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def data_file(tmp_path):
    texts, labels = corpus(150)
    path = tmp_path / "tickets.csv"
    rng = random.Random(0)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Short description", "Description", "Assignment group"])
        for text, label in zip(texts, labels, strict=True):
            writer.writerow([text.split()[0], f"{text}\nsecond line {rng.random()}", label])
    return path


def test_evaluate_prints_every_figure_as_json_and_draws_the_matrix(data_file, tmp_path):
    image = tmp_path / "confusion.png"
    figures = json.loads(_run("evaluate", "--data", str(data_file), "--text",
                              "Short description,Description", "--label", "Assignment group",
                              "--folds", "3", "--json", "--image", str(image)))
    assert {"accuracy", "macro_f1", "weighted_f1", "top3_accuracy", "auto_routing", "curve",
            "per_class", "confusion"} <= set(figures)
    assert figures["tickets"] == 150 and figures["accuracy"] > 0.9
    assert figures["confusion"]["labels"] and len(figures["confusion"]["matrix"]) == 3
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_as_text_and_on_a_test_file(data_file):
    text = _run("evaluate", "--data", str(data_file), "--text", "Description", "--label",
                "Assignment group", "--test", str(data_file))
    for figure in ("accuracy", "macro-F1", "weighted-F1", "top-3", "auto-routing",
                   "confusion matrix", "threshold  coverage  accuracy"):
        assert figure in text


@pytest.mark.parametrize("args,message", [
    (["--text", "Nope", "--label", "Assignment group"], "no column Nope"),
    (["--text", "Description", "--label", "Assignment group", "--folds", "1"], "--folds"),
    (["--text", ",", "--label", "Assignment group"], "at least one column"),
])
def test_evaluate_refuses_bad_input(data_file, args, message):
    with pytest.raises(CommandError, match=message):
        _run("evaluate", "--data", str(data_file), *args)


def test_evaluate_learns_the_requester_column_when_named(tmp_path):
    path = tmp_path / "callers.csv"
    rng = random.Random(1)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Description", "Caller", "Assignment group"])
        for _ in range(120):  # the same words: only the caller tells the groups apart
            caller = rng.choice(["ana", "bob"])
            writer.writerow([f"printer jam {rng.randint(1, 9)}", caller, f"grp-{caller}"])
    args = ["evaluate", "--data", str(path), "--text", "Description", "--label",
            "Assignment group", "--folds", "3", "--json"]
    assert json.loads(_run(*args, "--requester", "Caller"))["accuracy"] == 1.0
    assert json.loads(_run(*args))["accuracy"] < 0.8
    with pytest.raises(CommandError, match="no column Who"):
        _run(*args, "--requester", "Who")


def test_evaluate_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("evaluate", "--data", str(tmp_path / "none.csv"), "--text", "a", "--label", "b")


def test_train_says_when_there_are_too_few_tickets(desk):
    assert "triage needs at least 200" in _run("train")
    assert TriageModelVersion.objects.get().status == "skipped"


def test_train_then_explain(desk):
    configure(min_tickets=20)
    history(desk)
    assert "Model v1" in _run("train")
    ticket = desk.open(desk.a, title="vpn tunnel timeout", description="anyconnect vpn",
                       category_id=None)
    out = _run("explain", ticket.number)
    assert f"{ticket.number} (model v1)" in out
    assert "category: Network > VPN" in out and "why:" in out and "vpn" in out


def test_explain_an_unknown_ticket_or_without_a_model(desk):
    with pytest.raises(CommandError, match="not found"):
        _run("explain", "INC-999999")
    ticket = desk.open(desk.a)
    with pytest.raises(CommandError, match="No triage model"):
        _run("explain", str(ticket.pk))


def test_training_reads_only_the_newest_resolved_tickets(desk, monkeypatch):
    """A desk's size never makes training unbounded: it learns from the newest ones."""
    configure(min_tickets=20)
    made = history(desk)
    monkeypatch.setattr(training, "TRAINING_TICKETS", 30)
    assert "from 30 tickets" in _run("train")
    assert TriageModelVersion.objects.get().tickets == 30
    newest = sorted(t.pk for t in made)[-30:]
    assert training.dataset(30).texts == [
        join([t.title, t.description]) for t in sorted(
            (t for t in made if t.pk in newest), key=lambda t: -t.pk)]
