"""Knowledge search benchmark: quality (MRR@10, recall@1, recall@5) and latency (p50, p95) of
full-text, semantic and hybrid search on StackFAQ (125 articles, 750 paraphrased queries),
optionally padded with generated articles to show the cost at scale.

    .venv/bin/python bench/kb_search.py --data ../shared/data/stackfaq_webapps
    .venv/bin/python bench/kb_search.py --data ../shared/data/stackfaq_webapps --articles 100000
    .venv/bin/python bench/kb_search.py --data … --sweep     # the fusion weight, measured
    .venv/bin/python bench/kb_search.py --data … --articles 100000 --padding-vectors random

Searches go through ``palier.knowledge.selectors.search`` as a desk manager (every article
visible), so the figures include visibility filtering, the database round trips, the query
embedding and the snippets. When the index is large enough for approximate search (faiss
codes, ADR 7), ``approximate`` gives their build time and memory, and the recall of their
top 10 and top 30 against scoring every row, with both searches' own CPU time.
Padding articles are bags of the corpus's own words (so common query words match thousands
of them); their embeddings are cached under var/bench/ keyed by a hash of how they were
made, so reruns are quick. Prints JSON.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import machine, percentiles  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / os.environ.get("PALIER_BENCH_KB_DB", "kb_search.sqlite3")
PG_SERVER = os.environ.get("PALIER_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("PALIER_BENCH_KB_PG_DB", "palier_bench_kb")
MODES = ("full_text", "semantic", "hybrid")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="folder with articles.csv and queries.csv (StackFAQ)")
    parser.add_argument("--articles", type=int, default=0,
                        help="total articles: pad the corpus with generated ones up to this")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sweep", action="store_true",
                        help="also print quality for a range of fusion weights and for RRF")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--padding-vectors", choices=["model", "random"], default="model",
                        help="embed the padding with the model (cached), or give it random "
                             "unit vectors: same search cost, for latency only (the padding "
                             "then never competes, so quality at that size is not measured)")
    parser.add_argument("--exact", action="store_true",
                        help="score every row at any size (no approximate search): the "
                             "figures before faiss, for comparison")
    args = parser.parse_args()
    if not (args.data / "articles.csv").exists():
        parser.error(f"{args.data}/articles.csv not found")
    return args


def setup_database(kind: str) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["PALIER_DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        os.environ["PALIER_DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def padding_texts(corpus: list[dict], count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` generated (title, body) pairs drawn from the corpus's word frequencies."""
    from palier.knowledge.text import WORD

    counts = Counter(w.lower() for row in corpus for w in WORD.findall(row["body"]))
    vocabulary, weights = zip(*counts.most_common(), strict=True)
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        title = " ".join(rng.choices(vocabulary, weights, k=rng.randint(4, 9))).capitalize()
        body = " ".join(rng.choices(vocabulary, weights, k=rng.randint(30, 90)))
        texts.append((title, body + "."))
    return texts


def desk():
    """A client and a desk manager who sees every article."""
    from palier.accounts.models import Agent, Level, Role, User
    from palier.clients.models import Client

    if not Level.objects.exists():
        Level.objects.bulk_create([Level(code=f"L{r}", name=f"Level {r}", rank=r)
                                   for r in (1, 2, 3)])
    client = Client.objects.create(name="Bench", code="bench")
    user = User.objects.create_user("manager@bench.test", "x", role=Role.MANAGER)
    Agent.objects.create(user=user).clients.add(client)
    return User.objects.get(pk=user.pk)


def load(corpus: list[dict], padding: list[tuple[str, str]], owner) -> dict[int, int]:
    """Articles in bulk (published, public, shared); returns article pk → StackFAQ id."""
    from palier.core import clock
    from palier.knowledge.models import Article

    now = clock.now()
    rows = [(row["title"], row["body"], int(row["article_id"])) for row in corpus]
    rows += [(title, body, -1) for title, body in padding]
    mapping: dict[int, int] = {}
    for start in range(0, len(rows), 5000):
        chunk = rows[start:start + 5000]
        made = Article.objects.bulk_create([
            Article(title=title[:200], body=body, audience="public", status="published",
                    owner=owner, created_at=now, updated_at=now, published_at=now)
            for title, body, _ in chunk])
        mapping.update({a.pk: faq for a, (_, _, faq) in zip(made, chunk, strict=True)})
    return mapping


