"""The triage model: word and character n-gram TF-IDF, one linear classifier per field,
temperature-calibrated confidences, and the terms that drove a prediction.

One feature space is shared by every field (category, group, priority), so training cost
grows with the number of tickets, not with the number of fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from palier.triage.learning.text import normalise

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Params:
    """The levers chosen by measurement (docs/adr/0005-triage-model.md)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_word_features: int | None = 200_000
    max_char_features: int | None = 300_000
    C: float = 0.5
    class_weight_power: float = 0.5  # 0: none; 1: "balanced"; between: a softer balance
    calibration_folds: int = 3
    calibration_rows: int = 10_000  # out-of-fold scores on at most this many tickets


@dataclass(frozen=True)
class Ranked:
    """One field's prediction: labels best first with their calibrated probabilities."""

    labels: tuple[str, ...]
    probabilities: tuple[float, ...]

    @property
    def label(self) -> str:
        return self.labels[0]

    @property
    def confidence(self) -> float:
        return self.probabilities[0]

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        return list(zip(self.labels[:k], self.probabilities[:k], strict=True))


@dataclass
class FieldModel:
    classes: np.ndarray  # label strings, aligned with the rows of ``coef``
    coef: np.ndarray  # (classes, features); float32
    intercept: np.ndarray
    temperature: float = 1.0
    trained_on: int = 0

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.coef.T) + self.intercept

    def probabilities(self, X: sp.csr_matrix) -> np.ndarray:
        return softmax(self.scores(X), self.temperature)


@dataclass
class TriageModel:
    params: Params
    word: TfidfVectorizer
    char: TfidfVectorizer
    fields: dict[str, FieldModel] = field(default_factory=dict)
    _names: np.ndarray | None = field(default=None, repr=False)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        docs = [normalise(t) for t in texts]
        return sp.hstack([self.word.transform(docs), self.char.transform(docs)]).tocsr()

    def predict(self, texts: Sequence[str]) -> list[dict[str, Ranked]]:
        """Every field's ranked labels for each text."""
        X = self.features(texts)
        out: list[dict[str, Ranked]] = [{} for _ in texts]
        for name, model in self.fields.items():
            probs = model.probabilities(X)
            order = np.argsort(-probs, axis=1)
            for row, ranking in enumerate(order):
                out[row][name] = Ranked(tuple(str(c) for c in model.classes[ranking]),
                                        tuple(float(p) for p in probs[row, ranking]))
        return out

    def explain(self, text: str, field_name: str, label: str, k: int = 8,
                ) -> list[tuple[str, float]]:
        """The words of ``text`` that pushed hardest towards ``label``, with their weight."""
        model = self.fields[field_name]
        hits = np.flatnonzero(model.classes == label)
        if not len(hits):
            return []
        row = self.features([text])
        weights = model.coef[hits[0]]
        contributions: dict[str, float] = {}
        names = self.feature_names()
        n_word = len(self.word.vocabulary_)
        words = normalise(text).split()
        for j, value in zip(row.indices, row.data, strict=True):
            share = float(value * weights[j])
            if j < n_word:
                contributions[names[j]] = contributions.get(names[j], 0.0) + share
                continue
            owners = [w for w in set(words) if names[j].strip() in w] or [names[j].strip()]
            for owner in owners:  # a character n-gram speaks for the words holding it
                contributions[owner] = contributions.get(owner, 0.0) + share / len(owners)
        ranked = sorted(contributions.items(), key=lambda kv: -kv[1])
        return [(term, round(w, 4)) for term, w in ranked[:k] if w > 0]

    def feature_names(self) -> np.ndarray:
        if self._names is None:
            self._names = np.concatenate([self.word.get_feature_names_out(),
                                          self.char.get_feature_names_out()])
        return self._names


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / max(temperature, 1e-6)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def vectorizers(params: Params) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    common = {"sublinear_tf": True, "min_df": params.min_df, "lowercase": False,
              "dtype": np.float32}
    word = TfidfVectorizer(analyzer="word", ngram_range=params.word_ngrams,
                           max_features=params.max_word_features,
                           token_pattern=r"(?u)\b\w\w+\b", **common)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=params.char_ngrams,
                           max_features=params.max_char_features, **common)
    return word, char


def fit(texts: Sequence[str], targets: Mapping[str, Sequence[str | None]],
        params: Params | None = None, progress: Progress | None = None) -> TriageModel:
    """Learn every field of ``targets`` (labels aligned with ``texts``; None: unknown)."""
    params = params or Params()
    say = progress or (lambda _step: None)
    docs = [normalise(t) for t in texts]
    say("features")
    word, char = vectorizers(params)
    X = sp.hstack([word.fit_transform(docs), char.fit_transform(docs)]).tocsr()
    model = TriageModel(params, word, char)
    for name, labels in targets.items():
        say(name)
        known = np.array([lb is not None and lb != "" for lb in labels], dtype=bool)
        y = np.array([str(lb) for lb in labels], dtype=object)[known]
        if len(set(y)) < 2:
            continue  # nothing to learn: one value or none
        model.fields[name] = fit_field(X[known], y, params)
    return model


def fit_field(X: sp.csr_matrix, y: np.ndarray, params: Params) -> FieldModel:
    clf = _classifier(y, params).fit(X, y)
    classes = clf.classes_.astype(str)
    coef, intercept = _weights(clf, len(classes))
    model = FieldModel(classes.astype(object), coef, intercept, trained_on=len(y))
    model.temperature = _temperature(X, y, classes, params)
    return model


def _classifier(y: np.ndarray, params: Params) -> LinearSVC:
    return _Weighted(C=params.C, power=params.class_weight_power)


class _Weighted(LinearSVC):
    """A linear SVM whose classes weigh ``(largest class / class size) ** power``: 0 is no
    weighting, 1 is "balanced"; in between helps rare classes without sinking accuracy.
    Given as sample weights (labels like "12" would be taken for integers otherwise)."""

    def __init__(self, C: float = 1.0, power: float = 0.0):
        super().__init__(C=C)
        self.power = power

    def fit(self, X, y, sample_weight=None):
        _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
        weights = (counts.max() / counts) ** self.power
        return super().fit(X, y, sample_weight=weights[inverse])


def _weights(clf: LinearSVC, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    coef = np.asarray(clf.coef_, dtype=np.float32)
    intercept = np.asarray(clf.intercept_, dtype=np.float32)
    if n_classes == 2:  # liblinear keeps one row for two classes: make it symmetric
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    return coef, intercept


def _temperature(X: sp.csr_matrix, y: np.ndarray, classes: np.ndarray,
                 params: Params) -> float:
    """The softmax temperature that minimises the log-loss of out-of-fold scores."""
    folds = params.calibration_folds
    if folds < 2 or len(y) < 10 * folds:
        return 1.0
    rng = np.random.default_rng(0)
    rows = rng.permutation(len(y))[: params.calibration_rows]
    scores = np.full((len(rows), len(classes)), -10.0)
    index = {c: i for i, c in enumerate(classes)}
    for part in np.array_split(np.arange(len(rows)), folds):
        train = rows[np.setdiff1d(np.arange(len(rows)), part)]
        if len(set(y[train])) < 2:
            return 1.0
        clf = _classifier(y[train], params).fit(X[train], y[train])
        coef, intercept = _weights(clf, len(clf.classes_))
        cols = np.array([index[str(c)] for c in clf.classes_])
        scores[np.ix_(part, cols)] = np.asarray(X[rows[part]] @ coef.T) + intercept
    truth = np.array([index[str(lb)] for lb in y[rows]])

    def loss(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))

    best = minimize_scalar(loss, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(best.x))
