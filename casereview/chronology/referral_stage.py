"""Chronologies asked for while a referral is considered, before any review exists.

The framework wants robust, proportionate chronologies to inform the decision whether to initiate a review, so
the business unit may ask agencies for their Significant Practice Event chronologies from the referral's page.
The request, the agency's versions and entries are the same records a review uses, with `referral` set and
`review` empty. Agencies write and submit them as they do for a review. When the referral becomes a review
(any type: the Chair's SCR decision or the SCR Committee's routing), `carry_into_review` moves them into the
review (the request remembers the referral's reference), so the review's chronology page shows them and nobody
is asked twice. A referral that ends without a
review keeps them, and they follow the referral's retention.

Referrals sit below chronology, so referrals cannot call this: it is registered into the referrals hook
`register_review_opened` from ChronologyConfig.ready().
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.core.dashboard import WaitingItem
from casereview.core.links import absolute_url
from casereview.lib.dates import today as current_date
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import Agency
from casereview.partnership.selectors import agency_request_recipients
from casereview.referrals.clocks import referral_chronology_due
from casereview.referrals.models import Referral
from casereview.referrals.selectors import referral_get_for_user
from casereview.reviews.models import Review

from .models import ChronologyEntry, ChronologyRequest, ChronologyVersion, ReviewChronology
from .permissions import can_read_referral_chronologies, can_write_entries
from .services import ChronologyError, EntryDetails, _board_managers, _record_delivery, add_entry_to

# Until the Chair decides (or the SCR Committee routes it) the referral is being considered.
CONSIDERED = (Referral.Status.RECEIVED, Referral.Status.RECOMMENDED)
OPEN = (ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS)


# --- reads -----------------------------------------------------------------------------------------------
def referral_for_requests(user, referral_id: int) -> Referral:
    """The referral, for the board-wide roles reading its chronologies (the business unit also asks for
    them); 404 out of scope."""
    referral = referral_get_for_user(user, referral_id)
    if not can_read_referral_chronologies(user):
        raise Http404("No referral found")
    return referral


def referral_requests(referral: Referral) -> QuerySet[ChronologyRequest]:
    """The chronologies asked for at referral stage (still with the referral, not yet carried into a review)."""
    return (ChronologyRequest.objects.filter(referral=referral, review__isnull=True)
            .select_related("agency").order_by("agency__name"))


def referral_versions(referral: Referral) -> QuerySet[ChronologyVersion]:
    return (ChronologyVersion.objects.filter(referral=referral, review__isnull=True)
            .select_related("agency", "submitted_by").order_by("agency__name", "-number"))


def returned_entries(referral: Referral) -> QuerySet[ChronologyEntry]:
    """Every agency's latest submitted chronology at referral stage, in date order: what informs the decision."""
    return (ChronologyEntry.objects.filter(referral=referral, review__isnull=True, current_returned=True)
            .order_by(*ChronologyEntry.ORDERING))


def referral_for_agency(user, referral_id: int) -> tuple[Referral, ChronologyRequest]:
    """The referral and the request to the user's agency; 404 unless their agency was asked (the agency sees
    the request and its own chronology, not the referral record)."""
    if not can_write_entries(user):
        raise Http404("No request found")
    request = (ChronologyRequest.objects.filter(referral_id=referral_id, review__isnull=True,
                                                agency_id=user.agency_id, referral__board_id=user.board_id)
               .select_related("referral", "referral__case", "agency").first())
    if request is None:
        raise Http404("No request found")
    return request.referral, request


def draft_for(referral: Referral, agency_id: int) -> ChronologyVersion | None:
    return ChronologyVersion.objects.filter(referral=referral, review__isnull=True, agency_id=agency_id,
                                            state=ChronologyVersion.State.DRAFT).first()


def draft_entry_for(user, referral: Referral, entry_id: int) -> ChronologyEntry:
    """An entry of the user's own agency's referral-stage draft (the only entries they may change), or 404."""
    entry = (ChronologyEntry.objects.filter(pk=entry_id, referral=referral, review__isnull=True,
                                            agency_id=user.agency_id, version__state=ChronologyVersion.State.DRAFT)
             .select_related("version", "version__referral").first())
    if entry is None:
        raise Http404("No such entry")
    return entry


def requests_waiting_for_agency(user) -> QuerySet[ChronologyRequest]:
    """Referral-stage requests the user's agency has not yet submitted (for their home page)."""
    if not can_write_entries(user):
        return ChronologyRequest.objects.none()
    return (ChronologyRequest.objects.filter(agency_id=user.agency_id, review__isnull=True,
                                             referral__board_id=user.board_id, status__in=OPEN)
            .exclude(referral__status=Referral.Status.CLOSED)  # ended without a review: no longer needed
            .select_related("referral").order_by("deadline"))


def referral_requests_waiting(user) -> list[WaitingItem]:
    """The agency's "Waiting for you": write (authors) or write and submit (leads) the chronology asked for."""
    return [WaitingItem(f"Write {r.agency.short_code}'s chronology for referral {r.referral.reference}",
                        reverse("chronology:referral_agency", args=[r.referral_id]), r.deadline)
            for r in requests_waiting_for_agency(user).select_related("agency")]


def default_deadline(referral: Referral) -> date | None:
    return referral_chronology_due(referral)


