"""The vector index's approximate search (faiss codes) above its threshold: it finds what
scoring every row finds, follows upserts and removes at once, and never shows a row the
viewer may not see."""

from __future__ import annotations

import numpy as np
import pytest

from palier.knowledge import vectors
from palier.knowledge.vectors import Rows, VectorIndex, Viewer

DIMENSIONS, PARTS, ARTICLES = 32, 2, 3000
MANAGER = Viewer(public_only=False, max_rank=3, client_ids=frozenset({5, 6}))


def _unit(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)).astype(np.float32)


def _corpus(seed: int = 0, count: int = ARTICLES) -> tuple[Rows, np.ndarray, np.ndarray]:
    """Articles on 60 topics (each part near its topic's centre) and queries near topics."""
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((60, DIMENSIONS)))
    topic = rng.integers(0, 60, count)
    parts = _unit(centres[topic][:, None, :] + 0.1 * rng.standard_normal(
        (count, PARTS, DIMENSIONS)))
    ids = np.arange(1, count + 1, dtype=np.int64) * 3  # ids are not row numbers
    rows = Rows(ids=ids, public=rng.random(count) < 0.6,
                min_rank=rng.integers(1, 4, count).astype(np.int16),
                client=rng.choice([vectors.SHARED, 5, 6, 7], count),
                category=rng.integers(1, 4, count))
    rows.min_rank[rows.public] = 0
    queries = _unit(centres[rng.integers(0, 60, 60)] + 0.1 * rng.standard_normal(
        (60, DIMENSIONS)))
    return rows, parts.reshape(count, PARTS * DIMENSIONS), queries


def _pair(count: int = ARTICLES) -> tuple[VectorIndex, VectorIndex, np.ndarray]:
    """The same rows in an approximate index (threshold lowered) and an exact one."""
    rows, matrix, queries = _corpus(count=count)
    approximate = VectorIndex(DIMENSIONS, PARTS, approximate_from=1000)
    exact = VectorIndex(DIMENSIONS, PARTS, approximate_from=10**9)
    for index in (approximate, exact):
        index.upsert(rows, matrix)
    assert approximate.approximate is not None and exact.approximate is None
    return approximate, exact, queries


def _ids(found: list[tuple[int, float]]) -> list[int]:
    return [pk for pk, _ in found]


def _recall(approximate: VectorIndex, exact: VectorIndex, queries: np.ndarray,
            who: Viewer, k: int = 10) -> float:
    hits = [len(set(_ids(approximate.top(q, who, k))) & set(_ids(exact.top(q, who, k))))
            for q in queries]
    return sum(hits) / (k * len(queries))


def test_below_the_threshold_no_codes_are_built():
    rows, matrix, _ = _corpus(count=500)
    index = VectorIndex(DIMENSIONS, PARTS, approximate_from=1000)
    index.upsert(rows, matrix)
    assert index.approximate is None


def test_approximate_top_agrees_with_scoring_every_row():
    approximate, exact, queries = _pair()
    assert _recall(approximate, exact, queries, MANAGER) >= 0.99
    query = queries[0]
    found, truth = approximate.top(query, MANAGER, 10), exact.top(query, MANAGER, 10)
    scores = dict(truth)
    # Candidates are re-scored from the float32 matrix: the exact cosine, best first.
    assert all(score == pytest.approx(scores[pk], abs=1e-6)
               for pk, score in found if pk in scores)
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert approximate.top(query, MANAGER, 10, exact=True) == truth


def test_an_article_scores_its_best_part():
    approximate, _, queries = _pair()
    query = queries[3]
    best_pk, score = approximate.top(query, MANAGER, 1)[0]
    row = int(np.flatnonzero(approximate.rows.ids == best_pk)[0])
    parts = approximate.matrix[row].reshape(PARTS, DIMENSIONS) @ query
    assert score == pytest.approx(float(parts.max()), abs=1e-6)


def test_upsert_and_remove_are_seen_at_once():
    approximate, exact, queries = _pair()
    query = queries[5]
    # A new article identical to the query, then an existing one moved onto the query.
    new = Rows(np.array([10**6]), np.array([True]), np.array([0], np.int16),
               np.array([vectors.SHARED]), np.array([1]))
    moved_pk = int(approximate.rows.ids[-1])
    moved = Rows(np.array([moved_pk]), np.array([True]), np.array([0], np.int16),
                 np.array([vectors.SHARED]), np.array([1]))
    for index in (approximate, exact):
        index.upsert(new, np.tile(query, PARTS)[None, :])
        index.upsert(moved, np.tile(_unit(query + 0.01), PARTS)[None, :])
    top = _ids(approximate.top(query, MANAGER, 2))
    assert top == [10**6, moved_pk] == _ids(exact.top(query, MANAGER, 2))
    for index in (approximate, exact):
        index.remove(np.array([10**6]))
    assert 10**6 not in _ids(approximate.top(query, MANAGER, 10))
    assert _ids(approximate.top(query, MANAGER, 1)) == [moved_pk]
    assert len(approximate.approximate) == len(approximate) * PARTS
    assert _recall(approximate, exact, queries, MANAGER) >= 0.99


