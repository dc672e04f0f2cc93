"""What waits on a person in a review, for the "Waiting for you" list at the top of their home page
(registered from apps.py): quality assurance for the SCR Committee, board approval for the Chair, and draft
findings for a Case Group member, each with the review's target or the reply-by date."""

from datetime import timedelta

from django.urls import reverse

from casereview.core.dashboard import WaitingItem
from casereview.lib.dates import today

from . import selectors
from .models import ReportVersion, Review
from .permissions import can_approve_for_board, can_quality_assure
from .services.consultation import CONSULTATION_LINK_DAYS


def _latest_versions(user):
    reviews = selectors.reviews_visible_to(user).filter(status=Review.Status.REPORT_QA)
    latest = {}
    for version in ReportVersion.objects.filter(review__in=reviews).select_related("review", "review__case") \
            .order_by("review_id", "number"):
        latest[version.review_id] = version
    return latest.values()


def _target(review):
    return selectors.review_timescale(review, today()).target


def quality_assurance_waiting(user) -> list[WaitingItem]:
    if not can_quality_assure(user):
        return []
    return [WaitingItem(f"Quality-assure version {v.number} of the report of {v.review.reference} "
                        f"({v.review.case.pseudonym})", reverse("reviews:report", args=[v.review_id]),
                        _target(v.review))
            for v in _latest_versions(user) if v.qa_signed_off_at is None]


def board_approval_waiting(user) -> list[WaitingItem]:
    if not can_approve_for_board(user):
        return []
    return [WaitingItem(f"Approve version {v.number} of the report of {v.review.reference} "
                        f"({v.review.case.pseudonym}) for the board", reverse("reviews:report", args=[v.review_id]),
                        _target(v.review))
            for v in _latest_versions(user) if v.qa_signed_off_at is not None and v.board_approved_at is None]


def consultation_waiting(user) -> list[WaitingItem]:
    return [WaitingItem(f"Comment on the draft findings of {m.review.reference}",
                        reverse("reviews:consultation", args=[m.review_id]),
                        m.review.consultation_opened_on + timedelta(days=CONSULTATION_LINK_DAYS))
            for m in selectors.consultations_for(user)]