def index_all(mapping: dict[int, int], padding_count: int, seed: int,
              random_padding: bool = False) -> dict:
    """Full text for every article; embeddings (the padding's cached on disk)."""
    import numpy as np
    from django.db import transaction

    from palier.knowledge import index, text
    from palier.knowledge.lexical import document_terms
    from palier.knowledge.models import Article, SearchDocument
    from palier.knowledge.vectors import to_bytes

    started = time.perf_counter()
    encoder = index.model()
    ids = sorted(mapping)
    articles = Article.objects.in_bulk(ids)
    plains = {pk: text.plain_text(articles[pk].body) for pk in ids}
    texts = {pk: index.embedding_text(articles[pk], plains[pk]) for pk in ids}
    corpus_ids = [pk for pk in ids if mapping[pk] >= 0]
    padding_ids = [pk for pk in ids if mapping[pk] < 0]
    vectors: dict[int, bytes] = {}
    if encoder is not None:
        corpus = index.article_vectors(encoder, [articles[pk].title for pk in corpus_ids],
                                       [texts[pk] for pk in corpus_ids])
        vectors.update({pk: to_bytes(v) for pk, v in zip(corpus_ids, corpus, strict=True)})
        if random_padding:
            padding = random_vectors(len(padding_ids), seed)
        else:
            padding = np.hstack([
                padding_vectors(encoder, [articles[pk].title for pk in padding_ids], seed),
                padding_vectors(encoder, [texts[pk] for pk in padding_ids], seed)])
        vectors.update({pk: to_bytes(v) for pk, v in zip(padding_ids, padding, strict=True)})
    embedded = time.perf_counter()
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        with transaction.atomic():
            generation = index.next_generation()
            SearchDocument.objects.bulk_create([SearchDocument(
                article_id=pk, plain=plains[pk], generation=generation,
                terms=document_terms(articles[pk].title, [], plains[pk], "en"),
                model=encoder.name if encoder else "", vector=vectors.get(pk))
                for pk in chunk])
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum does soon after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stored = time.perf_counter()
    index.memory.current()  # this process's in-memory index, as a web process loads it
    gc.collect()  # and, as a web process then does (gunicorn_conf.post_worker_init), moved
    gc.freeze()  # out of the collector's way: full collections no longer walk it
    return {"embed_s": round(embedded - started, 1), "index_s": round(stored - embedded, 1),
            "memory_load_s": round(time.perf_counter() - stored, 1)}


def random_vectors(count: int, seed: int):
    """``count`` rows of two random unit vectors (title, text), as the index stores them."""
    import numpy as np

    parts = np.random.default_rng(seed).standard_normal((count, 2, 384), dtype=np.float32)
    parts /= np.linalg.norm(parts, axis=2, keepdims=True)
    return parts.reshape(count, 768)


def padding_vectors(encoder, texts: list[str], seed: int):
    """The padding's embeddings, from var/bench/ when this exact padding was embedded before."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), np.float32)  # all-MiniLM-L6-v2's dimensions
    key = hashlib.sha256("\n".join([encoder.name, str(seed), *texts]).encode()).hexdigest()[:16]
    path = BENCH_DIR / f"kb_padding_{len(texts)}_{key}.npy"
    if path.exists():
        return np.load(path)
    from tqdm import tqdm

    parts = []
    for start in tqdm(range(0, len(texts), 512), desc="embedding padding", file=sys.stderr,
                      disable=not sys.stderr.isatty()):
        parts.append(encoder.encode(texts[start:start + 512]))
    matrix = np.vstack(parts).astype(np.float32)
    np.save(path, matrix)
    return matrix


def evaluate(actor, queries: list[dict], mapping: dict[int, int]) -> dict:
    """Quality and latency of each mode through the real search selector."""
    from palier.knowledge import ranking, selectors

    results = {}
    for mode in MODES:
        for row in queries[:10]:  # warm up caches and the model
            selectors.search(actor, row["query"], mode=mode)
        rr, r1, r5, latencies, cpu, actual = [], [], [], [], [], mode
        for row in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            found = selectors.search(actor, row["query"], limit=10, mode=mode)
            latencies.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            actual = found.mode
            ranked = [mapping[hit.article.pk] for hit in found.hits]
            relevant = int(row["article_id"])
            rr.append(ranking.reciprocal_rank_at(ranked, relevant, 10))
            r1.append(ranking.hit_at(ranked, relevant, 1))
            r5.append(ranking.hit_at(ranked, relevant, 5))
        results[mode] = {"mode_run": actual, "mrr@10": round(sum(rr) / len(rr), 4),
                         "recall@1": round(sum(r1) / len(r1), 4),
                         "recall@5": round(sum(r5) / len(r5), 4),
                         "latency": percentiles(latencies),
                         "cpu_ms_this_process": percentiles(cpu)}
    return results


def approximate_build() -> dict | None:
    """The approximate codes of this process's index, built again and timed; None when the
    index is small enough to be searched exactly."""
    from palier.knowledge import index
    from palier.knowledge.ann import Approximate

    vectors = index.memory.current().vectors
    if vectors.approximate is None:
        return None
    started, started_cpu = time.perf_counter(), time.process_time()
    codes = Approximate(vectors.dimensions, vectors.parts, vectors.rows.ids, vectors.matrix)
    return {"articles": len(vectors), "codes": len(codes),
            "build_wall_s": round(time.perf_counter() - started, 2),
            "build_cpu_s": round(time.process_time() - started_cpu, 2),
            "codes_mb": round(codes.memory_bytes() / 2**20, 1),
            "matrix_mb": round(vectors.matrix.nbytes / 2**20, 1)}


def approximate_recall(actor, queries: list[dict]) -> dict:
    """Recall of the approximate top 10 and top 30 against scoring every row, and each
    search's CPU time (query embeddings computed once, outside the timings)."""
    from palier.knowledge import index, selectors

    encoder = index.model()
    vectors = index.memory.current().vectors
    who = selectors.viewer(actor)
    embedded = [encoder.encode_one(row["query"]) for row in queries]
    out = {}
    for k in (10, 30):
        hits, fast, slow = 0, [], []
        for query in embedded:
            started = time.thread_time()
            found = {pk for pk, _ in vectors.top(query, who, k)}
            fast.append((time.thread_time() - started) * 1000)
            started = time.thread_time()
            truth = {pk for pk, _ in vectors.top(query, who, k, exact=True)}
            slow.append((time.thread_time() - started) * 1000)
            hits += len(found & truth)
        out[f"recall@{k}"] = round(hits / (k * len(embedded)), 4)
        out[f"top{k}_cpu_ms"] = {"approximate": percentiles(fast), "exact": percentiles(slow)}
    return out


