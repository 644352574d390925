"""The in-memory semantic index: one float32 matrix of unit vectors and the metadata that
decides visibility, searched with NumPy; no ORM.

Rows are published articles. A search is one matrix-vector product over the rows the actor
may see (a boolean mask built from the metadata columns), then a partial sort. From
``APPROXIMATE_FROM`` rows on, compact codes (``ann.Approximate``, faiss) find the candidates
instead and the matrix re-scores them exactly (ADR 7).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from palier.knowledge.ann import Approximate

SHARED = 0  # client column value of an article shared by every client
NO_CATEGORY = 0
APPROXIMATE_FROM = 20_000  # rows; below, every search scores every row (ADR 7)
FETCH = 8  # approximate candidates re-scored exactly per result wanted …
MIN_FETCH = 200  # … and at least this many (measured, ADR 7)


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
    an article's similarity is the best of its parts. From ``approximate_from`` rows on, the
    approximate codes are built with the rows (and rebuilt once the rows have doubled), kept
    in step by ``upsert`` and ``remove``, and dropped below half that size."""

    def __init__(self, dimensions: int, parts: int = 1, *,
                 approximate_from: int | None = None):
        self.dimensions, self.parts = dimensions, parts
        self.matrix = np.zeros((0, dimensions * parts), np.float32)
        self.rows = Rows.empty()
        self.approximate_from = APPROXIMATE_FROM if approximate_from is None else approximate_from
        self.approximate: Approximate | None = None
        self._slots: np.ndarray | None = None  # article id → row, for the exact re-scoring
        # Changes hold it, and so do approximate searches: their candidates, the id → row
        # map and the matrix must be of one state.
        self.lock = threading.RLock()

    def __len__(self) -> int:
        return len(self.rows.ids)

    def replace(self, rows: Rows, matrix: np.ndarray) -> None:
        """Every row at once (the approximate codes are rebuilt when large enough)."""
        with self.lock:
            self.approximate = None
            self._store(rows, matrix)
            self._keep_approximate()

    def upsert(self, rows: Rows, matrix: np.ndarray) -> None:
        """Add or overwrite the given articles (ids not given are kept)."""
        matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        with self.lock:
            self.remove(rows.ids)
            self._store(concatenate(self.rows, rows), np.vstack([self.matrix, matrix]))
            if self.approximate is not None:
                self.approximate.add(rows.ids, matrix)
            self._keep_approximate()

    def remove(self, ids: np.ndarray) -> None:
        with self.lock:
            keep = ~np.isin(self.rows.ids, ids)
            if not keep.all():
                gone = self.rows.ids[~keep]
                self._store(Rows(*(column[keep] for column in _columns(self.rows))),
                            self.matrix[keep])
                if self.approximate is not None:
                    self.approximate.remove(gone)
                self._keep_approximate()

    def mask(self, who: Viewer) -> np.ndarray:
        """Which rows ``who`` may see."""
        return visible(self.rows, who)

    def top(self, query: np.ndarray, who: Viewer, k: int, *,
            exact: bool = False) -> list[tuple[int, float]]:
        """The ``k`` most similar visible articles: (id, cosine), best first. ``exact``
        scores every row even when the approximate codes exist (to measure them)."""
        if not len(self) or k <= 0:
            return []
        rows = self.rows
        seen = self.mask(who)
        visible = np.flatnonzero(seen)
        if not len(visible):
            return []
        query = np.ascontiguousarray(query, dtype=np.float32)
        # A small visible share: copy those rows only; otherwise score every row in place
        # (no 300 MB copy at 100,000 articles) and keep the visible ones.
        small = len(visible) * 4 < len(self)
        if self.approximate is not None and not small and not exact:
            with self.lock:
                found = (self._top_approximate(query, seen, len(visible), k)
                         if rows is self.rows and self.approximate is not None
                         else None)  # else changed since the mask: score every row
            if found is not None:
                return found
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

    def _top_approximate(self, query: np.ndarray, seen: np.ndarray, count: int,
                         k: int) -> list[tuple[int, float]] | None:
        """Candidates from the codes, kept if visible and re-scored from the matrix; None
        when too few visible ones came back (the caller then scores every row)."""
        wanted = max(FETCH * k, MIN_FETCH)  # candidate articles to re-score
        share = count / len(self)
        # Parts to fetch: every part of ``wanted`` articles, twice over when some rows are
        # hidden, divided by the visible share.
        fetch = wanted * self.parts * (1 if share == 1 else 2) / share
        ids = self.approximate.candidates(query, min(round(fetch), len(self.approximate)))
        rows = self._slot_of()[ids]
        if share < 1:
            shown = seen[rows]
            ids, rows = ids[shown], rows[shown]
        if len(ids) < min(wanted, count):
            return None
        by_part = (self.matrix[rows].reshape(-1, self.dimensions) @ query).reshape(
            len(rows), self.parts)
        scores = by_part.max(axis=1)
        order = np.lexsort((rows, -scores))[:k]  # best first, ties in row order
        return [(int(ids[i]), float(scores[i])) for i in order]

    def _store(self, rows: Rows, matrix: np.ndarray) -> None:
        self.rows, self.matrix = rows, np.ascontiguousarray(matrix, dtype=np.float32)
        self._slots = None

    def _slot_of(self) -> np.ndarray:
        if self._slots is None:
            slots = np.full(int(self.rows.ids.max()) + 1 if len(self) else 0, -1, np.int64)
            slots[self.rows.ids] = np.arange(len(self))
            self._slots = slots
        return self._slots

    def _keep_approximate(self) -> None:
        """Build the codes once the rows reach the threshold, rebuild them when the rows
        have doubled since the codebooks were trained, drop them below half the threshold."""
        size = len(self)
        if size < self.approximate_from // 2 or size < 1:
            self.approximate = None
        elif size >= self.approximate_from and (
                self.approximate is None or size > 2 * self.approximate.trained_on):
            self.approximate = Approximate(self.dimensions, self.parts, self.rows.ids,
                                           self.matrix)


def _columns(rows: Rows) -> tuple[np.ndarray, ...]:
    return rows.ids, rows.public, rows.min_rank, rows.client, rows.category


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
