"""``palier kb reindex``: rebuild the knowledge search index (full text and embeddings);
``palier kb prepare``: export the embedding model's graph now (once per install)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from palier.knowledge import index
from palier.knowledge.models import Article


class Command(BaseCommand):
    help = ("Knowledge base maintenance: `palier kb reindex` rebuilds the search index; "
            "`palier kb prepare` readies the embedding model.")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="rebuild full text and embeddings")
        reindex.add_argument("--batch", type=int, default=256)
        sub.add_parser("prepare", help="export the embedding model's graph if not done yet")

    def handle(self, *args, action: str, batch: int = 256, **options) -> None:
        if action == "prepare":
            if not index.prepare_model():
                raise CommandError("The embedding model is not ready (PALIER_KB_MODEL=off "
                                   "switches it off; otherwise the log above says why).")
            self.stdout.write("The embedding model is ready.")
            return
        if action != "reindex":  # argparse already refuses others; kept for direct calls
            raise CommandError(f"Unknown action {action!r}; use `palier kb reindex`.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        total = Article.objects.count()
        if index.model() is None:
            self.stderr.write(f"Full text only: {index.model_missing_reason()}.")
        with tqdm(total=total, unit="article", disable=not sys.stderr.isatty(),
                  file=sys.stderr) as bar:
            done = index.rebuild(bar.update, batch=batch)
        self.stdout.write(f"Reindexed {done} article(s).")
