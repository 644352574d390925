"""The full-text half of the search index, per database: an FTS5 table on SQLite, a tsvector
column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    ("CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5("
     "title, tags, body, tokenize = 'unicode61 remove_diacritics 2')",
     "DROP TABLE IF EXISTS knowledge_fts"),
]
POSTGRESQL = [
    ("ALTER TABLE knowledge_searchdocument ADD COLUMN tsv tsvector",
     "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS tsv"),
    ("CREATE INDEX knowledge_searchdocument_tsv ON knowledge_searchdocument USING GIN (tsv)",
     "DROP INDEX IF EXISTS knowledge_searchdocument_tsv"),
]


def _run(schema_editor, forwards: bool) -> None:
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for create, drop in (statements if forwards else reversed(statements)):
        schema_editor.execute(create if forwards else drop)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, True)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, False)


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0001_articles_and_search_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
