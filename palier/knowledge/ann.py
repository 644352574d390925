"""Approximate nearest articles for a large vector index, with faiss; no ORM.

Every part's unit vector is kept as a product-quantised code (faiss ``IndexPQFastScan``:
two dimensions per 4-bit sub-quantiser, 96 bytes for 384 dimensions, a sixteenth of the
float32 vector) under a serial number (``IndexIDMap``). A search scans every code with SIMD
lookup tables, about a fifteenth of the float32 product's time, and unlike inverted lists
does not depend on the queries resembling the articles; the caller re-scores the
candidates exactly from its float32 matrix. Articles are added and removed in place; the
codebooks are trained when the codes are built.
"""

from __future__ import annotations

import threading

import faiss
import numpy as np

THREADS = 1  # like the embedding model: web servers scale by processes
DIMENSIONS_PER_CODE = 2  # dimensions per 4-bit sub-quantiser (measured, ADR 7)
TRAINING = 50_000  # vectors sampled to train the codebooks
PURGE_SHARE = 0.02  # dead codes removed from faiss once they are this share of all codes

faiss.omp_set_num_threads(THREADS)


class Approximate:
    """The codes of ``parts`` vectors per article (the ``VectorIndex`` layout).

    Each coded vector has a serial number (faiss's id for it) and an owner article; an
    article's parts have consecutive serials. Changing or removing an article only marks
    its old codes dead (faiss's removal rewrites every code, ~0.2 s at 200,000): dead codes
    are skipped by ``candidates`` and removed from faiss together once they pass
    ``PURGE_SHARE`` of the codes."""

    def __init__(self, dimensions: int, parts: int, ids: np.ndarray, matrix: np.ndarray):
        self.dimensions, self.parts = dimensions, parts
        vectors = np.ascontiguousarray(matrix, dtype=np.float32).reshape(-1, dimensions)
        self.codes = faiss.IndexPQFastScan(dimensions, dimensions // DIMENSIONS_PER_CODE, 4,
                                           faiss.METRIC_INNER_PRODUCT)
        sample = vectors[::max(1, len(vectors) // TRAINING)]
        # Each 4-bit codebook is 16 centroids: a tiny index repeats its rows to train them.
        self.codes.train(sample if len(sample) >= 256 else np.resize(sample, (256, dimensions)))
        self.index = faiss.IndexIDMap(self.codes)
        self.owner = np.zeros(0, np.int64)  # serial → article id
        self.alive = np.zeros(0, bool)  # serial → still the article's current code
        self.first = np.full(0, -1, np.int64)  # article id → its first live serial, or -1
        self.dead: list[np.ndarray] = []  # serials of dead codes still in faiss
        self.lock = threading.Lock()  # faiss does not search while it is modified
        self.add(ids, matrix)
        self.trained_on = len(ids)  # articles when the codebooks were trained

    def add(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        """Code these articles' vectors (their former codes, if any, die)."""
        if not len(ids):
            return
        ids = np.asarray(ids, np.int64)
        vectors = np.ascontiguousarray(matrix, dtype=np.float32).reshape(-1, self.dimensions)
        with self.lock:
            self._kill(ids)
            serials = np.arange(len(self.owner), len(self.owner) + len(vectors), dtype=np.int64)
            self.index.add_with_ids(vectors, serials)
            self.owner = np.concatenate([self.owner, np.repeat(ids, self.parts)])
            self.alive = np.concatenate([self.alive, np.ones(len(serials), bool)])
            self.first[ids] = serials[::self.parts]

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            with self.lock:
                self._kill(np.asarray(ids, np.int64))

    def candidates(self, query: np.ndarray, vectors: int) -> np.ndarray:
        """The articles of the ``vectors`` live codes scoring highest against ``query``:
        article ids, each once, best first."""
        with self.lock:  # a few more when dead codes may take places
            fetch = min(vectors + min(self._dead(), vectors), self.index.ntotal)
            _, keys = self.index.search(query.reshape(1, -1), fetch)
            keys = keys[0][keys[0] >= 0]
            articles = self.owner[keys[self.alive[keys]]][:vectors]
        _, first = np.unique(articles, return_index=True)
        return articles[np.sort(first)]

    def __len__(self) -> int:
        """How many live codes (parts of current articles)."""
        return self.index.ntotal - self._dead()

    def memory_bytes(self) -> int:
        """The codes, their faiss ids and the serial tables."""
        return (self.index.ntotal * (self.codes.code_size + 8) + self.owner.nbytes
                + self.alive.nbytes + self.first.nbytes)

    def _dead(self) -> int:
        return sum(len(serials) for serials in self.dead)

    def _kill(self, ids: np.ndarray) -> None:
        """Mark these articles' codes dead; purge the dead ones when they are many."""
        if int(ids.max()) >= len(self.first):
            grown = np.full(max(int(ids.max()) + 1, 2 * len(self.first)), -1, np.int64)
            grown[:len(self.first)] = self.first
            self.first = grown
        first = self.first[ids]
        first = first[first >= 0]
        if len(first):
            serials = (first[:, None] + np.arange(self.parts)).ravel()
            self.alive[serials] = False
            self.dead.append(serials)
            self.first[ids] = -1
        if self._dead() > PURGE_SHARE * self.index.ntotal:
            self.index.remove_ids(np.concatenate(self.dead))
            self.dead = []
