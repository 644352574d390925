"""Confidence: a softmax temperature fitted on out-of-fold scores, and the confidence
threshold above which predictions reach a target accuracy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar

TARGET_ACCURACY = 0.90  # auto-routing: predictions applied only where this accuracy holds
MARGIN = 1.5  # standard errors of the measured accuracy kept above the target


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / max(temperature, 1e-6)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the log-loss of ``scores`` (rows: tickets, columns:
    classes) against the true column of each row."""

    def loss(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))

    best = minimize_scalar(loss, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(best.x))


def coverage_at(confidence: Sequence[float], correct: np.ndarray, target: float,
                ) -> tuple[float, float]:
    """The largest share of tickets, taken by decreasing confidence, whose accuracy is at
    least ``target``; and the confidence threshold that selects them (1.0: none)."""
    conf = np.asarray(confidence, dtype=float)
    if not len(conf):
        return 0.0, 1.0
    order = np.argsort(-conf, kind="stable")
    running = np.cumsum(np.asarray(correct)[order]) / np.arange(1, len(conf) + 1)
    ok = np.flatnonzero(running >= target)
    if not len(ok):
        return 0.0, 1.0
    last = int(ok.max())
    return (last + 1) / len(conf), float(conf[order[last]])


def threshold_for(confidence: np.ndarray, correct: np.ndarray, target: float = TARGET_ACCURACY,
                  margin: float = MARGIN) -> float:
    """The lowest confidence threshold whose selected tickets are accurate at ``target``
    with ``margin`` standard errors to spare (1.0: none qualifies).

    Choosing the largest coverage where the measured accuracy just touches the target
    picks noise; the margin keeps the accuracy on new tickets at the target."""
    conf = np.asarray(confidence, dtype=float)
    if not len(conf):
        return 1.0
    order = np.argsort(-conf, kind="stable")
    n = np.arange(1, len(conf) + 1)
    running = np.cumsum(np.asarray(correct)[order]) / n
    lower = running - margin * np.sqrt(running * (1 - running) / n)
    ok = np.flatnonzero(lower >= target)
    return float(conf[order[int(ok.max())]]) if len(ok) else 1.0
