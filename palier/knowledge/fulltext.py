"""Full-text search in the database: SQLite FTS5 (BM25) or PostgreSQL (tsvector, GIN).

Both hold the same words: on SQLite the text is stemmed in Python (Snowball, English or
French by the article's language) and FTS5 indexes the stems; on PostgreSQL the ``english``
or ``french`` text-search configuration stems it. A query is an OR of its words in both
languages, ranked by BM25 (SQLite) or ``ts_rank_cd`` (PostgreSQL) with the title weighted
above the body.
"""

from __future__ import annotations

from django.db import connection

from palier.accounts.models import Level
from palier.knowledge import text
from palier.knowledge.vectors import Viewer

FTS_TABLE = "knowledge_fts"
CONFIGS = {"en": "english", "fr": "french"}
BODY_WORDS = 300  # the body's opening words are indexed: on StackFAQ, MRR 0.787 → 0.808
WEIGHTS = "10.0, 2.0, 1.0"  # BM25 column weights: title, tags, body (measured, ADR 7)
POOL_FACTOR = 4  # SQLite: visibility is checked on the best limit × 4 matches first


def write(article, plain: str) -> None:
    """Index the article's title, body and tags (call inside the article's transaction)."""
    write_many([(article.pk, article.language, article.title, article.tags or [], plain)])


def write_many(rows: list[tuple[int, str, str, list[str], str]]) -> None:
    """Bulk form of ``write``: (id, language, title, tags, plain) rows (reindex, benchmark)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE knowledge_searchdocument SET tsv = "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') WHERE article_id = %s",
                [(CONFIGS.get(lang, "english"), title, " ".join(tags),
                  CONFIGS.get(lang, "english"), _opening(plain), pk)
                 for pk, lang, title, tags, plain in rows])
            return
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body) VALUES (%s, %s, %s, %s)",
            [(pk, text.index_terms(title, lang), text.index_terms(" ".join(tags), lang),
              text.index_terms(_opening(plain), lang))
             for pk, lang, title, tags, plain in rows])


def _opening(plain: str) -> str:
    return " ".join(plain.split(maxsplit=BODY_WORDS)[:BODY_WORDS])


def forget(article_id: int) -> None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])


def search(who: Viewer, query: str, *, limit: int) -> list[tuple[int, float]]:
    """Published articles ``who`` may see matching the query: (id, score), best first."""
    where, params = _visibility(who)
    if connection.vendor == "postgresql":
        return _search_postgresql(query, where, params, limit)
    terms = text.query_terms(query)
    if not terms:
        return []
    match = " OR ".join(f'"{term}"' for term in terms)
    best = (f"SELECT rowid, -bm25({FTS_TABLE}, {WEIGHTS}) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY score DESC LIMIT %s")
    visible = (f"SELECT f.rowid, f.score FROM ({{ranked}}) f "
               f"JOIN knowledge_article a ON a.id = f.rowid WHERE {where} "
               "ORDER BY f.score DESC, f.rowid LIMIT %s")
    with connection.cursor() as cursor:
        # The best few matches first, then visibility on those alone: exact whenever at
        # least ``limit`` of them are visible (any other visible match scores lower).
        pool = limit * POOL_FACTOR
        cursor.execute(visible.format(ranked=best), [match, pool, *params, limit])
        rows = cursor.fetchall()
        if len(rows) < limit:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT rowid FROM {FTS_TABLE} "
                           f"WHERE {FTS_TABLE} MATCH %s LIMIT %s)", [match, pool + 1])
            if cursor.fetchone()[0] > pool:  # some matches were never looked at
                cursor.execute(visible.format(ranked=best.replace(" LIMIT %s", "")),
                               [match, *params, limit])
                rows = cursor.fetchall()
        return [(int(pk), float(score)) for pk, score in rows]


def _search_postgresql(query: str, where: str, params: list, limit: int):
    words = " ".join(text.words(query))
    if not words:
        return []
    sql = ("WITH q AS (SELECT "
           "(replace(plainto_tsquery('english', %s)::text, ' & ', ' | '))::tsquery || "
           "(replace(plainto_tsquery('french', %s)::text, ' & ', ' | '))::tsquery AS query) "
           "SELECT d.article_id, ts_rank_cd(d.tsv, q.query, 1) AS score "
           "FROM knowledge_searchdocument d JOIN knowledge_article a ON a.id = d.article_id, q "
           f"WHERE d.tsv @@ q.query AND {where} ORDER BY score DESC, d.article_id LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [words, words, *params, limit])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _visibility(who: Viewer) -> tuple[str, list]:
    """The SQL condition (on alias ``a``) equal to ``VectorIndex.mask``."""
    clauses, params = ["a.status = 'published'"], []
    clients = sorted(who.client_ids)
    if clients:
        marks = ", ".join(["%s"] * len(clients))
        clauses.append(f"(a.client_id IS NULL OR a.client_id IN ({marks}))")
        params += clients
    else:
        clauses.append("a.client_id IS NULL")
    if who.public_only or who.audience == "public":
        clauses.append("a.audience = 'public'")
    else:
        allowed = list(Level.objects.filter(rank__lte=who.max_rank).values_list("pk", flat=True))
        levels = f"a.min_level_id IN ({', '.join(['%s'] * len(allowed))})" if allowed else "0 = 1"
        clauses.append(f"(a.audience = 'public' OR a.min_level_id IS NULL OR {levels})")
        params += allowed
    if who.audience == "internal":
        clauses.append("a.audience = 'internal'")
    if who.category_id is not None:
        clauses.append("a.category_id = %s")
        params.append(who.category_id)
    return " AND ".join(clauses), params
