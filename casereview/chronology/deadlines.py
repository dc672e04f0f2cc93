"""The chronology requests' return dates for the board's Deadlines page (registered from apps.py)."""

from datetime import date

from django.urls import reverse

from casereview.deadlines.registry import Deadline
from casereview.deadlines.services import fixed_due_view
from casereview.lib.dates import BOARD_TIME_ZONE
from casereview.reviews.models import Review

from .models import ChronologyRequest

OPEN_REVIEW_STATES = (Review.Status.INITIATED, Review.Status.ANALYSIS, Review.Status.REPORT_QA)


def chronology_deadlines(board, *, today: date, closures: frozenset[date]):
    """Each agency's chronology still to come in by the date it was asked for, while its review is open. A
    request nobody at the agency received waits on the Business Manager, as the requests page says."""
    requests = (ChronologyRequest.objects.filter(
        review__board=board, review__status__in=OPEN_REVIEW_STATES, deadline__isnull=False,
        status__in=[ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS])
        .select_related("review__case", "agency"))
    for request in requests:
        waiting = (f"{request.agency.name} safeguarding lead" if not request.not_delivered else
                   f"Business Manager: nobody at {request.agency.name} has received the request")
        requested_on = request.requested_at.astimezone(BOARD_TIME_ZONE).date()
        yield Deadline(view=fixed_due_view(slug="chronology-return", name="Agency's chronology returned",
                                           start=min(requested_on, request.deadline), due=request.deadline,
                                           today=today, waiting_on=waiting),
                       record=f"Review {request.review.reference} ({request.review.case.pseudonym})",
                       url=reverse("chronology:requests", args=[request.review_id]),
                       agencies=(request.agency.name,))
