"""``palier triage train|evaluate|explain``: the triage model from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from palier.core.errors import DomainError
from palier.triage import selectors
from palier.triage.learning import metrics, report
from palier.triage.learning.data import BadData, read_labelled
from palier.triage.learning.model import Params
from palier.triage.models import ModelStatus
from palier.triage.services import train


class Command(BaseCommand):
    help = ("Triage: `train` a new model from resolved tickets, `evaluate` on a CSV file, "
            "`explain` what drove a ticket's prediction.")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("train", help="train a new model version from resolved tickets")
        ev = sub.add_parser("evaluate", help="cross-validate (or hold out) on a CSV file")
        ev.add_argument("--data", required=True, type=Path, help="CSV file with a header")
        ev.add_argument("--text", required=True, help="text column(s), comma-separated")
        ev.add_argument("--label", required=True, help="the column to predict")
        ev.add_argument("--requester", help="the requester's column (e-mail or caller name), "
                                            "learned with the text when given")
        ev.add_argument("--folds", type=int, default=5)
        ev.add_argument("--test", type=Path, help="train on --data, score on this file")
        ev.add_argument("--limit", type=int, help="read at most this many rows")
        ev.add_argument("--image", type=Path, help="write the confusion matrix PNG here")
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")
        ex = sub.add_parser("explain", help="the words that drove a ticket's prediction")
        ex.add_argument("ticket", help="ticket number (INC-000123) or id")

    def handle(self, *args, action: str, **options) -> None:
        handler = {"train": self._train, "evaluate": self._evaluate,
                   "explain": self._explain}.get(action)
        if handler is None:
            raise CommandError(f"Unknown action {action!r}; use train, evaluate or explain.")
        handler(**options)

    def _train(self, **_options) -> None:
        steps = ["features", "category", "group", "priority"]
        with tqdm(total=len(steps), unit="step", disable=not sys.stderr.isatty(),
                  file=sys.stderr) as bar:
            def progress(step: str) -> None:
                bar.set_description(step)
                bar.update(1)

            result = train(progress)
        if result.status == ModelStatus.SKIPPED:
            self.stderr.write(f"No model trained. {result.message}")
            return
        self.stdout.write(f"Model v{result.version} ({result.file}, {result.seconds:.1f} s): "
                          f"{result.message}")

    def _evaluate(self, *, data: Path, text: str, label: str, folds: int, test: Path | None,
                  limit: int | None, image: Path | None, json: bool,
                  requester: str | None = None, **_options) -> None:
        columns = [c.strip() for c in text.split(",") if c.strip()]
        if not columns:
            raise CommandError("--text names at least one column.")
        if test is None and not 2 <= folds <= 20:
            raise CommandError("--folds is between 2 and 20.")
        try:
            train_set = read_labelled(data, columns, label, requester, limit)
            if test is not None:
                test_set = read_labelled(test, columns, label, requester)
                evaluation = metrics.holdout(train_set.texts, train_set.labels, test_set.texts,
                                             test_set.labels, Params(), train_set.requesters,
                                             test_set.requesters)
            else:
                evaluation = self._cross_validate(train_set.texts, train_set.labels, folds,
                                                  train_set.requesters)
        except BadData as exc:
            raise CommandError(str(exc)) from None
        if image is not None:
            report.confusion_png(evaluation, image)
        self._print(evaluation, as_json=json, image=image)

    def _cross_validate(self, texts: list[str], labels: list[str], folds: int,
                        requesters: list[str] | None):
        if len(texts) < folds * 2:
            raise BadData(f"{len(texts)} rows are too few for {folds} folds.")
        with tqdm(total=folds, unit="fold", disable=not sys.stderr.isatty(),
                  file=sys.stderr) as bar:
            return metrics.cross_validate(texts, labels, folds, Params(),
                                          progress=lambda _i: bar.update(1),
                                          requesters=requesters)

    def _print(self, evaluation, *, as_json: bool, image: Path | None) -> None:
        if as_json:
            figures = report.as_dict(evaluation)
            figures["image"] = str(image) if image else None
            self.stdout.write(json_dumps(figures))
            return
        self.stdout.write(report.as_text(evaluation))
        if image is not None:
            self.stdout.write(f"\nconfusion matrix image: {image}")

    def _explain(self, *, ticket: str, **_options) -> None:
        try:
            result = selectors.explain_ticket(None, ticket)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{result['ticket']} (model v{result['model_version']})")
        for name, info in result["fields"].items():
            top = ", ".join(f"{t['label']} {t['confidence']:.2f}" for t in info["top"])
            why = ", ".join(f"{w} (+{v:.2f})" for w, v in info["why"]) or "-"
            self.stdout.write(f"  {name}: {top}\n    why: {why}")
            if info["at_intake"]:
                seen = info["at_intake"]
                verb = "applied" if seen["applied"] else "suggested"
                self.stdout.write(f"    at intake: {seen['label']} {seen['confidence']:.2f} "
                                  f"({verb}, v{seen['model_version']})")


def json_dumps(value) -> str:
    return json.dumps(value, indent=1, default=str)
