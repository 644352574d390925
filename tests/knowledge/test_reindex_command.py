"""``palier kb reindex`` rebuilds the index; bad arguments fail with a message."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from palier.knowledge import index, selectors
from palier.knowledge.models import SearchDocument


def test_reindex_rebuilds_a_lost_full_text_index(desk, publish, capsys, monkeypatch):
    publish(desk.a.l2, title="Printer jam")
    SearchDocument.objects.update(terms="")
    monkeypatch.setattr(index, "memory", index.Memory())  # a process started afterwards
    assert selectors.search(desk.a.l1, "printer jam").hits == []
    call_command("kb", "reindex")
    assert "Reindexed 1 article(s)." in capsys.readouterr().out
    assert [h.article.title for h in selectors.search(desk.a.l1, "printer jam").hits] == [
        "Printer jam"]


def test_reindex_refuses_a_bad_batch(db):
    with pytest.raises(CommandError):
        call_command("kb", "reindex", "--batch", "0")


def test_prepare_says_when_the_model_is_off(db, settings):
    settings.PALIER_KB_MODEL = "off"
    with pytest.raises(CommandError, match="not ready"):
        call_command("kb", "prepare")


def test_prepare_reports_a_ready_model(db, settings, monkeypatch, capsys):
    settings.PALIER_KB_MODEL = "packaged"
    monkeypatch.setattr(index, "prepare_model", lambda: True)
    call_command("kb", "prepare")
    assert "ready" in capsys.readouterr().out
