"""Reads. Every function takes the requesting user (or a review already scoped to them) and returns only what
they may see: reviews come from reviews_visible_to, an agency's people see only their own agency's work."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page as NumberedPage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.http import Http404

from casereview.reviews.models import Review
from casereview.reviews.selectors import reviews_visible_to

from .models import (
    SPE_PRINCIPLES,
    ChronologyEntry,
    ChronologyRequest,
    ChronologyVersion,
    EntryStar,
    ExportJob,
    ImportJob,
    ReviewChronology,
    SavedView,
)
from .permissions import can_accept, can_write_entries, is_review_group


def chronology_reviews_for(user) -> QuerySet[Review]:
    """Reviews whose chronology the user works on: all they can see (review group), or those that asked
    their agency (agency people)."""
    reviews = reviews_visible_to(user)
    if is_review_group(user):
        return reviews
    if can_write_entries(user):
        asked = ChronologyRequest.objects.filter(review=OuterRef("pk"), agency_id=user.agency_id)
        return reviews.filter(Exists(asked))
    return reviews.none()


def review_for_user(user, review_id: int) -> Review:
    """The review if the user works on its chronology; 404 when out of scope, 403 when the role cannot."""
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    if is_review_group(user):
        return review
    if can_write_entries(user) and ChronologyRequest.objects.filter(review=review,
                                                                    agency_id=user.agency_id).exists():
        return review
    if can_write_entries(user):
        raise Http404("No review found")
    raise PermissionDenied


def review_for_group(user, review_id: int) -> Review:
    """The review, for the merged chronology: only the review group."""
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    if not is_review_group(user):
        raise PermissionDenied
    return review


def review_for_agency(user, review_id: int) -> tuple[Review, ChronologyRequest]:
    """The review and the request to the user's own agency."""
    if not can_write_entries(user):
        review_for_user(user, review_id)  # 404 or 403 as appropriate
        raise PermissionDenied
    review = reviews_visible_to(user).filter(pk=review_id).first()
    request = (ChronologyRequest.objects.filter(review=review, agency_id=user.agency_id)
               .select_related("agency").first() if review else None)
    if request is None:
        raise Http404("No review found")
    return review, request


def settings_for(review: Review) -> ReviewChronology:
    settings, _ = ReviewChronology.objects.get_or_create(review=review)
    return settings


def requests_for(review: Review) -> QuerySet[ChronologyRequest]:
    return review.chronology_requests.select_related("agency").order_by("agency__name")


def versions_for(review: Review, agency_id: int | None = None) -> QuerySet[ChronologyVersion]:
    versions = review.chronology_versions.select_related("agency", "submitted_by", "accepted_by", "created_by")
    if agency_id is not None:
        versions = versions.filter(agency_id=agency_id)
    return versions.order_by("agency__name", "-number")


def version_for(review: Review, version_id: int, *, agency_id: int | None = None) -> ChronologyVersion:
    versions = review.chronology_versions.select_related("agency")
    if agency_id is not None:
        versions = versions.filter(agency_id=agency_id)
    version = versions.filter(pk=version_id).first()
    if version is None:
        raise Http404("No such version")
    return version


def version_actions(user, version: ChronologyVersion) -> list[str]:
    """What the version page offers this person: "accept" and "send_back" (a submitted version, to those who
    decide), "restore" (an earlier version, to its own agency's people)."""
    actions = []
    if can_accept(user) and version.state == ChronologyVersion.State.SUBMITTED:
        actions += ["accept", "send_back"]
    if (can_write_entries(user) and user.agency_id == version.agency_id
            and version.state == ChronologyVersion.State.SUPERSEDED):
        actions.append("restore")
    return actions


PAGE_SIZE = 100


def entries_page(entries: QuerySet[ChronologyEntry], number) -> NumberedPage:
    """One page of a version's entries: a draft of 80,000 rows is never one page of HTML."""
    return Paginator(entries, PAGE_SIZE).get_page(number)


def quality_missing_count(entries: QuerySet[ChronologyEntry]) -> int:
    """How many entries do not state all four principles (risk, response, partnership, learning)."""
    missing = Q()
    for field_name, _label, _question in SPE_PRINCIPLES:
        missing |= Q(**{field_name: ""})
    return entries.filter(missing).count()


def draft_for(review: Review, agency_id: int) -> ChronologyVersion | None:
    return review.chronology_versions.filter(agency_id=agency_id, state=ChronologyVersion.State.DRAFT).first()


def latest_returned(review: Review, agency_id: int) -> ChronologyVersion | None:
    return (review.chronology_versions.filter(agency_id=agency_id, state__in=[
        ChronologyVersion.State.SUBMITTED, ChronologyVersion.State.ACCEPTED]).order_by("-number").first())


def draft_entry_for(user, review: Review, entry_id: int) -> ChronologyEntry:
    """An entry of the user's own agency's draft: the only entries an agency author may change."""
    entry = ChronologyEntry.objects.filter(
        pk=entry_id, review=review, agency_id=user.agency_id, version__state=ChronologyVersion.State.DRAFT,
    ).select_related("version").first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def merged_entry_for(review: Review, entry_id: int) -> ChronologyEntry:
    entry = (ChronologyEntry.objects.filter(pk=entry_id, review=review)
             .filter(Q(current_accepted=True) | Q(current_returned=True))
             .select_related("agency", "version", "author").first())
    if entry is None:
        raise Http404("No such entry")
    return entry


