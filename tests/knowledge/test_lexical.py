"""The in-memory BM25 index: FTS5's scores, updates, compaction and the visibility mask."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from palier.knowledge import lexical
from palier.knowledge.vectors import Rows, Viewer

EVERYONE = Viewer(public_only=False, max_rank=9, client_ids=frozenset({7}))
DOCS = {
    1: ("printer jam", "hardware", "open the tray and pull the sheet out of the printer"),
    2: ("vpn tunnel reset", "network", "restart the vpn client then clear the cache"),
    3: ("printer driver", "", "reinstall the driver the printer driver was updated"),
    4: ("mailbox quota", "mail", "archive old mail to free space in the mailbox"),
    5: ("calendar", "mail", "a shared calendar lives in a mailbox"),
}


def _rows(ids, public=True, min_rank=0, client=0) -> Rows:
    n = len(ids)
    return Rows(np.array(ids, np.int64), np.full(n, public), np.full(n, min_rank, np.int16),
                np.full(n, client, np.int64), np.zeros(n, np.int64))


def _index(docs=DOCS) -> lexical.LexicalIndex:
    index = lexical.LexicalIndex()
    index.upsert(_rows(list(docs)), ["\t".join(fields) for fields in docs.values()])
    return index


def test_scores_are_fts5_bm25_with_column_weights():
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(title, tags, body)")
        db.executemany("INSERT INTO t (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
                       [(pk, *fields) for pk, fields in DOCS.items()])
        expected = db.execute("SELECT rowid, -bm25(t, 10.0, 2.0, 1.0) FROM t "
                              "WHERE t MATCH '\"printer\" OR \"mailbox\" OR \"driver\"' "
                              "ORDER BY 2 DESC").fetchall()
    found = _index().top(["printer", "mailbox", "driver"], EVERYONE, 10)
    assert [pk for pk, _ in found] == [pk for pk, _ in expected]
    assert [score for _, score in found] == pytest.approx([s for _, s in expected], rel=1e-6)


def test_only_articles_holding_a_query_term_are_returned_and_limit_applies():
    index = _index()
    assert [pk for pk, _ in index.top(["vpn"], EVERYONE, 10)] == [2]
    assert len(index.top(["mail", "printer", "the"], EVERYONE, 2)) == 2
    assert index.top(["unknown"], EVERYONE, 10) == []


def test_a_new_version_replaces_the_old_one_and_removal_forgets():
    index = _index()
    index.upsert(_rows([2]), ["wifi access point\t\treboot the access point"])
    assert index.top(["vpn"], EVERYONE, 10) == []
    assert [pk for pk, _ in index.top(["wifi"], EVERYONE, 10)] == [2]
    index.remove([2, 99])
    assert index.top(["wifi"], EVERYONE, 10) == [] and len(index) == 4


def test_compaction_keeps_the_same_ranking(monkeypatch):
    monkeypatch.setattr(lexical, "COMPACT_MIN", 2)
    monkeypatch.setattr(lexical, "COMPACT_SHARE", 0.0)
    reference = _index().top(["printer", "mail", "vpn"], EVERYONE, 10)
    index = lexical.LexicalIndex()
    for pk, fields in DOCS.items():  # one by one: compacts several times, slots renumbered
        index.upsert(_rows([pk]), ["stale words\t\t"])
        index.upsert(_rows([pk]), ["\t".join(fields)])
    assert index.top(["printer", "mail", "vpn"], EVERYONE, 10) == reference
    assert index.top(["stale"], EVERYONE, 10) == []


def test_visibility_mask_applies_to_full_text():
    index = lexical.LexicalIndex()
    index.upsert(_rows([1]), ["printer\t\t"])
    index.upsert(_rows([2], public=False, min_rank=2), ["printer firmware\t\t"])
    index.upsert(_rows([3], client=8), ["printer other client\t\t"])
    l1 = Viewer(public_only=False, max_rank=1, client_ids=frozenset({7}))
    requester = Viewer(public_only=True, max_rank=0, client_ids=frozenset({8}))
    assert {pk for pk, _ in index.top(["printer"], l1, 10)} == {1}
    assert {pk for pk, _ in index.top(["printer"], requester, 10)} == {1, 3}


def test_document_terms_keep_fields_apart_and_stem_by_language():
    stored = lexical.document_terms("Resetting passwords", ["Mail"], "word " * 400, "en")
    title, tags, body = stored.split(lexical.FIELD_SEPARATOR)
    assert title == "reset password" and tags == "mail"
    assert len(body.split()) == lexical.BODY_WORDS
