"""Pure pieces: fusion, metrics and the vector index's visibility mask."""

from __future__ import annotations

import numpy as np

from palier.knowledge import ranking
from palier.knowledge.vectors import Rows, VectorIndex, Viewer


def test_weighted_fusion_mixes_normalised_scores():
    fused = ranking.weighted([(1, 10.0), (2, 5.0)], [(2, 0.9), (3, 0.8)], 0.5)
    assert [key for key, _ in fused] == [2, 1, 3]
    assert dict(fused)[2] == 0.5 * 0.9 + 0.5 * 0.5


def test_reciprocal_rank_fusion_and_metrics():
    assert ranking.reciprocal_rank([(1, 0), (2, 0)], [(2, 0), (3, 0)])[0][0] == 2
    assert ranking.reciprocal_rank_at([5, 7, 9], 7) == 0.5
    assert ranking.reciprocal_rank_at([5, 7, 9], 4) == 0.0
    assert ranking.hit_at([5, 7], 7, 1) == 0.0 and ranking.hit_at([5, 7], 7, 5) == 1.0
    assert ranking.percentile([1, 2, 3, 4], 50) == 2


def _index() -> VectorIndex:
    index = VectorIndex(2)
    rows = Rows(ids=np.array([1, 2, 3, 4]), public=np.array([True, False, False, True]),
                min_rank=np.array([0, 1, 2, 0], np.int16), client=np.array([0, 0, 0, 7]),
                category=np.array([0, 0, 0, 0]))
    index.replace(rows, np.array([[1, 0], [0.9, 0.1], [0.8, 0.2], [0.7, 0.3]], np.float32))
    return index


def test_mask_follows_audience_level_and_client():
    index = _index()
    l1 = Viewer(public_only=False, max_rank=1, client_ids=frozenset())
    assert [k for k, _ in index.top(np.array([1, 0], np.float32), l1, 10)] == [1, 2]
    requester = Viewer(public_only=True, max_rank=0, client_ids=frozenset({7}))
    assert [k for k, _ in index.top(np.array([1, 0], np.float32), requester, 10)] == [1, 4]


def test_upsert_and_remove_rows():
    index = _index()
    index.remove(np.array([1]))
    assert len(index) == 3
    index.upsert(Rows(np.array([2]), np.array([True]), np.array([0], np.int16),
                      np.array([0]), np.array([0])), np.array([[0, 1]], np.float32))
    who = Viewer(public_only=True, max_rank=0, client_ids=frozenset())
    assert index.top(np.array([0, 1], np.float32), who, 1)[0][0] == 2
