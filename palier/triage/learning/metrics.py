"""Scores for a triage model: accuracy, F1, top-k, auto-routing coverage, confusion."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.metrics import classification_report as sk_report
from sklearn.model_selection import KFold, StratifiedKFold

from palier.triage.learning.calibration import TARGET_ACCURACY, coverage_at
from palier.triage.learning.model import Params, Ranked, fit

__all__ = ["TARGET_ACCURACY", "Evaluation", "coverage_at", "cross_validate", "holdout"]


@dataclass
class Evaluation:
    truth: list[str]
    predicted: list[str]
    confidence: list[float]
    top3_hit: list[bool]
    threshold: list[float] | None = None  # per ticket: the threshold its model chose

    def summary(self) -> dict:
        y, p = self.truth, self.predicted
        coverage, threshold = coverage_at(self.confidence, self.correct(), TARGET_ACCURACY)
        return {
            "tickets": len(y),
            "classes": len(set(y)),
            "accuracy": round(float(accuracy_score(y, p)), 4),
            "macro_f1": round(float(f1_score(y, p, average="macro", zero_division=0)), 4),
            "weighted_f1": round(float(f1_score(y, p, average="weighted", zero_division=0)),
                                 4),
            "top3_accuracy": round(float(np.mean(self.top3_hit)), 4),
            "auto_routing": {"target_accuracy": TARGET_ACCURACY, **self.held_out_routing(),
                             "best_coverage": round(coverage, 4),
                             "best_threshold": round(threshold, 4)},
        }

    def held_out_routing(self) -> dict:
        """Auto-routing as intake would do it: each ticket applied when its confidence
        clears the threshold its model chose on its own training tickets (out of fold).
        ``best_coverage`` above is the hindsight figure, the threshold chosen on these very
        predictions."""
        if self.threshold is None:
            return {"coverage": None, "accuracy": None}
        chosen = np.asarray(self.confidence) >= np.asarray(self.threshold)
        accuracy = float(self.correct()[chosen].mean()) if chosen.any() else None
        return {"coverage": round(float(chosen.mean()), 4),
                "accuracy": None if accuracy is None else round(accuracy, 4)}

    def correct(self) -> np.ndarray:
        return np.array(self.truth, dtype=object) == np.array(self.predicted, dtype=object)

    def per_class(self) -> dict:
        return sk_report(self.truth, self.predicted, output_dict=True, zero_division=0)

    def per_class_text(self) -> str:
        return sk_report(self.truth, self.predicted, zero_division=0, digits=3)

    def curve(self, thresholds: Sequence[float] = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9,
                                                     0.95, 0.98)) -> list[dict]:
        """Coverage and accuracy of auto-routing at each confidence threshold."""
        conf = np.array(self.confidence)
        correct = self.correct()
        rows = []
        for t in thresholds:
            chosen = conf >= t
            rows.append({"threshold": t, "coverage": round(float(chosen.mean()), 4),
                         "accuracy": round(float(correct[chosen].mean()), 4)
                         if chosen.any() else None})
        return rows

    def confusion(self, limit: int = 20) -> tuple[list[str], np.ndarray]:
        """The confusion matrix over the ``limit`` most frequent true classes."""
        labels, counts = np.unique(self.truth, return_counts=True)
        kept = [str(lb) for lb in labels[np.argsort(-counts)][:limit]]
        return kept, confusion_matrix(self.truth, self.predicted, labels=kept)


def score(truth: Sequence[str], ranked: Sequence[Ranked],
          thresholds: Sequence[float] | None = None) -> Evaluation:
    return Evaluation(list(truth), [r.label for r in ranked], [r.confidence for r in ranked],
                      [t in r.labels[:3] for t, r in zip(truth, ranked, strict=True)],
                      None if thresholds is None else list(thresholds))


def cross_validate(texts: Sequence[str], labels: Sequence[str], folds: int = 5,
                   params: Params | None = None, seed: int = 0,
                   progress: Callable[[int], None] | None = None,
                   requesters: Sequence[str | None] | None = None) -> Evaluation:
    """Out-of-fold predictions for every ticket, stratified: each class spread over the
    folds as evenly as its size allows (a class smaller than the fold count is absent from
    some folds, as in any split);
    ``requesters``, when given, are learned and predicted with the texts."""
    texts = np.array(texts, dtype=object)
    people = np.array(requesters if requesters is not None else [None] * len(texts),
                      dtype=object)
    y = np.array([str(lb) for lb in labels], dtype=object)
    _, counts = np.unique(y, return_counts=True)
    splitter = (StratifiedKFold(folds, shuffle=True, random_state=seed)
                if counts.max() >= folds else KFold(folds, shuffle=True, random_state=seed))
    ranked: list[Ranked | None] = [None] * len(y)
    thresholds = [1.0] * len(y)
    with warnings.catch_warnings():  # classes smaller than the fold count are expected
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(texts, y))
    for i, (train, test) in enumerate(splits):
        model = fit(list(texts[train]), {"label": list(y[train])}, params,
                    requesters=list(people[train]))
        threshold = model.fields["label"].threshold
        predictions = model.predict(list(texts[test]), list(people[test]))
        for row, pred in zip(test, predictions, strict=True):
            ranked[row] = pred["label"]
            thresholds[row] = threshold
        if progress:
            progress(i + 1)
    return score(list(y), ranked, thresholds)  # type: ignore[arg-type]


def holdout(train_texts: Sequence[str], train_labels: Sequence[str],
            test_texts: Sequence[str], test_labels: Sequence[str],
            params: Params | None = None,
            train_requesters: Sequence[str | None] | None = None,
            test_requesters: Sequence[str | None] | None = None) -> Evaluation:
    """Train on one set, score on the other."""
    model = fit(list(train_texts), {"label": [str(x) for x in train_labels]}, params,
                requesters=train_requesters)
    ranked = [p["label"] for p in model.predict(list(test_texts), test_requesters)]
    threshold = model.fields["label"].threshold
    return score([str(x) for x in test_labels], ranked, [threshold] * len(ranked))
