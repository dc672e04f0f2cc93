"""Reads for learning. Everything is scoped to the requesting user's board; records tied to a case (draft
summaries, findings of reviews whose summary is not yet approved) only to those who may see the case."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from casereview.cases.selectors import cases_visible_to
from casereview.partnership.models import Agency, Committee
from casereview.reviews.models import Review
from casereview.reviews.selectors import reviews_visible_to
from casereview.typology.models import Theme
from casereview.typology.selectors import themes_for

from . import search
from .models import LearningSummary, LibraryEntry, RegionalImport, RegionalSummary, SustainQuestion


def _board_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.board_id


def _get(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    return obj


# --- Typology ----------------------------------------------------------------------------------------------

def typology_tree(user) -> list[dict]:
    """The board's groups, each with its themes and how often each tags findings, summaries, forums, audits."""
    themes = list(themes_for(user).annotate(
        finding_count=Count("findings", distinct=True), summary_count=Count("summaries", distinct=True),
        forum_count=Count("forums", distinct=True), audit_count=Count("audits", distinct=True)))
    groups = [t for t in themes if t.parent_id is None]
    return [{"group": g, "themes": [t for t in themes if t.parent_id == g.pk]} for g in groups]


# --- Summaries ---------------------------------------------------------------------------------------------

def summaries_visible_to(user) -> QuerySet[LearningSummary]:
    """Approved summaries are the board's learning; drafts only for those who may see the review."""
    board_id = _board_id(user)
    if board_id is None:
        return LearningSummary.objects.none()
    return (LearningSummary.objects.filter(board_id=board_id)
            .filter(Q(state=LearningSummary.State.APPROVED) | Q(review__in=reviews_visible_to(user)))
            .select_related("review", "review__case"))


def summary_get_for_user(user, summary_id: int) -> LearningSummary:
    return _get(summaries_visible_to(user), summary_id)


def reviews_awaiting_summary(user) -> QuerySet[Review]:
    return reviews_visible_to(user).filter(learning_summary__isnull=True).order_by("-initiated_on")


def summaries_awaiting_presentation(*, board, committee: Committee | None = None,
                                    committee_kind: str | None = None) -> QuerySet[LearningSummary]:
    """Approved summaries of ``board`` not yet presented to ``committee`` (or to any committee of
    ``committee_kind``, e.g. ``Committee.Kind.PERFORMANCE``), oldest approval first.

    For the committees app: list these as agenda items, and when the meeting has received one, record it
    with ``services.summary_record_presentation(by=..., summary=..., committee=..., presented_on=...)``.
    """
    summaries = LearningSummary.objects.filter(board=board, state=LearningSummary.State.APPROVED)
    if committee is not None:
        summaries = summaries.exclude(presentations__committee=committee)
    elif committee_kind is not None:
        summaries = summaries.exclude(presentations__committee__kind=committee_kind)
    return summaries.select_related("review").order_by("approved_at", "pk")


# --- Library -----------------------------------------------------------------------------------------------

def library_entries_for(user) -> QuerySet[LibraryEntry]:
    board_id = _board_id(user)
    if board_id is None:
        return LibraryEntry.objects.none()
    return LibraryEntry.objects.filter(board_id=board_id).filter(
        Q(restricted_case__isnull=True) | Q(restricted_case__in=cases_visible_to(user)))


@dataclass
class LibraryFilters:
    q: str = ""
    theme: Theme | None = None
    agency: Agency | None = None
    review_type: str = ""
    year: int | None = None
    kind: str = ""

    def apply(self, entries):
        # Tags are matched by subquery rather than join, so the full-text search can test each match in place.
        if self.theme is not None:
            ids = [self.theme.pk, *self.theme.children.values_list("pk", flat=True)]
            entries = entries.filter(pk__in=LibraryEntry.themes.through.objects.filter(theme_id__in=ids)
                                     .values("libraryentry_id"))
        if self.agency is not None:
            entries = entries.filter(pk__in=LibraryEntry.agencies.through.objects.filter(agency=self.agency)
                                     .values("libraryentry_id"))
        if self.review_type:
            entries = entries.filter(review_type=self.review_type)
        if self.year:
            entries = entries.filter(year=self.year)
        if self.kind:
            entries = entries.filter(kind=self.kind)
        return entries


@dataclass
class LibraryResult:
    entry: LibraryEntry
    passage: str


@dataclass
class LibraryPage:
    results: list[LibraryResult] = field(default_factory=list)
    total: int = 0
    all_words: bool = True
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def library_search(user, filters: LibraryFilters, *, page: int = 1, per_page: int = 20) -> LibraryPage:
    """Ranked full-text search of the user's library, filtered; without words, the newest learning first."""
    entries = filters.apply(library_entries_for(user))
    offset = (page - 1) * per_page
    if search.parse_query(filters.q):
        raw = search.search_entries(entries, filters.q, limit=per_page, offset=offset)
        by_id = LibraryEntry.objects.in_bulk([h.entry_id for h in raw.hits])
        results = [LibraryResult(by_id[h.entry_id], search.highlight(h.passage)) for h in raw.hits
                   if h.entry_id in by_id]
        _attach(results)
        return LibraryPage(results, raw.total, raw.all_words, page, per_page)
    total = entries.count()
    rows = list(entries.order_by("-learned_on", "-id")[offset:offset + per_page])
    results = [LibraryResult(e, e.body[:300] + ("\u2026" if len(e.body) > 300 else "")) for e in rows]
    _attach(results)
    return LibraryPage(results, total, True, page, per_page)


