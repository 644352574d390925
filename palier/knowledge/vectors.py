"""The in-memory semantic index: one float32 matrix of unit vectors and the metadata that
decides visibility, searched with NumPy; no ORM.

Rows are published articles. A search is one matrix-vector product over the rows the actor
may see (a boolean mask built from the metadata columns), then a partial sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHARED = 0  # client column value of an article shared by every client
NO_CATEGORY = 0


@dataclass(frozen=True)
class Viewer:
    """Who is searching, reduced to what the mask needs."""

    public_only: bool  # requesters: public articles only
    max_rank: int  # internal articles whose lowest level rank is at most this
    client_ids: frozenset[int]  # client-specific articles of these clients (plus shared)
    category_id: int | None = None
    audience: str | None = None  # "public" or "internal" filter


@dataclass
class Rows:
    """Column arrays, one entry per article."""

    ids: np.ndarray  # int64
    public: np.ndarray  # bool
    min_rank: np.ndarray  # int16 (0 for public articles)
    client: np.ndarray  # int64 (SHARED for shared articles)
    category: np.ndarray  # int64 (NO_CATEGORY when none)

    @classmethod
    def empty(cls) -> Rows:
        return cls(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, np.int16),
                   np.zeros(0, np.int64), np.zeros(0, np.int64))


def concatenate(first: Rows, second: Rows) -> Rows:
    return Rows(*(np.concatenate([a, b]) for a, b in
                  zip(_columns(first), _columns(second), strict=True)))


def visible(rows: Rows, who: Viewer) -> np.ndarray:
    """Which rows ``who`` may see (``selectors.visible_articles``'s rule, published rows)."""
    clients = np.fromiter(who.client_ids, np.int64, len(who.client_ids))
    seen = (rows.client == SHARED) | np.isin(rows.client, clients)
    if who.public_only or who.audience == "public":
        seen &= rows.public
    else:
        seen &= rows.public | (rows.min_rank <= who.max_rank)
    if who.audience == "internal":
        seen &= ~rows.public
    if who.category_id is not None:
        seen &= rows.category == who.category_id
    return seen


class VectorIndex:
    """Unit vectors with their visibility columns; replaced wholesale or row by row.

    Each row holds ``parts`` vectors side by side (an article's title and its full text);
    an article's similarity is the best of its parts."""

    def __init__(self, dimensions: int, parts: int = 1):
        self.dimensions, self.parts = dimensions, parts
        self.matrix = np.zeros((0, dimensions * parts), np.float32)
        self.rows = Rows.empty()

    def __len__(self) -> int:
        return len(self.rows.ids)

    def replace(self, rows: Rows, matrix: np.ndarray) -> None:
        self.rows, self.matrix = rows, np.ascontiguousarray(matrix, dtype=np.float32)

    def upsert(self, rows: Rows, matrix: np.ndarray) -> None:
        """Add or overwrite the given articles (ids not given are kept)."""
        self.remove(rows.ids)
        self.replace(concatenate(self.rows, rows),
                     np.vstack([self.matrix, matrix.astype(np.float32)]))

    def remove(self, ids: np.ndarray) -> None:
        keep = ~np.isin(self.rows.ids, ids)
        if not keep.all():
            self.replace(Rows(*(column[keep] for column in _columns(self.rows))),
                         self.matrix[keep])

    def mask(self, who: Viewer) -> np.ndarray:
        """Which rows ``who`` may see."""
        return visible(self.rows, who)

    def top(self, query: np.ndarray, who: Viewer, k: int) -> list[tuple[int, float]]:
        """The ``k`` most similar visible articles: (id, cosine), best first."""
        if not len(self) or k <= 0:
            return []
        visible = np.flatnonzero(self.mask(who))
        if not len(visible):
            return []
        query = np.ascontiguousarray(query, dtype=np.float32)
        # A small visible share: copy those rows only; otherwise score every row in place
        # (no 300 MB copy at 100,000 articles) and keep the visible ones.
        small = len(visible) * 4 < len(self)
        matrix = self.matrix[visible] if small else self.matrix
        # One matrix-vector product over every part of every row, then the best part.
        by_part = (matrix.reshape(-1, self.dimensions) @ query).reshape(len(matrix), self.parts)
        scores = by_part[:, 0].copy()
        for part in range(1, self.parts):
            np.maximum(scores, by_part[:, part], out=scores)
        if not small and len(visible) < len(self):
            scores = scores[visible]
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self.rows.ids[visible[i]]), float(scores[i])) for i in best]


def _columns(rows: Rows) -> tuple[np.ndarray, ...]:
    return rows.ids, rows.public, rows.min_rank, rows.client, rows.category


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
