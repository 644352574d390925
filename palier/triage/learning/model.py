"""The triage model: hashed word and character n-gram TF-IDF (plus the title's words and the
requester), one linear SVM per field, temperature-calibrated confidences, and the words that
drove a prediction.

One feature space is shared by every field (category, group, priority), so training cost
grows with the number of tickets, not with the number of fields. Weights are stored as one
dense ``features × classes`` float32 array per field: a prediction is one sparse row times it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from palier.triage.learning import explain as explaining
from palier.triage.learning.calibration import fit_temperature, softmax, threshold_for
from palier.triage.learning.features import FeatureSpace, fit_space

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Params:
    """The levers chosen by measurement (docs/adr/0005-triage-model.md)."""

    char_ngrams: tuple[int, int] = (2, 5)
    hash_bits: int = 20  # per block, before pruning
    min_df: int = 1  # rare words (job names, hosts) recognise near-duplicate tickets
    max_features: int = 300_000  # per block, the most frequent kept
    word_weight: float = 1.0
    char_weight: float = 1.0
    title_weight: float = 0.5
    requester_weight: float = 0.5
    char_up_to: int = 20_000  # more tickets than this: no character block (training cost)
    C: float = 0.2
    class_weight_power: float = 0.4  # 0: none; 1: "balanced"; between: a softer balance
    tol: float = 0.1
    max_iter: int = 50
    negatives: int = 20_000  # per class, of the other classes' tickets (training cost)
    calibration_folds: int = 3
    calibration_rows: int = 10_000  # out-of-fold scores on at most this many tickets

    def block_weights(self, tickets: int) -> dict[str, float]:
        char = self.char_weight if tickets <= self.char_up_to else 0.0
        return {"word": self.word_weight, "char": char, "title": self.title_weight,
                "requester": self.requester_weight}


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
    classes: np.ndarray  # label strings, aligned with the columns of ``weights``
    weights: np.ndarray  # (features, classes), float32, C order
    intercept: np.ndarray
    temperature: float = 1.0
    trained_on: int = 0
    threshold: float = 1.0  # confidence for 90 % accuracy, out of fold (1.0: none reaches it)

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.weights) + self.intercept

    def probabilities(self, X: sp.csr_matrix) -> np.ndarray:
        return softmax(self.scores(X), self.temperature)

    def ranked(self, probabilities: np.ndarray) -> Ranked:
        """One ticket's labels, most probable first."""
        order = np.argsort(-probabilities)
        return Ranked(tuple(self.classes[order].tolist()),
                      tuple(probabilities[order].tolist()))


@dataclass
class TriageModel:
    params: Params
    space: FeatureSpace
    fields: dict[str, FieldModel] = field(default_factory=dict)

    def features(self, texts: Sequence[str], requesters: Sequence[str | None] | None = None,
                 ) -> sp.csr_matrix:
        return self.space.transform(texts, requesters)

    def predict(self, texts: Sequence[str], requesters: Sequence[str | None] | None = None,
                ) -> list[dict[str, Ranked]]:
        """Every field's ranked labels for each text (``requesters``: their e-mail
        addresses, aligned with ``texts``; optional)."""
        X = self.features(texts, requesters)
        out: list[dict[str, Ranked]] = [{} for _ in texts]
        for name, model in self.fields.items():
            for row, probs in enumerate(model.probabilities(X)):
                out[row][name] = model.ranked(probs)
        return out

    def predict_one(self, text: str, requester: str | None = None) -> dict[str, Ranked]:
        """``predict`` for one new ticket, without sparse matrices (intake's path)."""
        columns, values = self.space.transform_one(text, requester)
        return {name: model.ranked(softmax(
                    (values @ model.weights[columns] + model.intercept)[None, :],
                    model.temperature)[0])
                for name, model in self.fields.items()}

    def explain(self, text: str, field_name: str, label: str, k: int = 8,
                requester: str | None = None) -> list[tuple[str, float]]:
        """The words of ``text`` (and the requester) that pushed hardest towards ``label``,
        with their weight."""
        model = self.fields[field_name]
        hits = np.flatnonzero(model.classes == label)
        if not len(hits):
            return []
        terms = explaining.contributions(self.space, model.weights[:, hits[0]], text,
                                         requester)
        ranked = sorted(terms.items(), key=lambda kv: -kv[1])
        return [(term, round(w, 4)) for term, w in ranked[:k] if w > 0]


