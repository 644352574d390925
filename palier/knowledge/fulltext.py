"""Full-text search: the same words and the same BM25 ranking on SQLite and PostgreSQL.

An article's Snowball stems (English or French by its language) are stored with its index
row in its own transaction (``SearchDocument.terms``); each process ranks them in memory
(``lexical.LexicalIndex``, refreshed by generation like the vectors). A query is an OR of
its words stemmed in both desk languages. ADR 7 says why the database's own full-text
ranking (FTS5 ``bm25()``, ``ts_rank_cd``) was replaced: it scores every match.
"""

from __future__ import annotations

from palier.knowledge import index, text
from palier.knowledge.vectors import Viewer


def search(who: Viewer, query: str, *, limit: int) -> list[tuple[int, float]]:
    """Published articles ``who`` may see holding the query's words: (id, BM25), best first."""
    terms = text.query_terms(query)
    if not terms:
        return []
    return index.memory.current().lexical.top(terms, who, limit)
