"""Writes. Keyword-only, `by` first, one transaction, an audit event inside it (DEVELOPERS.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.cases.models import CasePerson
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError
from casereview.core.links import absolute_url
from casereview.lib.chrono_dates import FuzzyDate
from casereview.lib.dates import today as current_date
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import Agency, User
from casereview.partnership.roles import Role
from casereview.partnership.selectors import agency_request_recipients
from casereview.referrals.models import Referral
from casereview.reviews.models import Review

from .models import (
    ChronologyEntry,
    ChronologyRequest,
    ChronologyVersion,
    DuplicateDecision,
    EntryComment,
    EntryStar,
    EntryTag,
    ReviewChronology,
    SavedView,
)
from .values import apply_dates, format_ref, next_ref_number, refresh_derived


class ChronologyError(ServiceError):
    """A change that cannot be made; str() says why, for the user."""


# --- Settings -------------------------------------------------------------------------------------------


def chronology_settings_get(review: Review) -> ReviewChronology:
    settings, _ = ReviewChronology.objects.get_or_create(review=review)
    return settings


def chronology_settings_update(*, by, review: Review, version: int | None = None, **fields) -> ReviewChronology:
    """Change a review's chronology settings; `version` is the settings' counter when the form was opened (a stale
    one is refused, core/concurrency.py)."""
    with transaction.atomic():
        settings = chronology_settings_get(review)
        claim_version(settings, version, "chronology's settings")
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        audit_record(by=by, action="chronology.settings_changed", obj=review,
                     detail={name: str(value)[:100] for name, value in fields.items()})
    return settings


def mark_analysis_stale(review: Review) -> None:
    ReviewChronology.objects.update_or_create(review=review, defaults={"analysis_stale": True})


# --- Requests and chasing -------------------------------------------------------------------------------


def _board_managers(board_id: int) -> list[User]:
    return list(User.objects.filter(board_id=board_id, is_active=True,
                                    role_grants__role=Role.BUSINESS_MANAGER).exclude(email="").distinct())


def _deadline_text(deadline: date | None) -> str:
    return long_date(deadline) if deadline else "no deadline set"


def _record_delivery(request: ChronologyRequest, recipients: list[User]) -> None:
    """A request counts as sent once someone at the agency has been emailed it (by the request or a chase)."""
    if recipients and not request.delivered:
        request.delivered_to = ", ".join(person.email for person in recipients)
        request.save(update_fields=["delivered_to"])


def requests_create(*, by, review: Review, agencies: list[Agency], deadline: date, note: str = "") -> int:
    """Ask agencies for their chronology by a deadline (or move the deadline of those already asked)."""
    with transaction.atomic():
        settings = chronology_settings_get(review)
        if note:
            settings.instructions_note = note
            settings.save(update_fields=["instructions_note"])
        created = 0
        for agency in agencies:
            request, new = ChronologyRequest.objects.get_or_create(
                review=review, agency=agency, defaults={"deadline": deadline, "requested_by": by})
            if not new:
                request.deadline = deadline
                request.save(update_fields=["deadline"])
            created += new
            subject = f"Chronology requested for review {review.reference} by {_deadline_text(deadline)}"
            body = (
                f"{review.board.name} asks {agency.name} for its Significant Practice Event chronology for "
                f"review {review.reference}, by {_deadline_text(deadline)}.\n\n"
                f"Sign in to CaseReview and open Chronologies ({absolute_url('chronology:agency', review.pk)}). "
                "You can enter events in the browser or upload your spreadsheet; the instructions explain each "
                "column and the six significance questions. Your safeguarding lead checks and submits it.\n"
                + (f"\nA note from the Business Manager:\n{note}\n" if note else "")
            )
            recipients = agency_request_recipients(agency.pk)
            for person in recipients:
                email_queue(to=person.email, subject=subject, body=body, board_id=review.board_id, about=request,
                            by=by)
            _record_delivery(request, recipients)
            audit_record(by=by, action="chronology.requested" if new else "chronology.deadline_changed",
                         obj=request, detail={"deadline": deadline.isoformat(), "delivered": bool(recipients)})
    return created


def _asked_for(request: ChronologyRequest) -> tuple[str, str, str, object]:
    """What the request is for, in words ("review X" or "referral X"), the agency's page, the returns page and
    the board: a request may be made while a referral is considered, before any review exists."""
    if request.review_id:
        review = request.review
        return (f"review {review.reference}", absolute_url("chronology:agency", review.pk),
                absolute_url("chronology:review", review.pk), review.board)
    referral = request.referral
    return (f"referral {referral.reference}", absolute_url("chronology:referral_agency", referral.pk),
            absolute_url("chronology:referral_requests", referral.pk), referral.board)


def request_chase(*, by, request: ChronologyRequest, kind: str = "chase", on: date | None = None) -> int:
    """Email the agency's lead and authors that their chronology is due (kind="reminder") or chase it. A chase
    only says "overdue" once the deadline has passed: before it, the email is a reminder of the deadline.

    A request nobody received is delivered by the first chase after someone has been added at the agency;
    until then the automatic chase tells the Business Manager instead. Returns the emails sent to the agency."""
    what, agency_page, returns_page, board = _asked_for(request)
    when = _deadline_text(request.deadline)
    overdue = request.deadline is not None and request.deadline < (on or current_date())
    if not overdue:
        subject = f"Reminder: chronology for {what} is due by {when}"
        opening = f"The chronology of {request.agency.name} for {what} is due by {when}."
    else:
        subject = f"Overdue: chronology for {what} was due by {when}"
        opening = (f"The chronology of {request.agency.name} for {what} was due by {when} "
                   "and has not been submitted yet.")
    body = (f"{opening}\n\nSign in to CaseReview and open Chronologies "
            f"({agency_page}) to enter or upload it; your safeguarding lead "
            f"submits it. If you cannot meet the deadline, tell the Business Manager of {board.name}.\n")
    with transaction.atomic():
        recipients = agency_request_recipients(request.agency_id)
        for person in recipients:
            email_queue(to=person.email, subject=subject, body=body, board_id=board.pk, about=request,
                        by=by)
        _record_delivery(request, recipients)
        if not recipients and by is None:
            for manager in _board_managers(board.pk):
                email_queue(to=manager.email, board_id=board.pk, about=request, by=None,
                            subject=f"Not delivered: chronology request to {request.agency.name} for {what}",
                            body=f"The chronology request to {request.agency.name} for {what} "
                                 "has not been delivered: nobody at the agency is set up to receive it (an "
                                 "active safeguarding lead or author with an email address). Add a person for the "
                                 f"agency ({absolute_url('partnership:person_create')}); the next chase then "
                                 f"sends it. The returns page: {returns_page}\n")
        now = timezone.now()
        if kind == "reminder":
            request.reminded_at = now
            request.save(update_fields=["reminded_at"])
        else:
            request.last_chased_at = now
            request.chase_count += 1
            request.save(update_fields=["last_chased_at", "chase_count"])
        audit_record(by=by, action=f"chronology.{'reminded' if kind == 'reminder' else 'chased'}", obj=request,
                     detail={"recipients": len(recipients), "automatic": by is None,
                             "delivered": request.delivered})
    return len(recipients)


def chase_due_requests(*, today: date | None = None) -> dict[str, int]:
    """The daily job: remind agencies shortly before the deadline, then chase overdue ones at the review's
    chasing interval (never once the review is published or closed). A request made while a referral is considered (until the referral closes) is chased at
    the default rhythm a review starts with. Returns how many requests were reminded and chased."""
    today = today or current_date()
    counts = {"reminded": 0, "chased": 0}
    open_requests = (ChronologyRequest.objects.filter(
        status__in=[ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS],
        deadline__isnull=False).exclude(review__isnull=True, referral__status=Referral.Status.CLOSED)
        .exclude(review__status__in=[Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED])
        .select_related("review", "review__board", "referral", "referral__board", "agency"))
    for request in open_requests:
        settings = chronology_settings_get(request.review) if request.review_id else ReviewChronology()
        if request.deadline < today:
            last = request.last_chased_at
            if last is None or timezone.localdate(last) <= today - timedelta(days=settings.chase_every_days):
                request_chase(by=None, request=request, kind="chase", on=today)
                counts["chased"] += 1
        elif (request.reminded_at is None
              and request.deadline - timedelta(days=settings.remind_days_before) <= today):
            request_chase(by=None, request=request, kind="reminder", on=today)
            counts["reminded"] += 1
    return counts


# --- Versions ---------------------------------------------------------------------------------------------


def _next_number(review: Review, agency: Agency) -> int:
    top = ChronologyVersion.objects.filter(review=review, agency=agency).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _request_for(review: Review, agency: Agency, by) -> ChronologyRequest:
    request, _ = ChronologyRequest.objects.get_or_create(review=review, agency=agency,
                                                         defaults={"requested_by": by if by else None})
    return request


def _note_progress(request: ChronologyRequest) -> None:
    if request.status == ChronologyRequest.Status.REQUESTED:
        request.start()
        request.save(update_fields=["status"])


def version_new(*, by, review: Review, agency: Agency, origin: str, filename: str = "") -> ChronologyVersion:
    """A new empty version. Call inside the caller's transaction. A new draft supersedes the old draft."""
    old_draft = ChronologyVersion.objects.filter(review=review, agency=agency,
                                                 state=ChronologyVersion.State.DRAFT).first()
    if old_draft is not None:
        old_draft.supersede()
        old_draft.superseded_at = timezone.now()
        old_draft.save()
    version = ChronologyVersion.objects.create(
        review=review, agency=agency, number=_next_number(review, agency), origin=origin,
        source_filename=filename[:255], created_by=by if getattr(by, "is_authenticated", False) else None)
    _note_progress(_request_for(review, agency, by))
    return version


