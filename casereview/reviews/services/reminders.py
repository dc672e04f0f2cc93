"""Reminders for a review's deadlines: its completion target, agencies' written information returns, and the
National Panel's copy of the report before the planned publication date.

Run every morning by the worker (`reviews/periodic.py`); a reminder goes once before a due date and once on it
(the deadlines app remembers what was sent), so running it twice on one day sends nothing twice.
"""

from datetime import date

from casereview.core.links import absolute_url
from casereview.deadlines.services import remind_once, reminder_kind
from casereview.lib.clocks import clock_status
from casereview.lib.dates import today as board_today
from casereview.lib.formats import long_date
from casereview.partnership.models import User
from casereview.partnership.roles import Role

from .. import selectors
from ..models import AgencyRequest, Review, ReviewMember
from ..selectors.publication import prepublication_due


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def _managers(board_id: int):
    return User.objects.filter(board_id=board_id, is_active=True, role_grants__role=Role.BUSINESS_MANAGER)


def _when(days_left: int) -> str:
    if days_left == 0:
        return "due today"
    if days_left < 0:
        return f"{-days_left} day{'s' if days_left != -1 else ''} overdue"
    return f"due in {days_left} day{'s' if days_left != 1 else ''}"


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    today = today or board_today()
    counts = {"completion": 0, "agency_information": 0, "panel_copy": 0}
    open_reviews = (Review.objects.exclude(status__in=selectors.CLOSED_STATES)
                    .select_related("board").prefetch_related("extensions", "pauses"))
    for review in open_reviews:
        timescale = selectors.review_timescale(review, today)
        kind = reminder_kind(timescale.status, today) if timescale.status else None
        if kind is None:
            continue
        leads = User.objects.filter(review_memberships__review=review, is_active=True,
                                    review_memberships__role=ReviewMember.Role.LEAD_REVIEWER,
                                    review_memberships__removed_at__isnull=True)
        when = _when(timescale.status.days_left)
        counts["completion"] += remind_once(
            board_id=review.board_id, about=review, clock="review-completion", due=timescale.target, kind=kind,
            recipients=_emails(_managers(review.board_id)) + _emails(leads),
            subject=f"Reminder: review {review.reference} is {when}",
            body=(f"Review {review.reference} aims to be complete by {long_date(timescale.target)} ({when}). "
                  "If it needs more time, ask the Independent Chair for an extension on its timescale page: "
                  f"{absolute_url('reviews:timescale', review.pk)}"))
    waiting = (AgencyRequest.objects.filter(returned_on__isnull=True)
               .exclude(review__status__in=selectors.CLOSED_STATES).select_related("review", "agency"))
    for request in waiting:
        status = clock_status(request.due_on, today)
        kind = reminder_kind(status, today)
        if kind is None:
            continue
        review = request.review
        leads = User.objects.filter(board_id=review.board_id, is_active=True, agency_id=request.agency_id,
                                    role_grants__role=Role.AGENCY_LEAD)
        when = _when(status.days_left)
        counts["agency_information"] += remind_once(
            board_id=review.board_id, about=request, clock="review-agency-information", due=request.due_on,
            kind=kind, recipients=_emails(leads) + _emails(_managers(review.board_id)),
            subject=f"Reminder: {request.agency}'s information for review {review.reference} is {when}",
            body=(f"The board asked {request.agency} on {long_date(request.requested_on)} for: {request.what}\n\n"
                  f"It is due by {long_date(request.due_on)} ({when}). Please send it to the board's Business "
                  "Manager."))
    planned = (Review.objects.exclude(status__in=selectors.CLOSED_STATES)
               .filter(planned_publication_on__isnull=False, panel_copy_sent_on__isnull=True).select_related("board"))
    for review in planned:
        due = prepublication_due(review, review.planned_publication_on)
        status = clock_status(due, today)
        kind = reminder_kind(status, today)
        if kind is None:
            continue
        when = _when(status.days_left)
        counts["panel_copy"] += remind_once(
            board_id=review.board_id, about=review, clock="review-panel-copy", due=due, kind=kind,
            recipients=_emails(_managers(review.board_id)),
            subject=f"Reminder: the National Panel's copy of review {review.reference} is {when}",
            body=(f"Review {review.reference} is planned for publication on "
                  f"{long_date(review.planned_publication_on)}. The National Panel must have a copy of the report "
                  f"by {long_date(due)} ({when}). Record it as sent on the publication page: "
                  f"{absolute_url('reviews:publication', review.pk)}"))
    return counts
