"""The in-memory full-text index: BM25 over the published articles' stems, searched with
NumPy; no ORM.

The score is SQLite FTS5's ``bm25()`` with column weights: for each query term,
``idf · f · (k1 + 1) / (f + k1 · (1 − b + b · |D| / avgdl))`` where ``f`` is the term's
count weighted by field (title 10, tags 2, body 1), ``|D|`` the article's length in terms,
and ``idf = ln((N − n + 0.5) / (n + 0.5))`` (``1e-6`` when not positive) over the ``N``
indexed articles, ``n`` of which hold the term. A query reads only its own terms' postings
(one array slice per term) and adds them into one score per slot; no article is visited
that holds none of the query's terms.

Each article occupies a slot. A new version takes a new slot and its old slot dies; the
new slots' postings sit in a small tail that is merged into the base (sorted by term) once
it outgrows ``COMPACT_SHARE`` of the slots, dead slots dropped. The index state is
immutable and swapped whole, so a search never sees half an update.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from palier.knowledge import text
from palier.knowledge.vectors import Rows, Viewer, concatenate, visible

K1, B = 1.2, 0.75
FIELD_WEIGHTS = (10.0, 2.0, 1.0)  # title, tags, body (measured, ADR 7)
MIN_IDF = 1e-6
FIELD_SEPARATOR = "\t"  # between the title's, tags' and body's stems in stored terms
COMPACT_SHARE = 0.02  # merge the tail into the base past 2 % of the slots …
COMPACT_MIN = 512  # … and past this many slots
BODY_WORDS = 300  # the body's opening words are indexed: on StackFAQ, MRR 0.787 → 0.808


def document_terms(title: str, tags: Iterable[str], plain: str, language: str) -> str:
    """The stems to store for an article: title, tags and the body's opening words."""
    opening = " ".join(plain.split(maxsplit=BODY_WORDS)[:BODY_WORDS])
    return FIELD_SEPARATOR.join(text.index_terms(part, language)
                                for part in (title, " ".join(tags), opening))


def parse(terms: str) -> tuple[dict[str, float], int]:
    """Stored terms (``title⇥tags⇥body`` stems) → field-weighted counts and length."""
    counts: Counter[str] = Counter()
    length = 0
    for weight, field in zip(FIELD_WEIGHTS, terms.split(FIELD_SEPARATOR), strict=False):
        tokens = field.split()
        length += len(tokens)
        for term, count in Counter(tokens).items():
            counts[term] += weight * count
    return counts, length


@dataclass(frozen=True)
class _State:
    rows: Rows  # per slot
    length: np.ndarray  # float64 per slot: terms in the article
    live: np.ndarray  # bool per slot
    slot_of: dict[int, int]  # article id → its live slot
    indptr: np.ndarray  # int64, base postings of term t: [indptr[t], indptr[t + 1])
    slots: np.ndarray  # int32 base postings, sorted by term
    freqs: np.ndarray  # float32 weighted counts beside ``slots``
    tail: dict[int, tuple[np.ndarray, np.ndarray]]  # term → (slots, freqs) not yet merged
    tail_slots: int
    norm: np.ndarray  # float64 per slot: k1 · (1 − b + b · |D| / avgdl)

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        parts = []
        if term + 1 < len(self.indptr):
            start, end = self.indptr[term], self.indptr[term + 1]
            if end > start:
                parts.append((self.slots[start:end], self.freqs[start:end]))
        if term in self.tail:
            parts.append(self.tail[term])
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))


def _norm(length: np.ndarray, live: np.ndarray) -> np.ndarray:
    count = int(live.sum())
    average = float(length[live].sum()) / count if count else 1.0
    return K1 * (1 - B + B * length / max(average, 1e-9))


