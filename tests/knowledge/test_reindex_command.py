"""``palier kb reindex`` rebuilds the index; bad arguments fail with a message."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from palier.knowledge import selectors


def test_reindex_rebuilds_a_lost_full_text_index(desk, publish, capsys):
    publish(desk.a.l2, title="Printer jam")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE knowledge_searchdocument SET tsv = NULL")
        else:
            cursor.execute("DELETE FROM knowledge_fts")
    assert selectors.search(desk.a.l1, "printer jam").hits == []
    call_command("kb", "reindex")
    assert "Reindexed 1 article(s)." in capsys.readouterr().out
    assert [h.article.title for h in selectors.search(desk.a.l1, "printer jam").hits] == [
        "Printer jam"]


def test_reindex_refuses_a_bad_batch(db):
    with pytest.raises(CommandError):
        call_command("kb", "reindex", "--batch", "0")