def draft_start(*, by, review: Review, agency: Agency, copy_from: ChronologyVersion | None = None
                ) -> ChronologyVersion:
    """Open a draft for the agency, empty or as a copy of its latest returned version."""
    with transaction.atomic():
        existing = ChronologyVersion.objects.filter(review=review, agency=agency,
                                                    state=ChronologyVersion.State.DRAFT).first()
        if existing is not None:
            return existing
        version = version_new(by=by, review=review, agency=agency,
                              origin=ChronologyVersion.Origin.COPY if copy_from else ChronologyVersion.Origin.BROWSER)
        if copy_from is not None:
            _copy_entries(copy_from, version)
        audit_record(by=by, action="chronology.draft_started", obj=version,
                     detail={"copied_from": copy_from.number if copy_from else None})
    return version


def version_restore(*, by, version: ChronologyVersion) -> ChronologyVersion:
    """Make an earlier version the agency's draft again (a copy of it); the current draft, if any, is kept as
    an earlier version in turn, so nothing is lost either way."""
    with transaction.atomic():
        version = ChronologyVersion.objects.select_for_update(of=("self",)).select_related("review", "agency").get(
            pk=version.pk)
        if version.state != ChronologyVersion.State.SUPERSEDED:
            raise ChronologyError("Only an earlier version can be restored: this one is still current")
        if getattr(by, "agency_id", None) != version.agency_id:
            raise ChronologyError("Only the agency's own people can restore its chronology")
        draft = version_new(by=by, review=version.review, agency=version.agency,
                            origin=ChronologyVersion.Origin.COPY)
        _copy_entries(version, draft)
        mark_analysis_stale(version.review)
        audit_record(by=by, action="chronology.version_restored", obj=draft, detail={"from_version": version.number})
    return draft