def export_job_for(user, review: Review, job_id: int) -> ExportJob:
    """A background export, only for the person who asked for it (404 for anyone else)."""
    job = ExportJob.objects.filter(pk=job_id, review=review, requested_by=user).select_related("review").first()
    if job is None:
        raise Http404("No such export")
    return job


def import_job_for(user, review: Review, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, review=review, agency_id=user.agency_id).first()
    if job is None:
        raise Http404("No such import")
    return job


def saved_views_for(review: Review) -> QuerySet[SavedView]:
    return review.chronology_views.select_related("created_by")


def merged_base(review: Review, *, include_submitted: bool = False) -> QuerySet[ChronologyEntry]:
    """The merged chronology: each agency's accepted version, or its latest returned one when asked."""
    if include_submitted:
        return ChronologyEntry.objects.filter(review=review, current_returned=True)
    return ChronologyEntry.objects.filter(review=review, current_accepted=True)


@dataclass
class Filters:
    """The merged chronology's filters, as they are kept in the URL."""

    agencies: list[int] = field(default_factory=list)
    date_from: int | None = None  # start_sort bounds
    date_to: int | None = None
    people: list[int] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    flagged: bool = False
    good_practice: bool = False
    key_practice_episode: bool = False
    text: str = ""
    duplicate_group: int | None = None
    include_submitted: bool = False

    def apply(self, entries: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
        if self.agencies:
            entries = entries.filter(agency_id__in=self.agencies)
        if self.date_from is not None:
            entries = entries.filter(start_sort__gte=self.date_from)
        if self.date_to is not None:
            entries = entries.filter(start_sort__lte=self.date_to)
        if self.people:
            entries = entries.filter(
                Exists(ChronologyEntry.people.through.objects.filter(
                    chronologyentry_id=OuterRef("pk"), caseperson_id__in=self.people)))
        if self.event_types:
            entries = entries.filter(event_type__in=self.event_types)
        for question in self.questions:
            entries = entries.filter(**{question: True})
        if self.flagged:
            entries = entries.filter(Exists(EntryStar.objects.filter(entry=OuterRef("pk"))))
        if self.good_practice:
            entries = entries.filter(good_practice=True)
        if self.key_practice_episode:
            entries = entries.filter(key_practice_episode=True)
        for index, word in enumerate(self.text.casefold().split()):
            # search_text is stored casefolded, so a plain substring test (instr / strpos) is enough and
            # much cheaper than a case-insensitive LIKE.
            entries = entries.alias(**{f"_word{index}": StrIndex("search_text", Value(word))}).filter(
                **{f"_word{index}__gt": 0})
        if self.duplicate_group is not None:
            entries = entries.filter(duplicate_group=self.duplicate_group)
        return entries


def merged_entries(review: Review, filters: Filters) -> QuerySet[ChronologyEntry]:
    return filters.apply(merged_base(review, include_submitted=filters.include_submitted))


PAGE_SIZE = 50


def _key_of(entry: ChronologyEntry) -> str:
    return ".".join(str(getattr(entry, name)) for name in ("start_sort", "start_minutes", "id")) + \
        "." + entry.agency_code + "." + entry.ref_key


def _parse_key(text: str) -> tuple | None:
    parts = text.split(".", 4)
    if len(parts) != 5:
        return None
    try:
        return int(parts[0]), int(parts[1]), parts[3], parts[4], int(parts[2])
    except ValueError:
        return None


def _after(key: tuple, *, reverse: bool = False) -> Q:
    """Rows after (or before) the key in the merged order, as a condition an index can seek to."""
    names = ChronologyEntry.ORDERING
    op = "lt" if reverse else "gt"
    condition = Q()
    for depth in range(len(names)):
        equal = {name: key[i] for i, name in enumerate(names[:depth])}
        condition |= Q(**equal, **{f"{names[depth]}__{op}": key[depth]})
    bound = {f"start_sort__{'lte' if reverse else 'gte'}": key[0]}
    return Q(**bound) & condition


@dataclass
class Page:
    entries: list
    next_key: str | None
    prev_key: str | None
    total: int
    is_first: bool
    total_capped: bool = False


COUNT_CAP = 1000


def page_of(entries: QuerySet[ChronologyEntry], *, after: str = "", before: str = "",
            size: int = PAGE_SIZE, cap_count: bool = False) -> Page:
    """Keyset paging: as fast on the hundredth page as on the first, over tens of thousands of entries.

    With cap_count (free-text searches, which read every entry's text), counting stops at COUNT_CAP."""
    order = list(ChronologyEntry.ORDERING)
    capped = False
    if cap_count:
        total = entries.order_by()[:COUNT_CAP + 1].count()
        capped = total > COUNT_CAP
    else:
        total = entries.count()
    after_key, before_key = _parse_key(after) if after else None, _parse_key(before) if before else None
    if before_key is not None:
        rows = list(entries.filter(_after(before_key, reverse=True))
                    .order_by(*[f"-{name}" for name in order])[:size + 1])
        has_more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        prev_key = _key_of(rows[0]) if rows and has_more_before else None
        next_key = _key_of(rows[-1]) if rows else None
        return Page(rows, next_key, prev_key, total, not has_more_before, capped)
    query = entries.filter(_after(after_key)) if after_key is not None else entries
    rows = list(query.order_by(*order)[:size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    next_key = _key_of(rows[-1]) if rows and has_more else None
    prev_key = _key_of(rows[0]) if rows and after_key is not None else None
    return Page(rows, next_key, prev_key, total, after_key is None, capped)