def query_embedding_latency(queries: list[dict]) -> dict:
    from palier.knowledge import index

    encoder = index.model()
    if encoder is None:
        return {}
    samples = []
    for row in queries[:200]:
        started = time.perf_counter()
        encoder.encode_one(row["query"])
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def sweep(actor, queries: list[dict], mapping: dict[int, int]) -> dict:
    """Quality of weighted fusion for weights 0…1 and of RRF, from the same candidates."""
    from palier.knowledge import fulltext, index, ranking, selectors

    who = selectors.viewer(actor)
    lists = [(fulltext.search(who, r["query"], limit=30),
              index.semantic(who, r["query"], limit=30) or [], int(r["article_id"]))
             for r in queries]
    fusers = {f"weighted_{w / 10:.1f}": (lambda ft, se, w=w: ranking.weighted(ft, se, w / 10))
              for w in range(11)}
    fusers["rrf_60"] = lambda ft, se: ranking.reciprocal_rank(ft, se)
    out = {}
    for name, fuse in fusers.items():
        ranks = [[mapping[pk] for pk, _ in fuse(ft, se)[:10]] for ft, se, _ in lists]
        gold = [relevant for _, _, relevant in lists]
        n = len(gold)
        out[name] = {
            "mrr@10": round(sum(map(ranking.reciprocal_rank_at, ranks, gold)) / n, 4),
            "recall@1": round(sum(map(ranking.hit_at, ranks, gold, [1] * n)) / n, 4),
            "recall@5": round(sum(map(ranking.hit_at, ranks, gold, [5] * n)) / n, 4)}
    return out


def main() -> None:
    args = arguments()
    corpus = read_csv(args.data / "articles.csv")
    queries = read_csv(args.data / "queries.csv")
    queries = queries[:args.queries] if args.queries else queries
    setup_database(args.database)
    from palier.knowledge import index, vectors

    if args.exact:
        vectors.APPROXIMATE_FROM = sys.maxsize
        index.memory = index.Memory()

    padding = padding_texts(corpus, max(0, args.articles - len(corpus)), args.seed)
    actor = desk()
    mapping = load(corpus, padding, actor)
    build = index_all(mapping, len(padding), args.seed, args.padding_vectors == "random")
    report = {"benchmark": "kb_search", "database": args.database, "articles": len(mapping),
              "queries": len(queries), "model": index.model().name if index.model() else None,
              "model_missing": index.model_missing_reason(), "build": build,
              "padding_vectors": args.padding_vectors if padding else None,
              "search": "exact" if args.exact else "approximate from "
                        f"{vectors.APPROXIMATE_FROM} articles",
              "machine": machine()}
    report["results"] = evaluate(actor, queries, mapping)
    report["query_embedding"] = query_embedding_latency(queries)
    if index.model() is not None:
        report["approximate"] = approximate_build()
        if report["approximate"]:
            report["approximate"].update(approximate_recall(actor, queries))
    if args.sweep:
        report["sweep"] = sweep(actor, queries, mapping)
    report["machine"]["load_average_after"] = machine()["load_average"]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