def _copy_entries(source: ChronologyVersion, target: ChronologyVersion) -> None:
    through = ChronologyEntry.people.through
    for entry in source.entries.prefetch_related("people"):
        people = list(entry.people.all())
        entry.pk = None
        entry.id = None
        entry.version = target
        entry.current_accepted = entry.current_returned = False
        entry.duplicate_group = None
        entry.save()
        through.objects.bulk_create([through(chronologyentry_id=entry.pk, caseperson_id=p.pk) for p in people])
    target.entry_count = source.entry_count
    target.save(update_fields=["entry_count"])


def refresh_current(review: Review, agency: Agency) -> None:
    """Point the merged chronology's flags at the agency's accepted and latest returned versions."""
    ChronologyEntry.objects.filter(review=review, agency=agency).filter(
        current_accepted=True).update(current_accepted=False)
    ChronologyEntry.objects.filter(review=review, agency=agency).filter(
        current_returned=True).update(current_returned=False)
    versions = ChronologyVersion.objects.filter(review=review, agency=agency)
    accepted = versions.filter(state=ChronologyVersion.State.ACCEPTED).order_by("-number").first()
    returned = versions.filter(state__in=[ChronologyVersion.State.SUBMITTED,
                                          ChronologyVersion.State.ACCEPTED]).order_by("-number").first()
    if accepted is not None:
        ChronologyEntry.objects.filter(version=accepted).update(current_accepted=True)
    if returned is not None:
        ChronologyEntry.objects.filter(version=returned).update(current_returned=True)
    mark_analysis_stale(review)


