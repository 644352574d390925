"""Grouping similar incidents into suggested problem clusters; pure (NumPy, no ORM)."""

from __future__ import annotations

import numpy as np


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
    """Pairwise Jaccard similarity of word sets (the fallback without a model)."""
    count = len(term_sets)
    matrix = np.eye(count, dtype=np.float32)
    for i in range(count):
        for j in range(i + 1, count):
            a, b = term_sets[i], term_sets[j]
            matrix[i, j] = matrix[j, i] = len(a & b) / len(a | b) if a and b else 0.0
    return matrix
