"""Stored stems replace the database's full-text structures: each process ranks them in
memory with BM25 (ADR 7). Existing rows get their stems from the text already indexed."""

from django.db import migrations, models

from palier.knowledge.lexical import document_terms

DROP = {
    "sqlite": ["DROP TABLE IF EXISTS knowledge_fts"],
    "postgresql": ["DROP INDEX IF EXISTS knowledge_searchdocument_tsv",
                   "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS tsv"],
}
RESTORE = {  # migration 0002's structures, empty: `palier kb reindex` after going back
    "sqlite": ["CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5("
               "title, tags, body, tokenize = 'unicode61 remove_diacritics 2')"],
    "postgresql": ["ALTER TABLE knowledge_searchdocument ADD COLUMN tsv tsvector",
                   "CREATE INDEX knowledge_searchdocument_tsv ON knowledge_searchdocument "
                   "USING GIN (tsv)"],
}


def forwards(apps, schema_editor) -> None:
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    SearchDocument = apps.get_model("knowledge", "SearchDocument")
    documents = (SearchDocument.objects.select_related("article")
                 .only("pk", "plain", "article__title", "article__tags", "article__language"))
    changed = []
    for document in documents.iterator(chunk_size=2000):
        article = document.article
        document.terms = document_terms(article.title, article.tags or [], document.plain,
                                        article.language)
        changed.append(document)
    SearchDocument.objects.bulk_update(changed, ["terms"], batch_size=2000)


def backwards(apps, schema_editor) -> None:
    for statement in RESTORE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0002_full_text_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="terms",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