def _supersede_returned(version: ChronologyVersion, *, keep_accepted: bool) -> None:
    """The agency's earlier submitted (and, once this is accepted, accepted) versions become history."""
    states = [ChronologyVersion.State.SUBMITTED]
    if not keep_accepted:
        states.append(ChronologyVersion.State.ACCEPTED)
    for old in ChronologyVersion.objects.filter(review=version.review, agency=version.agency,
                                                state__in=states).exclude(pk=version.pk):
        old.supersede()
        old.superseded_at = timezone.now()
        old.save()


def version_submit(*, by, version: ChronologyVersion) -> ChronologyVersion:
    """The agency's safeguarding lead submits the draft; it replaces the agency's earlier submission."""
    with transaction.atomic():
        # The draft's row is locked so an entry edit (which locks it too) cannot slip in beside the submission.
        state = (ChronologyVersion.objects.select_for_update(of=("self",)).filter(pk=version.pk)
                 .values_list("state", flat=True).get())
        if state != ChronologyVersion.State.DRAFT or version.state != ChronologyVersion.State.DRAFT:
            raise ChronologyError("Only a draft can be submitted: this one has already been submitted")
        if not version.entries.exists():
            raise ChronologyError("Add at least one entry before you submit the chronology")
        version.submit()
        version.submitted_by = by
        version.submitted_at = timezone.now()
        version.entry_count = version.entries.count()
        version.returned_reason = ""
        version.save()
        _supersede_returned(version, keep_accepted=True)
        request = _request_for(version.review, version.agency, by)
        request.submit()
        request.save(update_fields=["status"])
        refresh_current(version.review, version.agency)
        audit_record(by=by, action="chronology.submitted", obj=version, detail={"entries": version.entry_count})
        review = version.review
        for manager in _board_managers(review.board_id):
            email_queue(to=manager.email, board_id=review.board_id, about=request, by=by,
                        subject=f"{version.agency.name} submitted its chronology for review {review.reference}",
                        body=f"{version.agency.name} submitted version {version.number} of its chronology "
                             f"({version.entry_count} entries) for review {review.reference}. Sign in to "
                             "CaseReview to accept it or send it back.\n")
    return version


