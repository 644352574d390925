"""Grouping similar incidents into suggested problem clusters; pure (NumPy and SciPy, no
ORM)."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def greedy_clusters(similarity: np.ndarray, *, threshold: float,
                    min_size: int) -> list[list[int]]:
    """Row indices grouped around seeds: each unassigned row (in order) gathers the
    unassigned rows at least ``threshold`` similar to it; groups under ``min_size`` are
    dropped (their rows stay free for later seeds). Largest groups first."""
    count = similarity.shape[0]
    free = np.ones(count, bool)
    groups: list[list[int]] = []
    for seed in range(count):
        if not free[seed]:
            continue
        members = np.flatnonzero(free & (similarity[seed] >= threshold))
        if seed not in members:
            members = np.append(members, seed)
        if len(members) >= min_size:
            free[members] = False
            groups.append(sorted(int(m) for m in members))
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def jaccard_matrix(term_sets: list[set[str]]) -> np.ndarray:
    """Pairwise Jaccard similarity of word sets (the fallback without a model): 1 on the
    diagonal, 0 where either set is empty. One sparse product gives every intersection."""
    count = len(term_sets)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, terms in enumerate(term_sets):
        for term in terms:
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
    present = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, columns)),
                                shape=(count, max(len(vocabulary), 1)))
    shared = (present @ present.T).toarray()
    sizes = np.array([len(terms) for terms in term_sets], np.float32)
    union = sizes[:, None] + sizes[None, :] - shared
    matrix = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    np.fill_diagonal(matrix, 1.0)
    return matrix.astype(np.float32, copy=False)
