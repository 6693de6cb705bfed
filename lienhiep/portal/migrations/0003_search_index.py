"""The search index behind SearchEntry.folded, one per database:

- PostgreSQL: the pg_trgm extension and a GIN trigram index, which serves `folded LIKE '%word%'`;
- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+) mirroring `folded` through triggers, which
  serves the same LIKE.

Documents recorded before this migration are indexed here."""

import datetime
import re

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE portal_searchfts USING fts5("
    "folded, content='portal_searchentry', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER portal_searchentry_ai AFTER INSERT ON portal_searchentry BEGIN "
    "INSERT INTO portal_searchfts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER portal_searchentry_ad AFTER DELETE ON portal_searchentry BEGIN "
    "INSERT INTO portal_searchfts(portal_searchfts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER portal_searchentry_au AFTER UPDATE ON portal_searchentry BEGIN "
    "INSERT INTO portal_searchfts(portal_searchfts, rowid, folded) VALUES ('delete', old.id, old.folded); "
    "INSERT INTO portal_searchfts(rowid, folded) VALUES (new.id, new.folded); END",
    "INSERT INTO portal_searchfts(portal_searchfts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS portal_searchentry_ai",
    "DROP TRIGGER IF EXISTS portal_searchentry_ad",
    "DROP TRIGGER IF EXISTS portal_searchentry_au",
    "DROP TABLE IF EXISTS portal_searchfts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS portal_searchentry_folded_trgm ON portal_searchentry USING gin (folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_searchentry_title_trgm "
    "ON portal_searchentry USING gin (title_folded gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS portal_searchentry_folded_trgm",
    "DROP INDEX IF EXISTS portal_searchentry_title_trgm",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_UP)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DOWN)


def index_existing_documents(apps, schema_editor):
    from lienhiep.core.text import fold

    def search_text(value: str) -> str:  # as lienhiep.portal.search.search_text at the time of writing
        return f" {re.sub(r'[\\W_]+', ' ', fold(value)).strip()} "

    LegalDocument = apps.get_model("portal", "LegalDocument")
    SearchEntry = apps.get_model("portal", "SearchEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not LegalDocument.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="portal", model="legaldocument")
    labels = {
        "law": "Luật",
        "decree": "Nghị định",
        "resolution": "Nghị quyết",
        "decision": "Quyết định",
        "circular": "Thông tư",
        "directive": "Chỉ thị",
        "plan": "Kế hoạch",
        "official_letter": "Công văn",
        "guidance": "Hướng dẫn",
        "other": "Văn bản",
    }
    for doc in LegalDocument.objects.select_related("union"):
        title = f"{labels.get(doc.doc_type, '')} {doc.number_symbol}".strip()
        text = f"{doc.summary} · {doc.issuer}"
        SearchEntry.objects.update_or_create(
            content_type=content_type,
            object_id=doc.pk,
            defaults={
                "union_id": doc.union_id,
                "kind": "document",
                "title": title,
                "text": text,
                "title_folded": search_text(title),
                "folded": search_text(f"{title} {text}"),
                "url": f"/{doc.union.slug}/documents/{doc.pk}/",
                "is_public": doc.is_public,
                "dated": datetime.datetime.combine(doc.issued_on, datetime.time(), tzinfo=datetime.UTC),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_news_publications_certificates_search"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(index_existing_documents, migrations.RunPython.noop),
    ]
