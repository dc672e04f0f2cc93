# ruff: noqa: S608 - every statement here is built from the constant table names above, never from input
"""The full-text index behind the learning library, for each database CaseReview runs on.

* SQLite (the embedded default): an FTS5 table with external content (``learning_libraryentry``), kept in
  step by triggers, so every insert, update and delete of a library entry is indexed in the same transaction.
* PostgreSQL (regional and national deployments): a stored generated ``tsvector`` column (``search_tsv``,
  added by migration 0006 outside the model, so Django never writes it) with a GIN index; the search matches
  and ranks on it.

Django rebuilds a SQLite table when a later migration alters it, which drops its triggers: a migration that
alters ``LibraryEntry`` must call ``install(schema_editor)`` again (and ``manage.py library_reindex`` rebuilds
the index from the entries at any time).
"""

FTS_TABLE = "learning_library_fts"
ENTRY_TABLE = "learning_libraryentry"
PG_INDEX = "learning_library_search_tsv"
PG_COLUMN = "search_tsv"

_SQLITE_INSTALL = [
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
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS learning_library_ai",
    "DROP TRIGGER IF EXISTS learning_library_ad",
    "DROP TRIGGER IF EXISTS learning_library_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
_PG_INSTALL = [
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {ENTRY_TABLE} USING GIN ({PG_COLUMN})",
]
_PG_REMOVE = [f"DROP INDEX IF EXISTS {PG_INDEX}", f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _SQLITE_INSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, _PG_INSTALL)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _SQLITE_REMOVE)
    elif vendor == "postgresql":
        _run(schema_editor, _PG_REMOVE)


def rebuild(connection) -> None:
    """Re-read every entry into the index (after a bulk change made without the triggers)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
