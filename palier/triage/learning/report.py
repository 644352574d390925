"""Evaluation reports as text, as JSON-ready values, and the confusion matrix as a PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from palier.triage.learning.metrics import Evaluation


def as_dict(evaluation: Evaluation, confusion_limit: int = 20) -> dict:
    labels, matrix = evaluation.confusion(confusion_limit)
    return {**evaluation.summary(), "curve": evaluation.curve(),
            "per_class": evaluation.per_class(),
            "confusion": {"labels": labels, "matrix": matrix.tolist()}}


def as_text(evaluation: Evaluation, confusion_limit: int = 12) -> str:
    s = evaluation.summary()
    auto = s["auto_routing"]
    lines = [
        f"tickets {s['tickets']}, classes {s['classes']}",
        f"accuracy     {s['accuracy']:.4f}",
        f"macro-F1     {s['macro_f1']:.4f}",
        f"weighted-F1  {s['weighted_f1']:.4f}",
        f"top-3        {s['top3_accuracy']:.4f}",
        f"auto-routing {_held_out(auto)}",
        f"  in hindsight {auto['best_coverage']:.1%} of tickets at ≥ "
        f"{auto['target_accuracy']:.0%} accuracy (confidence ≥ {auto['best_threshold']:.3f})",
        "", "coverage and accuracy by confidence threshold:",
        "  threshold  coverage  accuracy",
    ]
    for row in evaluation.curve():
        acc = "-" if row["accuracy"] is None else f"{row['accuracy']:.4f}"
        lines.append(f"  {row['threshold']:>9.2f}  {row['coverage']:>8.4f}  {acc:>8}")
    lines += ["", "per class:", evaluation.per_class_text(), confusion_text(evaluation,
                                                                           confusion_limit)]
    return "\n".join(lines)


def _held_out(auto: dict) -> str:
    """The auto-routing figure with thresholds chosen on the training tickets."""
    if auto["coverage"] is None:
        return "-"
    accuracy = "-" if auto["accuracy"] is None else f"{auto['accuracy']:.1%}"
    return (f"{auto['coverage']:.1%} of tickets at {accuracy} accuracy (threshold chosen "
            f"out of fold on the training tickets for ≥ {auto['target_accuracy']:.0%})")


def confusion_text(evaluation: Evaluation, limit: int = 12) -> str:
    labels, matrix = evaluation.confusion(limit)
    short = [lb[:10] for lb in labels]
    width = max([len(s) for s in short] + [5])
    head = " " * (width + 2) + " ".join(f"{i:>5}" for i in range(len(labels)))
    rows = [f"confusion matrix (rows: true, columns: predicted; {len(labels)} most frequent "
            "classes):", head]
    for i, (name, row) in enumerate(zip(short, matrix, strict=True)):
        rows.append(f"{i:>2} {name:<{width}}" + " ".join(f"{v:>5}" for v in row))
    return "\n".join(rows)


def confusion_png(evaluation: Evaluation, path: Path, limit: int = 30) -> Path:
    """Draw the row-normalised confusion matrix of the most frequent classes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels, matrix = evaluation.confusion(limit)
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float),
                      where=totals > 0)
    size = max(5.0, 0.35 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    summary = evaluation.summary()
    ax.set_title(f"accuracy {summary['accuracy']:.3f}, macro-F1 {summary['macro_f1']:.3f}")
    fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