def _attach(results: list[LibraryResult]) -> None:
    entries = [r.entry for r in results]
    themes = {e.pk: list(e.themes.all()) for e in LibraryEntry.objects.filter(pk__in=[e.pk for e in entries])
              .prefetch_related("themes")}
    for entry in entries:
        entry.theme_list = themes.get(entry.pk, [])


def library_years(user) -> list[int]:
    return sorted({y for y in library_entries_for(user).values_list("year", flat=True).distinct() if y},
                  reverse=True)


# --- Recurring learning ------------------------------------------------------------------------------------

def sustain_questions_for(user) -> QuerySet[SustainQuestion]:
    """The board's recurring-learning questions, for findings the user may see."""
    board_id = _board_id(user)
    if board_id is None:
        return SustainQuestion.objects.none()
    visible_reviews = reviews_visible_to(user)
    approved = LearningSummary.objects.filter(state=LearningSummary.State.APPROVED).values("review_id")
    return (SustainQuestion.objects.filter(board_id=board_id)
            .filter(Q(finding__review__in=visible_reviews) | Q(finding__review__in=approved))
            .select_related("finding__review", "committee", "answered_by"))


def sustain_question_get_for_user(user, question_id: int) -> SustainQuestion:
    return _get(sustain_questions_for(user).prefetch_related("matches"), question_id)


def open_sustain_questions(*, board) -> QuerySet[SustainQuestion]:
    """For the committees app: open "why was this learning not sustained?" questions of a board, oldest
    first, to put on the Performance Committee's agenda until answered."""
    return (SustainQuestion.objects.filter(board=board, state=SustainQuestion.State.OPEN)
            .select_related("finding__review").order_by("raised_at"))


# --- Regional sharing ---------------------------------------------------------------------------------------

def regional_imports_for(user) -> QuerySet[RegionalImport]:
    return RegionalImport.objects.filter(board_id=_board_id(user)).prefetch_related(
        Prefetch("summaries"))


@dataclass
class RegionalThemeRow:
    name: str
    counts: list[int]  # by board, in the order of RegionalPicture.boards
    total: int
    boards_reporting: int


@dataclass
class RegionalPicture:
    boards: list[str]
    rows: list[RegionalThemeRow]
    own_count: int


def regional_picture(user) -> RegionalPicture:
    """Themes across this board's approved summaries and other boards' imported ones. Themes are matched by
    name, since each board may have renamed its own; most widely reported first."""
    board = user.board
    own = LearningSummary.objects.filter(board_id=_board_id(user), state=LearningSummary.State.APPROVED)
    imported = (RegionalSummary.objects.filter(regional_import__board_id=_board_id(user))
                .select_related("regional_import"))
    table: dict[str, dict[str, int]] = {}
    for summary in own.prefetch_related("themes"):
        for theme in summary.themes.all():
            row = table.setdefault(theme.name, {})
            row[board.name] = row.get(board.name, 0) + 1
    for item in imported:
        for theme in item.themes:
            row = table.setdefault(theme["name"], {})
            source = item.regional_import.source_board
            row[source] = row.get(source, 0) + 1
    boards = [board.name] + sorted({i.regional_import.source_board for i in imported} - {board.name})
    rows = [RegionalThemeRow(name, [counts.get(b, 0) for b in boards], sum(counts.values()), len(counts))
            for name, counts in table.items()]
    rows.sort(key=lambda r: (-r.boards_reporting, -r.total, r.name))
    return RegionalPicture(boards, rows, own.count())


# --- What a page offers --------------------------------------------------------------------------------------

def summary_actions(user, summary: LearningSummary) -> set[str]:
    """What the summary's page offers this person, decided here rather than in the template."""
    from .permissions import can_approve_summaries, can_lead_learning, can_write_summaries

    actions = {"download"}
    if summary.is_approved:
        if can_approve_summaries(user):
            actions.add("reopen")
        if can_lead_learning(user):
            actions |= {"present", "disseminate", "evaluate"}
    else:
        if can_write_summaries(user):
            actions.add("edit")
        if can_approve_summaries(user):
            actions.add("approve")
    return actions


def theme_actions(user, theme: Theme) -> set[str]:
    """What a theme's page offers: nothing once it is merged (its tags now belong to another theme)."""
    from .permissions import can_lead_learning

    if not can_lead_learning(user) or theme.merged_into_id:
        return set()
    if theme.retired:
        return {"rename", "restore"}
    return {"rename", "retire"} | (set() if theme.is_group else {"merge"})


def minuted_meetings_to_record(summary: LearningSummary) -> list:
    """Held, minuted meetings whose agenda carried this summary, where its presentation is not yet recorded."""
    from casereview.committees.selectors import meetings_that_took

    from .hooks import AGENDA_SOURCE

    received = summary.presentations.values("committee_id")
    return list(meetings_that_took(AGENDA_SOURCE, str(summary.pk)).filter(minutes_recorded_at__isnull=False)
                .exclude(committee_id__in=received))


def sustain_question_actions(user, question: SustainQuestion) -> set[str]:
    from .permissions import can_answer_sustain_questions

    if question.state == SustainQuestion.State.OPEN and can_answer_sustain_questions(user):
        return {"answer"}
    return set()


def open_questions_for_panel(user, limit: int = 5) -> list[SustainQuestion]:
    """Open "why was this learning not sustained?" questions of reviews this person can see, oldest first."""
    return list(sustain_questions_for(user).filter(state=SustainQuestion.State.OPEN).order_by("raised_at")[:limit])