class LexicalIndex:
    """BM25 postings with the visibility columns of each slot."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        empty = np.zeros(0, np.float64)
        self._state = _State(Rows.empty(), empty, np.zeros(0, bool), {},
                             np.zeros(1, np.int64), np.zeros(0, np.int32),
                             np.zeros(0, np.float32), {}, 0, empty)

    def __len__(self) -> int:
        return len(self._state.slot_of)

    def upsert(self, rows: Rows, terms: list[str]) -> None:
        """Add or replace the given articles (``terms[i]`` are ``rows.ids[i]``'s stems)."""
        state = self._state
        live = state.live.copy()
        slot_of = dict(state.slot_of)
        first = len(live)
        for article_id in rows.ids.tolist():
            old = slot_of.pop(article_id, None)
            if old is not None:
                live[old] = False
        tail_terms: dict[int, tuple[list[int], list[float]]] = {}
        lengths = []
        for offset, (article_id, stored) in enumerate(zip(rows.ids.tolist(), terms,
                                                          strict=True)):
            slot = first + offset
            slot_of[article_id] = slot
            counts, length = parse(stored)
            lengths.append(length)
            for term, freq in counts.items():
                term_id = self.vocabulary.setdefault(term, len(self.vocabulary))
                entry = tail_terms.setdefault(term_id, ([], []))
                entry[0].append(slot)
                entry[1].append(freq)
        tail = dict(state.tail)
        for term_id, (slots, freqs) in tail_terms.items():
            new = (np.array(slots, np.int32), np.array(freqs, np.float32))
            if term_id in tail:
                old_slots, old_freqs = tail[term_id]
                new = (np.concatenate([old_slots, new[0]]), np.concatenate([old_freqs, new[1]]))
            tail[term_id] = new
        length = np.concatenate([state.length, np.array(lengths, np.float64)])
        live = np.concatenate([live, np.ones(len(rows.ids), bool)])
        self._swap(concatenate(state.rows, rows), length, live, slot_of, state, tail,
                   state.tail_slots + len(rows.ids))

    def remove(self, ids: Iterable[int]) -> None:
        state = self._state
        slot_of = dict(state.slot_of)
        dead = [slot for slot in (slot_of.pop(int(i), None) for i in ids) if slot is not None]
        if not dead:
            return
        live = state.live.copy()
        live[dead] = False
        self._swap(state.rows, state.length, live, slot_of, state, state.tail,
                   state.tail_slots)

    def _swap(self, rows, length, live, slot_of, base: _State, tail, tail_slots) -> None:
        slots = len(live)
        dead = slots - len(slot_of)
        threshold = max(COMPACT_MIN, COMPACT_SHARE * slots)
        if tail_slots > threshold or dead > threshold:
            self._state = self._compacted(rows, length, live, base, tail)
            return
        self._state = _State(rows, length, live, slot_of, base.indptr, base.slots, base.freqs,
                             tail, tail_slots, _norm(length, live))

    def _compacted(self, rows: Rows, length, live, base: _State, tail) -> _State:
        """Base and tail merged, dead slots dropped, slots renumbered."""
        terms = np.repeat(np.arange(len(base.indptr) - 1, dtype=np.int64),
                          np.diff(base.indptr))
        slots, freqs = [base.slots], [base.freqs]
        terms_parts = [terms]
        for term_id, (tail_slots, tail_freqs) in tail.items():
            slots.append(tail_slots)
            freqs.append(tail_freqs)
            terms_parts.append(np.full(len(tail_slots), term_id, np.int64))
        all_slots, all_freqs = np.concatenate(slots), np.concatenate(freqs)
        all_terms = np.concatenate(terms_parts)
        keep = live[all_slots]
        renumber = np.cumsum(live, dtype=np.int64) - 1
        all_slots, all_freqs, all_terms = (renumber[all_slots[keep]].astype(np.int32),
                                           all_freqs[keep], all_terms[keep])
        order = np.lexsort((all_slots, all_terms))
        indptr = np.zeros(len(self.vocabulary) + 1, np.int64)
        np.cumsum(np.bincount(all_terms, minlength=len(self.vocabulary)), out=indptr[1:])
        rows = Rows(*(column[live] for column in _columns(rows)))
        length = length[live]
        slot_of = {int(article_id): slot for slot, article_id in enumerate(rows.ids.tolist())}
        alive = np.ones(len(length), bool)
        return _State(rows, length, alive, slot_of, indptr, all_slots[order],
                      all_freqs[order], {}, 0, _norm(length, alive))

    def top(self, terms: list[str], who: Viewer, k: int) -> list[tuple[int, float]]:
        """The ``k`` best visible articles holding any of the terms: (id, score), best first."""
        state = self._state
        count = len(state.slot_of)
        if not count or k <= 0:
            return []
        scores = np.zeros(len(state.live), np.float64)
        matched = False
        for term in dict.fromkeys(terms):
            term_id = self.vocabulary.get(term)
            if term_id is None:
                continue
            slots, freqs = state.postings(term_id)
            held = int(np.count_nonzero(state.live[slots]))
            if not held:
                continue
            idf = max(math.log((count - held + 0.5) / (held + 0.5)), MIN_IDF)
            scores[slots] += idf * freqs * (K1 + 1) / (freqs + state.norm[slots])
            matched = True
        if not matched:
            return []
        found = np.flatnonzero((scores > 0) & state.live & visible(state.rows, who))
        if not len(found):
            return []
        k = min(k, len(found))
        best = found[np.argpartition(-scores[found], k - 1)[:k]]
        ids = state.rows.ids[best]
        best = best[np.lexsort((ids, -scores[best]))]
        return [(int(state.rows.ids[slot]), float(scores[slot])) for slot in best]


def _columns(rows: Rows) -> tuple[np.ndarray, ...]:
    return rows.ids, rows.public, rows.min_rank, rows.client, rows.category
