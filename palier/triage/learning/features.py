"""The ticket feature space: hashed word 1–2-grams, character n-grams within words, the
title's words and the requester, each block TF-IDF weighted and L2-normalised.

Hashing keeps no vocabulary while reading (bounded memory on any number of tickets); after
hashing, the columns seen in fewer than ``min_df`` tickets are dropped and the rest renumbered,
so the weights stay small. Hashes are computed once per distinct word and cached, which makes
featurising one ticket a fraction of a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from palier.triage.learning.text import normalise, requester_key, title_of

TOKEN = re.compile(r"(?u)\b\w\w+\b")
BLOCKS = ("word", "char", "title", "requester")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a bigram's two word hashes over the space
_CACHE_LIMIT = 300_000  # distinct words remembered before the caches are emptied
_CHUNK = 8192  # tickets hashed at a time


def _hash(value: str) -> int:
    return murmurhash3_32(value, seed=0, positive=True)


class Hasher:
    """The hashed columns of a text's words, bigrams and character n-grams."""

    def __init__(self, bits: int, char_ngrams: tuple[int, int]):
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.char_ngrams = tuple(char_ngrams)
        self._words: dict[str, int] = {}
        self._chars: dict[str, np.ndarray] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_words": {}, "_chars": {}}  # caches are rebuilt on use

    def word_hashes(self, tokens: Sequence[str]) -> np.ndarray:
        cache = self._words
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        out = np.empty(len(tokens), dtype=np.uint64)
        for i, token in enumerate(tokens):
            h = cache.get(token)
            if h is None:
                h = cache[token] = _hash(token)
            out[i] = h
        return out

    def word_columns(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Columns of each token and of each pair of neighbouring tokens."""
        hashes = self.word_hashes(tokens)
        bigrams = (hashes[:-1] * _MIX) ^ hashes[1:]
        mask = np.uint64(self.mask)
        return (hashes & mask).astype(np.int64), (bigrams & mask).astype(np.int64)

    def requester(self, key: str) -> np.ndarray:
        """The requester's column (none when unknown)."""
        return np.array([_hash(key) & self.mask] if key else [], dtype=np.int64)

    def words(self, text: str) -> np.ndarray:
        """Columns of the word unigrams and bigrams (repeated as often as they occur)."""
        return np.concatenate(self.word_columns(TOKEN.findall(text)))

    def chars(self, text: str) -> np.ndarray:
        """Columns of the character n-grams inside each space-separated word (" word ")."""
        cache = self._chars
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        parts = []
        for word in text.split():
            cols = cache.get(word)
            if cols is None:
                cols = cache[word] = self.grams(word)
            parts.append(cols)
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def grams(self, word: str) -> np.ndarray:
        """Columns of the character n-grams of `` word `` (each once)."""
        padded = f" {word} "
        lo, hi = self.char_ngrams
        grams = {padded[i:i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1)}
        return np.fromiter((_hash(g) & self.mask for g in grams), dtype=np.int64,
                           count=len(grams))


@dataclass
class Block:
    """One part of the feature space: kept hash columns, their IDF, and the block's weight."""

    name: str
    weight: float
    keep: np.ndarray  # hash column → kept column (int32), -1 when dropped
    idf: np.ndarray  # float32, one per kept column
    offset: int = 0

    @property
    def size(self) -> int:
        return len(self.idf)


@dataclass
class FeatureSpace:
    """Hashing, pruning and TF-IDF for every block; ``transform`` is what predictions use."""

    hasher: Hasher
    weights: dict[str, float]
    blocks: list[Block]

    @property
    def size(self) -> int:
        return sum(b.size for b in self.blocks)

    def transform(self, texts: Sequence[str], requesters: Sequence[str | None] | None = None,
                  ) -> sp.csr_matrix:
        docs = _docs(texts, requesters)
        parts = [_tfidf(b, _counts(self.hasher, b.name, docs)) for b in self.blocks]
        return sp.hstack(parts, format="csr", dtype=np.float32)

    def transform_one(self, text: str, requester: str | None = None,
                      ) -> tuple[np.ndarray, np.ndarray]:
        """One ticket's row of ``transform`` as its (columns, values), built with a few
        array operations instead of sparse matrices: about a tenth of the time, which is
        what intake pays for each new ticket."""
        doc = _docs([text], [requester])[0]
        columns, values = [], []
        for block in self.blocks:
            cols, vals = _row_tfidf(block, _hashed(self.hasher, block.name, doc))
            columns.append(cols + block.offset)
            values.append(vals)
        if not columns:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return np.concatenate(columns), np.concatenate(values)

    def columns(self, name: str, hashed: np.ndarray) -> np.ndarray:
        """Feature columns of hash columns of block ``name`` (-1: not in the model)."""
        block = next(b for b in self.blocks if b.name == name)
        kept = block.keep[hashed]
        return np.where(kept >= 0, kept + block.offset, -1)


def fit_space(texts: Sequence[str], requesters: Sequence[str | None] | None, *, bits: int,
              char_ngrams: tuple[int, int], weights: dict[str, float], min_df: int,
              max_features: int) -> tuple[FeatureSpace, sp.csr_matrix]:
    """Learn which columns to keep and their IDF from ``texts``; return the space and the
    texts' features (built one block at a time to bound memory)."""
    hasher = Hasher(bits, char_ngrams)
    docs = _docs(texts, requesters)
    blocks, parts, offset = [], [], 0
    for name in BLOCKS:
        weight = weights.get(name, 0.0)
        if not weight:
            continue
        counts = _counts(hasher, name, docs)
        block = _prune(name, weight, counts, min_df, max_features)
        if not block.size:
            continue
        block.offset = offset
        offset += block.size
        blocks.append(block)
        parts.append(_tfidf(block, counts))
        del counts
    space = FeatureSpace(hasher, dict(weights), blocks)
    if not parts:
        return space, sp.csr_matrix((len(docs), 0), dtype=np.float32)
    return space, sp.hstack(parts, format="csr", dtype=np.float32)


@dataclass(frozen=True)
class _Doc:
    text: str
    title: str
    requester: str


def _docs(texts: Sequence[str], requesters: Sequence[str | None] | None) -> list[_Doc]:
    people = requesters if requesters is not None else [None] * len(texts)
    return [_Doc(normalise(t), normalise(title_of(t)), requester_key(r))
            for t, r in zip(texts, people, strict=True)]


def _counts(hasher: Hasher, name: str, docs: list[_Doc]) -> sp.csr_matrix:
    """Occurrence counts of the block's hash columns, one row per ticket (built in chunks
    so that the per-ticket arrays never all exist at once)."""
    chunks = [_chunk_counts(hasher, name, docs[i:i + _CHUNK])
              for i in range(0, len(docs), _CHUNK)]
    if len(chunks) == 1:
        return chunks[0]
    return sp.vstack(chunks, format="csr") if chunks else _chunk_counts(hasher, name, [])


def _hashed(hasher: Hasher, name: str, doc: _Doc) -> np.ndarray:
    """The hash columns of block ``name`` in one ticket, repeated as often as they occur."""
    if name == "word":
        return hasher.words(doc.text)
    if name == "char":
        return hasher.chars(doc.text)
    if name == "title":
        return hasher.words(doc.title)
    return hasher.requester(doc.requester)


def _chunk_counts(hasher: Hasher, name: str, docs: list[_Doc]) -> sp.csr_matrix:
    rows = [_hashed(hasher, name, d) for d in docs]
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = (np.concatenate(rows) if rows else np.empty(0)).astype(np.int32)
    del rows
    counts = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                           shape=(len(docs), 1 << hasher.bits))
    counts.sum_duplicates()
    return counts


