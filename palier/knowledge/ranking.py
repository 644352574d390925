"""Fusing full-text and semantic rankings, and the retrieval metrics; no ORM.

Full-text scores (BM25 on SQLite, ``ts_rank_cd`` on PostgreSQL) are unbounded and
incomparable across databases, so each list is divided by its own best score; cosine
similarities are used as they are. The fused score is ``w · semantic + (1 − w) · full_text``
(weighted score fusion). Reciprocal rank fusion is kept for comparison: the benchmark prints
both and ``docs/adr/0007-knowledge-search.md`` records why the weight is what it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Ranked = list[tuple[int, float]]  # (article id, score), best first

SEMANTIC_WEIGHT = 0.9  # measured on StackFAQ (bench/kb_search.py --sweep); see ADR 0007
RRF_K = 60


def normalised(ranked: Ranked) -> dict[int, float]:
    """Scores divided by the best one (the best becomes 1.0)."""
    if not ranked:
        return {}
    top = max(score for _, score in ranked)
    if top <= 0:
        return dict.fromkeys((key for key, _ in ranked), 0.0)
    return {key: score / top for key, score in ranked}


def weighted(full_text: Ranked, semantic: Ranked, weight: float = SEMANTIC_WEIGHT) -> Ranked:
    """Weighted score fusion; an id missing from one list scores 0 there."""
    text = normalised(full_text)
    meaning = {key: max(score, 0.0) for key, score in semantic}
    keys = dict.fromkeys([*meaning, *text])
    fused = [(key, weight * meaning.get(key, 0.0) + (1 - weight) * text.get(key, 0.0))
             for key in keys]
    return sorted(fused, key=lambda item: (-item[1], item[0]))


def reciprocal_rank(*rankings: Ranked, k: int = RRF_K) -> Ranked:
    """Reciprocal rank fusion: Σ 1 / (k + rank)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (key, _) in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def reciprocal_rank_at(ranked: Sequence[int], relevant: int, k: int = 10) -> float:
    """1 / rank of the relevant id within the first ``k`` (0 when absent): MRR's term."""
    for rank, key in enumerate(ranked[:k], start=1):
        if key == relevant:
            return 1.0 / rank
    return 0.0


def hit_at(ranked: Sequence[int], relevant: int, k: int) -> float:
    """Recall@k for a query with one relevant article: 1 if it is in the first ``k``."""
    return 1.0 if relevant in ranked[:k] else 0.0


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank), e.g. ``percentile(latencies, 95)``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]
