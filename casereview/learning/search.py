"""Ranked full-text search of the learning library behind one interface.

``search_entries(entries, text, limit=, offset=)`` takes a queryset of ``LibraryEntry`` already narrowed to
what the user may see and the filters they chose, and returns the page of hits (best first) with the
matching passage marked, and the total. The backend is chosen by the database: SQLite FTS5 (bm25 ranking,
``snippet()``) or PostgreSQL full-text search (``ts_rank_cd``, ``ts_headline``). People type words and
"quoted phrases"; nothing they type is passed to the database as query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import fts

# Markers put around matched words by the database; never present in stored text (control characters).
START, STOP = "\x02", "\x03"
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def parse_query(text: str) -> list[Term]:
    """Words and quoted phrases, with every character that is not part of a word dropped."""
    terms: list[Term] = []
    for phrase, word in _TERM.findall(text or ""):
        words = tuple(w.lower()[:40] for w in _WORD.findall(phrase or word))
        if words and len(terms) < MAX_TERMS:
            terms.append(Term(words))
    return terms


@dataclass(frozen=True)
class RawHit:
    entry_id: int
    rank: float
    passage: str  # with START/STOP markers


@dataclass(frozen=True)
class RawPage:
    hits: list[RawHit]
    total: int
    all_words: bool  # False when no entry had every word, so entries with any of them are shown


def highlight(passage: str) -> SafeString:
    """Escape a passage, then turn the database's markers into <mark> elements."""
    text = str(escape(passage))
    if text.count(START) != text.count(STOP):
        text = text.replace(START, "").replace(STOP, "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def scope_condition(entries) -> tuple[str, list]:
    """The entries' filters as one SQL condition on the entry table (by its own name), so the database can test
    each match in place. A queryset that needs joins falls back to an id list, which is slower but the same."""
    query = entries.order_by().query
    compiler = query.get_compiler(connection=connection)
    if not query.where:
        return "1 = 1", []
    where_sql, where_params = compiler.compile(query.where)
    if len(query.alias_map) == 1:
        return where_sql, list(where_params)
    sql, params = entries.order_by().values("id").query.sql_with_params()
    return f"{fts.ENTRY_TABLE}.id IN ({sql})", list(params)


class SqliteBackend:
    """FTS5: the page of best matches (bm25, title weighted 4 to 1) and the total in one pass, then the
    matching passage for just that page (snippet() on every match would cost more than the search)."""

    RANK = "bm25(4.0, 1.0)"

    def _match(self, terms: list[Term], joiner: str) -> str:
        return f" {joiner} ".join('"' + " ".join(t.words) + '"' for t in terms)

    def run(self, entries, terms: list[Term], limit: int, offset: int, joiner: str) -> tuple[list[RawHit], int]:
        scope_sql, scope_params = scope_condition(entries)
        match = self._match(terms, joiner)
        fts_table, entry_table = fts.FTS_TABLE, fts.ENTRY_TABLE
        page_sql = (
            f"SELECT {fts_table}.rowid, {fts_table}.rank, count(*) OVER () FROM {fts_table} "  # noqa: S608 - constants
            f"JOIN {entry_table} ON {entry_table}.id = {fts_table}.rowid "
            f"WHERE {fts_table} MATCH %s AND {fts_table}.rank MATCH %s AND ({scope_sql}) "
            f"ORDER BY {fts_table}.rank LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(page_sql, [match, self.RANK, *scope_params, limit, offset])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(
                    f"SELECT count(*) FROM {fts_table} JOIN {entry_table} ON {entry_table}.id = {fts_table}.rowid "  # noqa: S608
                    f"WHERE {fts_table} MATCH %s AND ({scope_sql})", [match, *scope_params])
                total = cursor.fetchone()[0]
            passages: dict[int, str] = {}
            if rows:
                ids = [row[0] for row in rows]
                cursor.execute(
                    f"SELECT rowid, snippet({fts_table}, 1, char(2), char(3), '…', 24) FROM {fts_table} "  # noqa: S608
                    f"WHERE {fts_table} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})", [match, *ids])
                passages = dict(cursor.fetchall())
        return [RawHit(row[0], -float(row[1]), passages.get(row[0], "")) for row in rows], total


class PostgresBackend:
    """PostgreSQL full-text search on the stored, GIN-indexed tsvector column; ts_rank_cd ranks, the total comes
    with the page, and ts_headline runs only on the page's rows."""

    _HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \""

    def _query(self, terms: list[Term], joiner: str) -> tuple[str, list[str]]:
        parts = [("phraseto_tsquery('english', %s)" if t.is_phrase else "plainto_tsquery('english', %s)")
                 for t in terms]
        return "(" + (" && " if joiner == "AND" else " || ").join(parts) + ")", [" ".join(t.words) for t in terms]

    def run(self, entries, terms: list[Term], limit: int, offset: int, joiner: str) -> tuple[list[RawHit], int]:
        scope_sql, scope_params = scope_condition(entries)
        query_sql, query_params = self._query(terms, joiner)
        table = fts.ENTRY_TABLE
        vector = f"{table}.{fts.PG_COLUMN}"
        sql = (
            f"WITH q AS (SELECT {query_sql} AS query), "  # noqa: S608 - table names are constants
            f"page AS (SELECT {table}.id, {table}.body, ts_rank_cd({vector}, q.query) AS rank, "
            f"count(*) OVER () AS total FROM {table}, q WHERE {vector} @@ q.query AND ({scope_sql}) "
            f"ORDER BY rank DESC, {table}.id DESC LIMIT %s OFFSET %s) "
            f"SELECT page.id, page.rank, page.total, ts_headline('english', page.body, q.query, %s) FROM page, q "
            f"ORDER BY page.rank DESC, page.id DESC"
        )
        count_sql = (f"WITH q AS (SELECT {query_sql} AS query) SELECT count(*) FROM {table}, q "  # noqa: S608
                     f"WHERE {vector} @@ q.query AND ({scope_sql})")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*query_params, *scope_params, limit, offset, self._HEADLINE])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(count_sql, [*query_params, *scope_params])
                total = cursor.fetchone()[0]
        return [RawHit(r[0], float(r[1]), r[3] or "") for r in rows], total


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise RuntimeError(f"The learning library has no full-text search for {connection.vendor}")


def search_entries(entries, text: str, *, limit: int = 20, offset: int = 0) -> RawPage:
    terms = parse_query(text)
    if not terms:
        return RawPage([], 0, True)
    engine = backend()
    hits, total = engine.run(entries, terms, limit, offset, "AND")
    if total or len(terms) == 1:
        return RawPage(hits, total, True)
    hits, total = engine.run(entries, terms, limit, offset, "OR")
    return RawPage(hits, total, False)