def version_accept(*, by, version: ChronologyVersion) -> ChronologyVersion:
    with transaction.atomic():
        if version.state != ChronologyVersion.State.SUBMITTED:
            raise ChronologyError("Only a submitted chronology can be accepted")
        previous = ChronologyVersion.objects.filter(review=version.review, agency=version.agency,
                                                    state=ChronologyVersion.State.ACCEPTED).first()
        version.accept()
        version.accepted_by = by
        version.accepted_at = timezone.now()
        version.save()
        if previous is not None:
            _carry_annotations(previous, version)
            previous.supersede()
            previous.superseded_at = timezone.now()
            previous.save()
        request = _request_for(version.review, version.agency, by)
        if request.status == ChronologyRequest.Status.SUBMITTED:
            request.accept()
            request.save(update_fields=["status"])
        refresh_current(version.review, version.agency)
        audit_record(by=by, action="chronology.accepted", obj=version)
    return version


def version_send_back(*, by, version: ChronologyVersion, reason: str) -> ChronologyVersion:
    """Return a submitted chronology to the agency as its draft, saying what to change."""
    with transaction.atomic():
        if version.state != ChronologyVersion.State.SUBMITTED:
            raise ChronologyError("Only a submitted chronology can be sent back")
        if ChronologyVersion.objects.filter(review=version.review, agency=version.agency,
                                            state=ChronologyVersion.State.DRAFT).exists():
            raise ChronologyError(f"{version.agency.name} already has a draft in progress")
        version.send_back()
        version.returned_reason = reason
        version.save()
        request = _request_for(version.review, version.agency, by)
        if request.status == ChronologyRequest.Status.SUBMITTED:
            request.send_back()
            request.save(update_fields=["status"])
        refresh_current(version.review, version.agency)
        audit_record(by=by, action="chronology.sent_back", obj=version)
        for person in agency_request_recipients(version.agency_id):
            email_queue(to=person.email, board_id=version.review.board_id, about=request, by=by,
                        subject=f"Your chronology for review {version.review.reference} needs changes",
                        body=f"Your chronology for review {version.review.reference} was sent back:\n\n{reason}\n\n"
                             "Sign in to CaseReview to change it; your safeguarding lead can then submit it again.\n")
    return version


def _carry_annotations(old: ChronologyVersion, new: ChronologyVersion) -> None:
    """Stars, tags and comments follow an event into the agency's newly accepted version (same event ref)."""
    new_by_ref = dict(new.entries.values_list("event_ref", "pk"))
    for entry_id, ref in old.entries.values_list("pk", "event_ref"):
        target = new_by_ref.get(ref)
        if target is None:
            continue
        EntryComment.objects.filter(entry_id=entry_id).update(entry_id=target)
        for star in EntryStar.objects.filter(entry_id=entry_id):
            EntryStar.objects.get_or_create(entry_id=target, user_id=star.user_id)
        for tag in EntryTag.objects.filter(entry_id=entry_id):
            EntryTag.objects.get_or_create(entry_id=target, tag=tag.tag, defaults={"added_by_id": tag.added_by_id})


# --- Entries ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class EntryDetails:
    """One chronology entry as the form, the API or a test gives it. A field left as None was not given: a new
    entry keeps the model's default, a changed one keeps its value (a text field given as None is blank)."""

    start: FuzzyDate
    start_time: time | None = None
    end: FuzzyDate | None = None
    end_time: time | None = None
    people: Sequence[CasePerson] = ()
    event_ref: str | None = None
    source: str | None = None
    practitioner_role: str | None = None
    event_type: str | None = None
    event_type_other: str | None = None
    description: str | None = None
    risk: str | None = None
    response: str | None = None
    partnership: str | None = None
    learning: str | None = None
    q_assessment: bool | None = None
    q_pattern: bool | None = None
    q_statutory: bool | None = None
    q_child: bool | None = None
    q_adult: bool | None = None
    q_learning_point: bool | None = None
    good_practice: bool | None = None
    key_practice_episode: bool | None = None

    def given(self) -> dict[str, object]:
        """The entry's own fields that were given (the dates and the people are applied separately)."""
        skip = {"start", "start_time", "end", "end_time", "people"}
        return {f.name: value for f in fields(self)
                if f.name not in skip and (value := getattr(self, f.name)) is not None}