def fit(texts: Sequence[str], targets: Mapping[str, Sequence[str | None]],
        params: Params | None = None, progress: Progress | None = None,
        requesters: Sequence[str | None] | None = None) -> TriageModel:
    """Learn every field of ``targets`` (labels aligned with ``texts``; None: unknown).
    ``requesters``: the requester's e-mail for each text, when known."""
    params = params or Params()
    say = progress or (lambda _step: None)
    say("features")
    space, X = fit_space(texts, requesters, bits=params.hash_bits,
                         char_ngrams=params.char_ngrams,
                         weights=params.block_weights(len(texts)), min_df=params.min_df,
                         max_features=params.max_features)
    model = TriageModel(params, space)
    for name, labels in targets.items():
        say(name)
        known = np.array([lb is not None and lb != "" for lb in labels], dtype=bool)
        y = np.array([str(lb) for lb in labels], dtype=object)[known]
        if len(set(y)) < 2:
            continue  # nothing to learn: one value or none
        model.fields[name] = fit_field(X[known] if not known.all() else X, y, params)
    return model


def fit_field(X: sp.csr_matrix, y: np.ndarray, params: Params) -> FieldModel:
    classes, weights, intercept = _train(X, y, params)
    model = FieldModel(classes.astype(object), weights, intercept, trained_on=len(y))
    scores, truth = _out_of_fold(X, y, classes, params)
    if scores is not None:
        model.temperature = fit_temperature(scores, truth)
        probs = softmax(scores, model.temperature)
        correct = probs.argmax(axis=1) == truth
        model.threshold = threshold_for(probs.max(axis=1), correct)
    return model


def _train(X: sp.csr_matrix, y: np.ndarray, params: Params,
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One linear SVM per class against the rest; classes weigh ``(largest class / class
    size) ** power``: 0 is no weighting, 1 is "balanced", in between helps rare classes
    without sinking accuracy. Each class sees at most ``negatives`` tickets of the other
    classes, drawn at random and weighted up to stand for all of them (on small desks: all)."""
    classes, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    sample_weight = ((counts.max() / counts) ** params.class_weight_power)[inverse]
    columns = [0] if len(classes) == 2 else range(len(classes))
    weights = np.zeros((X.shape[1], len(classes)), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float32)
    for k in columns:
        rows, boost = _rows_for(inverse, k, params.negatives)
        target = inverse[rows] == k
        w = sample_weight[rows] * np.where(target, 1.0, boost)
        clf = LinearSVC(C=params.C, tol=params.tol, max_iter=params.max_iter)
        with warnings.catch_warnings():  # a bounded number of passes is the point
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X[rows], target, sample_weight=w)
        weights[:, k] = clf.coef_[0]
        intercept[k] = clf.intercept_[0]
    if len(classes) == 2:  # one hyperplane (the first class against the other): split it
        weights[:, 0] /= 2
        intercept[0] /= 2
        weights[:, 1], intercept[1] = -weights[:, 0], -intercept[0]
    return classes.astype(str), weights, intercept


def _rows_for(inverse: np.ndarray, k: int, negatives: int) -> tuple[np.ndarray, float]:
    """The tickets class ``k`` learns from: all of its own, at most ``negatives`` others;
    and the weight that makes the others drawn stand for all of them."""
    mine = inverse == k
    others = np.flatnonzero(~mine)
    if len(others) <= negatives:
        return np.arange(len(inverse)), 1.0
    drawn = np.random.default_rng(k).choice(others, negatives, replace=False)
    return np.sort(np.concatenate([np.flatnonzero(mine), drawn])), len(others) / negatives


def _out_of_fold(X: sp.csr_matrix, y: np.ndarray, classes: np.ndarray, params: Params,
                 ) -> tuple[np.ndarray | None, np.ndarray]:
    """Scores of up to ``calibration_rows`` tickets by models that did not see them, and
    the column of each one's true class."""
    folds = params.calibration_folds
    if folds < 2 or len(y) < 10 * folds:
        return None, np.empty(0, dtype=int)
    rows = np.random.default_rng(0).permutation(len(y))[: params.calibration_rows]
    scores = np.full((len(rows), len(classes)), -10.0)
    index = {c: i for i, c in enumerate(classes)}
    for part in np.array_split(np.arange(len(rows)), folds):
        train = rows[np.setdiff1d(np.arange(len(rows)), part)]
        if len(set(y[train])) < 2:
            return None, np.empty(0, dtype=int)
        fold_classes, weights, intercept = _train(X[train], y[train], params)
        cols = np.array([index[c] for c in fold_classes])
        scores[np.ix_(part, cols)] = np.asarray(X[rows[part]] @ weights) + intercept
    return scores, np.array([index[str(lb)] for lb in y[rows]])