def _prune(name: str, weight: float, counts: sp.csr_matrix, min_df: int,
           max_features: int) -> Block:
    """Keep the columns seen in at least ``min_df`` tickets, the ``max_features`` most
    frequent at most; smoothed IDF as scikit-learn's."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    chosen = np.flatnonzero(df >= min_df)
    if len(chosen) > max_features:
        chosen = np.sort(chosen[np.argsort(-df[chosen], kind="stable")[:max_features]])
    keep = np.full(counts.shape[1], -1, dtype=np.int32)
    keep[chosen] = np.arange(len(chosen), dtype=np.int32)
    n = counts.shape[0]
    idf = (np.log((1 + n) / (1 + df[chosen])) + 1).astype(np.float32)
    return Block(name, weight, keep, idf)


def _tfidf(block: Block, counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF × IDF on the kept columns, each row L2-normalised times the weight."""
    cols = block.keep[counts.indices]
    kept = cols >= 0
    indptr = np.concatenate([[0], np.cumsum(kept)])[counts.indptr]
    cols = cols[kept]
    values = (1 + np.log(counts.data[kept])) * block.idf[cols]
    running = np.concatenate([[0.0], np.cumsum(values.astype(np.float64) ** 2)])
    norms = np.sqrt(running[indptr[1:]] - running[indptr[:-1]])
    del running
    scale = block.weight / np.where(norms > 0, norms, 1.0)
    values *= np.repeat(scale.astype(np.float32), np.diff(indptr))
    return sp.csr_matrix((values.astype(np.float32, copy=False), cols, indptr),
                         shape=(counts.shape[0], block.size))


def _row_tfidf(block: Block, hashed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_tfidf`` for one ticket's hash columns: its kept columns (sorted) and values."""
    kept = block.keep[hashed]
    cols, counts = np.unique(kept[kept >= 0], return_counts=True)
    values = (1 + np.log(counts.astype(np.float32))) * block.idf[cols]
    norm = np.sqrt(np.sum(values.astype(np.float64) ** 2))
    values *= np.float32(block.weight / (norm if norm > 0 else 1.0))
    return cols.astype(np.int64), values.astype(np.float32, copy=False)