@pytest.mark.parametrize("who", [
    Viewer(public_only=True, max_rank=0, client_ids=frozenset({5})),  # a requester
    Viewer(public_only=False, max_rank=1, client_ids=frozenset({5, 6})),  # level 1
    Viewer(public_only=False, max_rank=3, client_ids=frozenset({5, 6, 7}), audience="internal"),
    Viewer(public_only=False, max_rank=3, client_ids=frozenset({5, 6, 7}), category_id=2),
])
def test_visibility_is_exact(who):
    approximate, exact, queries = _pair()
    allowed = set(approximate.rows.ids[approximate.mask(who)].tolist())
    for query in queries[:20]:
        found = _ids(approximate.top(query, who, 30))
        assert found and set(found) <= allowed
    assert _recall(approximate, exact, queries, who) >= 0.99


def test_a_small_visible_share_scores_its_rows_exactly(monkeypatch):
    approximate, exact, queries = _pair()
    monkeypatch.setattr(approximate.approximate, "candidates", _never)
    one_client = Viewer(public_only=False, max_rank=3, client_ids=frozenset({7}),
                        category_id=1)
    assert approximate.mask(one_client).mean() < 0.25
    for query in queries[:10]:
        assert approximate.top(query, one_client, 10) == exact.top(query, one_client, 10)


def test_codes_follow_the_size():
    approximate, _, _ = _pair()
    codes = approximate.approximate
    approximate.remove(approximate.rows.ids[:2000])  # 1,000 left: still above half
    assert approximate.approximate is codes and len(codes) == 1000 * PARTS
    approximate.remove(approximate.rows.ids[:600])  # 400 left: below half the threshold
    assert approximate.approximate is None


def test_too_few_visible_candidates_fall_back_to_every_row(monkeypatch):
    approximate, exact, queries = _pair()
    requester = Viewer(public_only=True, max_rank=0, client_ids=frozenset({5, 6, 7}))
    hidden = approximate.rows.ids[~approximate.mask(requester)]
    monkeypatch.setattr(approximate.approximate, "candidates", lambda query, count: hidden)
    assert approximate.top(queries[0], requester, 10) == exact.top(queries[0], requester, 10)


def test_the_memory_index_uses_the_threshold_setting(monkeypatch):
    monkeypatch.setattr(vectors, "APPROXIMATE_FROM", 10)
    assert VectorIndex(DIMENSIONS, PARTS).approximate_from == 10


def _never(*args, **kwargs):
    raise AssertionError("the approximate lists were searched")


@pytest.fixture
def approximate_from_three(monkeypatch):
    """Every process index of three articles or more searches its codes."""
    from palier.knowledge import index

    monkeypatch.setattr(vectors, "APPROXIMATE_FROM", 3)
    monkeypatch.setattr(index, "memory", index.Memory())


def test_search_through_the_codes_follows_visibility_edits_and_retirement(
        desk, publish, model, approximate_from_three, django_capture_on_commit_callbacks):
    from palier.knowledge import index, selectors, services

    a = desk.a
    l2_only = publish(a.l2, title="Rebuild the IKE cache", audience="internal",
                      min_level_id=desk.levels["L2"].pk, body="Internal VPN procedure.")
    publish(a.l2, title="VPN first checks", audience="internal",
            min_level_id=desk.levels["L1"].pk, body="Level one VPN checklist.")
    shared = publish(a.l2, title="Connect to the VPN", audience="public",
                     body="Open the VPN app and sign in.")
    publish(a.l2, title="Acme VPN portal", audience="public", client_id=a.client.pk,
            body="Acme VPN address and steps.")
    publish(desk.b.l2, desk.b.manager, title="Durand VPN portal", audience="public",
            client_id=desk.b.client.pk, body="Durand VPN address and steps.")

    def semantic(actor, query):
        return [h.article.title for h in selectors.search(actor, query, mode="semantic").hits]

    assert "Rebuild the IKE cache" in semantic(a.l2, "IKE cache")
    assert index.memory.vectors.approximate is not None
    assert set(semantic(a.requester, "VPN")) == {"Connect to the VPN", "Acme VPN portal"}
    assert "Rebuild the IKE cache" not in semantic(a.l1, "IKE cache VPN")
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_article(a.l2, shared.pk, title="Printer jam",
                              body="Open the tray and remove the paper.")
    assert semantic(a.requester, "printer paper jam")[0] == "Printer jam"
    services.retire(a.l2, l2_only.pk)
    assert "Rebuild the IKE cache" not in semantic(a.l2, "IKE cache")
    assert len(index.memory.vectors.approximate) == 4 * index.PARTS
