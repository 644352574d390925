"""Keeping the search index true: stems written with the article (same transaction),
embeddings computed after commit, and each process's in-memory index (BM25 postings and
vectors) refreshed when the index generation moves."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from palier.knowledge import embedding, text
from palier.knowledge.lexical import LexicalIndex, document_terms
from palier.knowledge.models import Article, ArticleStatus, Audience, IndexState, SearchDocument
from palier.knowledge.vectors import NO_CATEGORY, SHARED, Rows, VectorIndex, Viewer, from_bytes
from palier.knowledge.vectors import to_bytes as vector_bytes

EMBED_BATCH = 64


def model() -> embedding.Embedder | None:
    return embedding.embedder(settings.PALIER_KB_MODEL, settings.DATA_DIR / "models")


def prepare_model() -> bool:
    """Have the model's graph ready before web processes start (``serve --prod``)."""
    return embedding.prepare(settings.PALIER_KB_MODEL, settings.DATA_DIR / "models")


def model_missing_reason() -> str:
    return embedding.unavailable_reason(settings.PALIER_KB_MODEL)


PARTS = 2  # an article's vectors: its title, and its title, tags and body


def embedding_text(article: Article, plain: str) -> str:
    return f"{article.title}. {' '.join(article.tags or [])}. {plain[:2000]}"


def article_vectors(encoder: embedding.Embedder, titles: list[str],
                    texts: list[str]) -> np.ndarray:
    """One row per article: the title's vector then the full text's (unit vectors)."""
    return np.hstack([encoder.encode(titles), encoder.encode(texts)])


def sync(article: Article) -> None:
    """Index the article now (its stems) and embed it once the transaction commits."""
    plain = text.plain_text(article.body)
    SearchDocument.objects.update_or_create(
        article=article, defaults={"plain": plain, "terms": _terms(article, plain),
                                   "generation": next_generation()})
    transaction.on_commit(lambda: embed_articles([article.pk]))


def _terms(article: Article, plain: str) -> str:
    return document_terms(article.title, article.tags or [], plain, article.language)


def next_generation() -> int:
    """Bump and return the index generation (serialised by the row lock)."""
    state, _ = IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(generation=F("generation") + 1)
    state.refresh_from_db()
    return state.generation


def embed_articles(ids: Iterable[int], *, force: bool = False) -> int:
    """Embed the given articles whose text changed since their last embedding."""
    encoder = model()
    if encoder is None:
        return 0
    docs = list(SearchDocument.objects.filter(article_id__in=list(ids))
                .select_related("article"))
    todo = []
    for doc in docs:
        digest = hashlib.sha256(f"{PARTS}:{embedding_text(doc.article, doc.plain)}"
                                .encode()).hexdigest()
        if force or doc.text_hash != digest or doc.model != encoder.name or doc.vector is None:
            todo.append((doc, digest))
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start:start + EMBED_BATCH]
        vectors = article_vectors(encoder, [d.article.title for d, _ in batch],
                                  [embedding_text(d.article, d.plain) for d, _ in batch])
        with transaction.atomic():
            generation = next_generation()
            for (doc, digest), vector in zip(batch, vectors, strict=True):
                SearchDocument.objects.filter(pk=doc.pk).update(
                    vector=vector_bytes(vector), text_hash=digest, model=encoder.name,
                    generation=generation)
    return len(todo)


def embed_pending() -> int:
    """Worker job: embed articles still without a vector (e.g. written while the model was
    unavailable) or with another model's; returns how many."""
    encoder = model()
    if encoder is None:
        return 0
    ids = list(SearchDocument.objects.filter(Q(vector__isnull=True) | ~Q(model=encoder.name))
               .values_list("article_id", flat=True)[:EMBED_BATCH])
    return embed_articles(ids) if ids else 0


def rebuild(progress: Callable[[int], None] = lambda n: None, *, batch: int = 256) -> int:
    """Re-index every article (stems and embeddings); returns how many."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        with transaction.atomic():
            generation = next_generation()
            for article in Article.objects.filter(pk__in=chunk):
                plain = text.plain_text(article.body)
                SearchDocument.objects.update_or_create(
                    article=article, defaults={"plain": plain, "terms": _terms(article, plain),
                                               "generation": generation})
        embed_articles(chunk)
        progress(len(chunk))
    return len(ids)


class Memory:
    """This process's copy of the published articles' index (BM25 postings and vectors),
    refreshed by generation."""

    def __init__(self) -> None:
        self.generation = -1
        self.vectors = VectorIndex(embedding.DIMENSIONS, PARTS)
        self.lexical = LexicalIndex()
        self.lock = threading.Lock()

    def current(self) -> Memory:
        """Up to date with the database (one indexed read when nothing changed)."""
        latest = IndexState.objects.values_list("generation", flat=True).first() or 0
        if latest != self.generation:
            with self.lock:
                if latest != self.generation:
                    self._load_since(self.generation if latest > self.generation else -1)
                    self.generation = latest
        return self

    def _load_since(self, generation: int) -> None:
        if generation < 0:
            self.vectors = VectorIndex(embedding.DIMENSIONS, PARTS)
            self.lexical = LexicalIndex()
        rows = (SearchDocument.objects.filter(generation__gt=generation)
                .values_list("article_id", "vector", "article__status", "article__audience",
                             "article__min_level__rank", "article__client_id",
                             "article__category_id", "terms", "model")
                .iterator(chunk_size=2000))
        encoder = model()
        current = encoder.name if encoder is not None else None
        published, embedded, withdrawn, unembedded = [], [], [], []
        for row in rows:
            if row[2] != ArticleStatus.PUBLISHED:
                withdrawn.append(row[0])
            elif (row[8] == current and row[1] is not None  # another model's: not comparable
                  and len(row[1]) == 4 * PARTS * embedding.DIMENSIONS):
                published.append(row)
                embedded.append(row)
            else:  # no vector (yet): full text only
                published.append(row)
                unembedded.append(row[0])
        self.lexical.remove(withdrawn)
        if published:
            self.lexical.upsert(_rows(published), [row[7] for row in published])
        self.vectors.remove(np.array(withdrawn + unembedded, np.int64))
        if embedded:
            self.vectors.upsert(_rows(embedded),
                                np.vstack([from_bytes(bytes(r[1])) for r in embedded]))


def _rows(rows: list[tuple]) -> Rows:
    return Rows(
        ids=np.array([r[0] for r in rows], np.int64),
        public=np.array([r[3] == Audience.PUBLIC for r in rows], bool),
        min_rank=np.array([r[4] or 0 for r in rows], np.int16),
        client=np.array([r[5] or SHARED for r in rows], np.int64),
        category=np.array([r[6] or NO_CATEGORY for r in rows], np.int64),
    )


memory = Memory()


def semantic(who: Viewer, query: str, *, limit: int) -> list[tuple[int, float]] | None:
    """Most similar published articles ``who`` may see, or None without a model."""
    encoder = model()
    if encoder is None:
        return None
    vectors = memory.current().vectors
    return vectors.top(encoder.encode_one(query), who, limit)