def _next_ref(version: ChronologyVersion) -> str:
    """The next reference in the agency's one format, after the highest already in the draft."""
    used = list(version.entries.values_list("event_ref", flat=True))
    return format_ref(version.agency.short_code, next_ref_number(version.agency.short_code, used))


def _fill(entry: ChronologyEntry, details: EntryDetails) -> list:
    for name, value in details.given().items():
        setattr(entry, name, value)
    apply_dates(entry, details.start, details.start_time, details.end, details.end_time)
    refresh_derived(entry)
    return list(details.people)


def add_entry_to(*, by, version: ChronologyVersion, details: EntryDetails) -> ChronologyEntry:
    """A new entry in a draft (for a review, or for a referral before any review exists). Call inside the
    caller's transaction."""
    agency = version.agency
    entry = ChronologyEntry(version=version, review_id=version.review_id, referral_id=version.referral_id,
                            agency=agency, agency_code=agency.short_code, author=by)
    people = _fill(entry, details)
    if not entry.event_ref:
        entry.event_ref = _next_ref(version)
        refresh_derived(entry)
    entry.save()
    entry.people.set(people)
    version.entry_count = version.entries.count()
    version.save(update_fields=["entry_count"])
    audit_record(by=by, action="chronology.entry_added", obj=entry, board_id=version.board_id)
    return entry


def entry_create(*, by, review: Review, details: EntryDetails) -> ChronologyEntry:
    """A new entry in the author's own agency's draft; the agency comes from the author, never the form."""
    with transaction.atomic():
        version = draft_start(by=by, review=review, agency=by.agency)
        return add_entry_to(by=by, version=version, details=details)


def entry_update(*, by, entry: ChronologyEntry, details: EntryDetails,
                 edit_version: int | None = None) -> ChronologyEntry:
    """Change an entry of a draft; `edit_version` is the entry's edit counter when the form was opened (a stale
    one is refused: someone else saved the entry in between). The draft's row is locked first, so an edit racing
    with the draft's submission either lands before it or is refused: a submitted chronology never changes."""
    with transaction.atomic():
        draft = ChronologyVersion.objects.select_for_update(of=("self",)).get(pk=entry.version_id)
        if draft.state != ChronologyVersion.State.DRAFT:
            raise ChronologyError("Your agency submitted this chronology while you were editing the entry, so the "
                                  "entry can no longer be changed and your change has not been saved: to change it, "
                                  "start a new draft from the submitted version")
        entry.version = draft
        claim_version(entry, edit_version, "entry", field="edit_version")
        people = _fill(entry, details)
        if not entry.event_ref:
            entry.event_ref = _next_ref(entry.version)
            refresh_derived(entry)
        entry.save()
        entry.people.set(people)
        audit_record(by=by, action="chronology.entry_changed", obj=entry)
    return entry


def entry_delete(*, by, entry: ChronologyEntry) -> None:
    with transaction.atomic():
        if entry.version.state != ChronologyVersion.State.DRAFT:
            raise ChronologyError("Only entries of a draft can be deleted")
        version = entry.version
        audit_record(by=by, action="chronology.entry_deleted", obj=entry, board_id=version.board_id)
        entry.delete()
        version.entry_count = version.entries.count()
        version.save(update_fields=["entry_count"])


# --- Review group working ---------------------------------------------------------------------------------