# --- writes ----------------------------------------------------------------------------------------------
def referral_requests_create(*, by, referral: Referral, agencies: list[Agency], deadline: date) -> int:
    """Ask agencies for their chronology while the referral is considered. Returns how many were asked (an
    agency already asked keeps its request). Each agency's safeguarding leads and authors are emailed."""
    if not agencies:
        raise ChronologyError("Select the agencies to ask for a chronology", "agencies")
    if deadline <= current_date():
        raise ChronologyError("The deadline must be in the future", "deadline")
    with transaction.atomic():
        Referral.objects.select_for_update(of=("self",)).only("pk").get(pk=referral.pk)
        referral.refresh_from_db()
        if referral.status not in CONSIDERED:
            raise ChronologyError("Chronologies can be asked for while the referral is considered: from its "
                                  "receipt until the decision")
        created = 0
        for agency in agencies:
            if agency.board_id != referral.board_id:
                raise ChronologyError("Choose agencies of this board", "agencies")
            request, new = ChronologyRequest.objects.get_or_create(
                referral=referral, review=None, agency=agency, defaults={"deadline": deadline, "requested_by": by})
            if not new:
                continue
            created += 1
            recipients = agency_request_recipients(agency.pk)
            for person in recipients:
                email_queue(
                    to=person.email, board_id=referral.board_id, about=request, by=by,
                    subject=f"Chronology requested for referral {referral.reference} by {long_date(deadline)}",
                    body=f"{referral.board.name} is considering referral {referral.reference} and asks "
                         f"{agency.name} for its Significant Practice Event chronology by {long_date(deadline)}, "
                         "to inform the decision whether to review the case.\n\n"
                         f"Sign in to CaseReview to enter it ({absolute_url('chronology:referral_agency', referral.pk)})."
                         " Your safeguarding lead checks and submits it. If the case is reviewed, your chronology "
                         "carries into the review: you will not be asked for it again.\n")
            _record_delivery(request, recipients)
            audit_record(by=by, action="chronology.requested_at_referral", obj=request,
                         detail={"deadline": deadline.isoformat(), "delivered": bool(recipients)})
        if not created:
            raise ChronologyError("Every agency you chose has already been asked", "agencies")
    return created


def _draft(*, by, request: ChronologyRequest) -> ChronologyVersion:
    draft = draft_for(request.referral, request.agency_id)
    if draft is not None:
        return draft
    top = (ChronologyVersion.objects.filter(referral=request.referral, review__isnull=True, agency=request.agency)
           .aggregate(top=Max("number"))["top"]) or 0
    draft = ChronologyVersion.objects.create(referral=request.referral, agency=request.agency, number=top + 1,
                                             origin=ChronologyVersion.Origin.BROWSER, created_by=by)
    if request.status == ChronologyRequest.Status.REQUESTED:
        request.start()
        request.save(update_fields=["status"])
    return draft


def referral_entry_create(*, by, request: ChronologyRequest, details: EntryDetails) -> ChronologyEntry:
    """A new entry in the author's agency's draft for the referral; the agency comes from the author."""
    if by.agency_id != request.agency_id:
        raise ChronologyError("Only the agency's own people can write its chronology")
    with transaction.atomic():
        return add_entry_to(by=by, version=_draft(by=by, request=request), details=details)


def referral_version_submit(*, by, request: ChronologyRequest) -> ChronologyVersion:
    """The agency's safeguarding lead submits the draft; it replaces the agency's earlier submission."""
    with transaction.atomic():
        version = draft_for(request.referral, request.agency_id)
        if version is None or not version.entries.exists():
            raise ChronologyError("Add at least one entry before you submit the chronology")
        # The draft's row is locked so an entry edit (which locks it too) cannot slip in beside the submission.
        version = ChronologyVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
        if version.state != ChronologyVersion.State.DRAFT:
            raise ChronologyError("Only a draft can be submitted: this one has already been submitted")
        version.submit()
        version.submitted_by = by
        version.submitted_at = timezone.now()
        version.entry_count = version.entries.count()
        version.save()
        for old in (ChronologyVersion.objects.filter(referral=request.referral, review__isnull=True,
                                                     agency=request.agency, state=ChronologyVersion.State.SUBMITTED)
                    .exclude(pk=version.pk)):
            old.supersede()
            old.superseded_at = timezone.now()
            old.save()
        ChronologyEntry.objects.filter(referral=request.referral, review__isnull=True, agency=request.agency,
                                       current_returned=True).update(current_returned=False)
        version.entries.update(current_returned=True)
        request.submit()
        request.save(update_fields=["status"])
        audit_record(by=by, action="chronology.submitted", obj=version,
                     detail={"entries": version.entry_count, "stage": "referral"})
        referral = request.referral
        for manager in _board_managers(referral.board_id):
            email_queue(to=manager.email, board_id=referral.board_id, about=request, by=by,
                        subject=f"{request.agency.name} submitted its chronology for referral {referral.reference}",
                        body=f"{request.agency.name} submitted its chronology ({version.entry_count} entries) for "
                             f"referral {referral.reference}: "
                             f"{absolute_url('chronology:referral_requests', referral.pk)}\n")
    return version


def carry_into_review(*, by, referral: Referral, review: Review) -> int:
    """The referral became a review: its chronology requests, versions and entries become the review's, so the
    review's chronology page shows them and no agency is asked again. Called inside the transaction that opens
    the review (the referrals hook). Returns how many requests carried."""
    requests = ChronologyRequest.objects.filter(referral=referral, review__isnull=True)
    carried = requests.count()
    if not carried:
        return 0
    # The review owns them from now on: the referral's later retention never touches them.
    ChronologyEntry.objects.filter(referral=referral, review__isnull=True).update(review=review, referral=None)
    ChronologyVersion.objects.filter(referral=referral, review__isnull=True).update(review=review, referral=None)
    requests.update(review=review, referral=None, carried_from=referral.reference)
    ReviewChronology.objects.update_or_create(review=review, defaults={"analysis_stale": True})
    audit_record(by=by, action="chronology.carried_into_review", obj=review,
                 detail={"referral": referral.reference, "requests": carried})
    return carried
