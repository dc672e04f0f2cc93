"""Every change to a review: keyword-only, `by` first, one transaction, one audit event inside it.

Refusals raise ReviewError with a message written for the person who asked; nothing is half-written. Checks
that depend on other rows run inside the transaction, after the review's row is locked (`lock_review`).
"""

from datetime import date, datetime, time

from django_fsm import TransitionNotAllowed

from casereview.audit.services import audit_access
from casereview.core.errors import ServiceError
from casereview.lib.dates import BOARD_TIME_ZONE, now, today
from casereview.lib.formats import long_date

from ..models import Review


class ReviewError(ServiceError):
    """A refused change; `field` names the form field the message belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)




def _not_future(value: date | None, what: str, field: str) -> None:
    if value and value > today():
        raise ReviewError(f"{what} must be today or in the past", field)


def when_done(day: date | None, *, what: str, field: str, not_before: date | None = None,
              earlier: str = "") -> datetime:
    """When a step happened: now, or (for a step recorded after the event, such as a review completed before
    the board used CaseReview) that day, checked: not in the future and not before the step it follows."""
    if day is None:
        return now()
    _not_future(day, what, field)
    if not_before is not None and day < not_before:
        raise ReviewError(f"{what} must be on or after {earlier} ({long_date(not_before)})", field)
    return datetime.combine(day, time(10, 0), tzinfo=BOARD_TIME_ZONE)


def recorded_after(day: date | None) -> dict:
    """The audit detail of a step recorded after the event (empty for a step done now)."""
    return {"on": day.isoformat(), "recorded_after_the_event": True} if day else {}


def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(BOARD_TIME_ZONE).date() if moment else None


def _move(review: Review, transition, refusal: str) -> None:
    """Run a django-fsm transition; from the wrong state it is refused in words."""
    try:
        transition()
    except TransitionNotAllowed:
        raise ReviewError(f"{refusal}: the review is {review.get_status_display().lower()}") from None


def lock_review(review: Review) -> Review:
    """Lock the review's row for the rest of the transaction, so checks on its children cannot race."""
    return Review.objects.select_for_update(of=("self",)).get(pk=review.pk)


def lock_unchanged(review: Review) -> None:
    """Lock the review's row for the rest of the transaction and refuse when someone moved it on since the page
    was drawn. The caller then saves only the fields it changed (`update_fields`), so nothing stale is written."""
    status = Review.objects.select_for_update(of=("self",)).filter(pk=review.pk).values_list("status", flat=True).get()
    if status != review.status:
        raise ReviewError("Someone else changed this review while you were looking at it: it is now "
                          f"{Review.Status(status).label.lower()}. Reload the page to see it")


def review_viewed(*, by, review: Review, page: str) -> None:
    audit_access(by=by, action="review.viewed", obj=review, detail={"page": page})


