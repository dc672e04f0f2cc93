"""API v1: the learning library (findings, summaries, forum outputs and audit findings), searched through the
learning app's selectors and its one full-text search interface."""

from datetime import date

from ninja import Field, Query, Schema

from casereview.learning import search, selectors
from casereview.learning.models import LibraryEntry
from casereview.reviews.models import Review

from .common import PageQuery, Text, board_agency, choices, errors, paged, unknown_agency
from .core import ERRORS, api

LibraryKind = choices("LibraryKind", LibraryEntry.Kind.values)
ReviewTypeCode = choices("ReviewTypeCode", Review.Type.values)


class ThemeOut(Schema):
    code: str
    name: str


class LibraryItemOut(Schema):
    id: int
    kind: str = Field(description="finding (of a review), summary, forum_output or audit_finding")
    title: str
    source_label: str = Field(description='Where the learning came from, e.g. a review reference')
    review_reference: str | None
    review_type: str
    year: int | None
    learned_on: date | None
    improvement: bool = Field(description="false for good practice")
    themes: list[ThemeOut]
    agencies: list[str]
    passage: str = Field(description="The passage that matched the words searched for (or the start of the "
                                     "text, without words)")
    highlights: list[str] = Field(description="The words of the passage that matched, as they appear in it")


class LibraryPage(Schema):
    items: list[LibraryItemOut]
    count: int
    all_words: bool = Field(description="false when no learning had every word searched for, so learning with "
                                        "any of them is listed")


class LibraryQuery(Schema):
    q: Text = Field("", max_length=200, description='Words to find; put a phrase in quotes, e.g. '
                                                     '"return home interview". Best matches first.')
    theme: Text = Field("", description="A theme's code, e.g. A3 (a group such as A includes its themes)")
    year: int | None = None
    agency: Text = Field("", description="An agency's short code")
    review_type: ReviewTypeCode | None = None
    kind: LibraryKind | None = None


def _plain(passage: str) -> tuple[str, list[str]]:
    """The database marks matched words with control characters: give the text and the marked words."""
    highlights, rest = [], passage
    while search.START in rest:
        before, _, after = rest.partition(search.START)
        marked, stop, after = after.partition(search.STOP)
        if not stop:
            break
        highlights.append(marked)
        rest = after
    return passage.replace(search.START, "").replace(search.STOP, ""), highlights


def _finding_out(entry: LibraryEntry, passage: str, highlights: list[str]) -> dict:
    return {"id": entry.pk, "kind": entry.kind, "title": entry.title, "source_label": entry.source_label,
            "review_reference": entry.review.reference if entry.review_id else None,
            "review_type": entry.review_type, "year": entry.year, "learned_on": entry.learned_on,
            "improvement": entry.improvement, "themes": [{"code": t.code, "name": t.name} for t in entry.themes.all()],
            "agencies": [a.short_code for a in entry.agencies.all()], "passage": passage,
            "highlights": list(dict.fromkeys(highlights))}


def _related(entries):
    return entries.select_related("review").prefetch_related("themes", "agencies")


@api.get("/learning/findings", response={200: LibraryPage, **ERRORS},
         summary="Search the learning library: ranked by relevance when words are given, newest first otherwise")
def library_search(request, query: Query[LibraryQuery], page: Query[PageQuery]):
    user = request.user
    filters = selectors.LibraryFilters(year=query.year, review_type=query.review_type or "", kind=query.kind or "")
    if query.theme:
        theme = selectors.themes_for(user).filter(code__iexact=query.theme.strip()).first()
        if theme is None:
            return errors(("theme", f"There is no theme with the code {query.theme.strip()}"))
        filters.theme = theme.merged_into if theme.merged_into_id else theme
    if query.agency:
        agency = board_agency(user, query.agency)
        if agency is None:
            return unknown_agency(query.agency)
        filters.agency = agency
    entries = filters.apply(selectors.library_entries_for(user))
    limit, offset = page.window()
    offset = min(offset, 2**31)  # past any library's end; keeps the database's OFFSET in range
    if not search.parse_query(query.q):
        return {**paged(_related(entries).order_by("-learned_on", "-id"), page,
                        lambda e: _finding_out(e, e.body[:300] + ("…" if len(e.body) > 300 else ""), [])),
                "all_words": True}
    found = search.search_entries(entries, query.q, limit=limit, offset=offset)
    by_id = _related(LibraryEntry.objects.filter(pk__in=[hit.entry_id for hit in found.hits])).in_bulk()
    items = []
    for hit in found.hits:
        if hit.entry_id in by_id:
            passage, highlights = _plain(hit.passage)
            items.append(_finding_out(by_id[hit.entry_id], passage, highlights))
    return {"items": items, "count": found.total, "all_words": found.all_words}