def entry_star_toggle(*, by, entry: ChronologyEntry) -> bool:
    """Flag an entry for the review group, or remove your flag. Returns whether it is now flagged by you."""
    with transaction.atomic():
        deleted, _ = EntryStar.objects.filter(entry=entry, user=by).delete()
        if not deleted:
            EntryStar.objects.create(entry=entry, user=by)
        audit_record(by=by, action="chronology.entry_unflagged" if deleted else "chronology.entry_flagged",
                     obj=entry, board_id=entry.review.board_id)
    return not deleted


def entry_tag_add(*, by, entry: ChronologyEntry, tag: str) -> EntryTag:
    with transaction.atomic():
        item, _ = EntryTag.objects.get_or_create(entry=entry, tag=tag.strip(), defaults={"added_by": by})
        audit_record(by=by, action="chronology.entry_tagged", obj=entry, board_id=entry.review.board_id,
                     detail={"tag": item.tag})
    return item


def entry_tag_remove(*, by, entry: ChronologyEntry, tag_id: int) -> None:
    with transaction.atomic():
        tag = EntryTag.objects.filter(entry=entry, pk=tag_id).first()
        if tag is None:
            raise ChronologyError("That tag has already been removed")
        audit_record(by=by, action="chronology.entry_untagged", obj=entry, board_id=entry.review.board_id,
                     detail={"tag": tag.tag})
        tag.delete()


def entry_comment_add(*, by, entry: ChronologyEntry, text: str) -> EntryComment:
    with transaction.atomic():
        comment = EntryComment.objects.create(entry=entry, text=text, author=by)
        audit_record(by=by, action="chronology.entry_commented", obj=entry, board_id=entry.review.board_id,
                     detail={"comment": comment.pk})
    return comment


def saved_view_create(*, by, review: Review, name: str, query: str) -> SavedView:
    with transaction.atomic():
        view, created = SavedView.objects.update_or_create(review=review, name=name,
                                                           defaults={"query": query, "created_by": by})
        audit_record(by=by, action="chronology.view_saved", obj=review, detail={"view": name})
    return view


def saved_view_delete(*, by, view: SavedView) -> None:
    with transaction.atomic():
        audit_record(by=by, action="chronology.view_deleted", obj=view.review, detail={"view": view.name})
        view.delete()


# --- Duplicates: the review group decides ----------------------------------------------------------------


def duplicate_decide(*, by, review: Review, entry_a: ChronologyEntry, entry_b: ChronologyEntry,
                     decision: str) -> DuplicateDecision:
    """Record that two agencies' entries record the same event (confirmed) or not (dismissed)."""
    if decision not in DuplicateDecision.Decision.values:
        raise ChronologyError("Choose whether the two entries record the same event")
    if entry_a.review_id != review.pk or entry_b.review_id != review.pk:
        raise ChronologyError("Both entries must belong to this review's chronology")
    if entry_a.agency_id == entry_b.agency_id:
        raise ChronologyError("A duplicate is the same event recorded by two different agencies")
    first, second = sorted((entry_a, entry_b), key=lambda e: DuplicateDecision.key(e.agency_id, e.event_ref))
    with transaction.atomic():
        ReviewChronology.objects.select_for_update(of=("self",)).get_or_create(review=review)
        existing = DuplicateDecision.objects.filter(
            review=review, agency_a_id=first.agency_id, ref_a__iexact=first.event_ref,
            agency_b_id=second.agency_id, ref_b__iexact=second.event_ref).first()
        if existing is not None:
            raise ChronologyError(f"{first.event_ref} and {second.event_ref} were already marked as "
                                  f"{existing.get_decision_display().lower()} by {existing.decided_by}")
        made = DuplicateDecision.objects.create(
            review=review, agency_a_id=first.agency_id, ref_a=first.event_ref, agency_b_id=second.agency_id,
            ref_b=second.event_ref, decision=decision, decided_by=by)
        mark_analysis_stale(review)
        audit_record(by=by, action=f"chronology.duplicate_{decision}", obj=made, board_id=review.board_id,
                     detail={"a": first.event_ref, "b": second.event_ref})
    return made
