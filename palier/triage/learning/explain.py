"""Why a prediction: each word's share of the score of one label.

Every feature column of the ticket is credited to the words that produce it (a bigram to its
two words, a character n-gram to the words holding it, the requester column to the requester),
each owner taking an equal share of ``value × weight``.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from palier.triage.learning.features import TOKEN, FeatureSpace
from palier.triage.learning.text import normalise, requester_key, title_of

_EDGES = re.compile(r"^\W+|\W+$")


def contributions(space: FeatureSpace, weights: np.ndarray, text: str,
                  requester: str | None = None) -> dict[str, float]:
    """Each word's (and the requester's) contribution to the score whose per-feature
    weights are ``weights``."""
    row = space.transform([text], [requester])
    values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
    owners: dict[int, set[str]] = defaultdict(set)
    names = {b.name for b in space.blocks}
    doc = normalise(text)
    if "word" in names:
        _words(space, "word", doc, owners)
    if "title" in names:
        _words(space, "title", normalise(title_of(text)), owners)
    if "char" in names:
        for word in set(doc.split()):
            cols = space.columns("char", space.hasher.grams(word))
            for col in cols[cols >= 0].tolist():
                owners[col].add(_EDGES.sub("", word) or word)
    key = requester_key(requester)
    if "requester" in names and key:
        for col in space.columns("requester", space.hasher.requester(key)).tolist():
            if col >= 0:
                owners[col].add(key)
    out: dict[str, float] = defaultdict(float)
    for col, who in owners.items():
        if col in values:
            share = values[col] * float(weights[col]) / len(who)
            for name in who:
                out[name] += share
    return dict(out)


def _words(space: FeatureSpace, block: str, doc: str, owners: dict[int, set[str]]) -> None:
    tokens = TOKEN.findall(doc)
    if not tokens:
        return
    unigrams, bigrams = (space.columns(block, cols)
                         for cols in space.hasher.word_columns(tokens))
    for i, col in enumerate(unigrams.tolist()):
        if col >= 0:
            owners[col].add(tokens[i])
    for i, col in enumerate(bigrams.tolist()):
        if col >= 0:
            owners[col].update(tokens[i:i + 2])
