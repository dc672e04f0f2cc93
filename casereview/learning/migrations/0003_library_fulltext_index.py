"""The learning library's full-text index: FTS5 with triggers on SQLite, a GIN expression index on PostgreSQL
(see casereview/learning/fts.py). Other databases get no index and the library refuses to search."""

from django.db import migrations

FTS_TABLE = "learning_library_fts"
ENTRY_TABLE = "learning_libraryentry"

SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, body, content='{ENTRY_TABLE}', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS learning_library_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    f"""CREATE TRIGGER IF NOT EXISTS learning_library_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS learning_library_au AFTER UPDATE OF title, body ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS learning_library_ai",
    "DROP TRIGGER IF EXISTS learning_library_ad",
    "DROP TRIGGER IF EXISTS learning_library_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
PG_INSTALL = [f"CREATE INDEX IF NOT EXISTS learning_library_tsv_gin ON {ENTRY_TABLE} "
              "USING GIN (to_tsvector('english', title || ' ' || body))"]
PG_REMOVE = ["DROP INDEX IF EXISTS learning_library_tsv_gin"]


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE})


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0002_auditquestion_audit_auditcase_auditfinding_and_more"),
    ]

    operations = [migrations.RunPython(install, remove)]
