"""Every change to a review: keyword-only, `by` first, one transaction, one audit event inside it.

Refusals raise ReviewError with a message written for the person who asked; nothing is half-written. Checks
that depend on other rows run inside the transaction, after the review's row is locked (`lock_review`).
"""

from datetime import date

from django_fsm import TransitionNotAllowed

from casereview.audit.services import audit_access
from casereview.core.errors import ServiceError
from casereview.lib.dates import today
from casereview.lib.formats import long_date

from ..models import Review


class ReviewError(ServiceError):
    """A refused change; `field` names the form field the message belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def _today() -> date:
    return today()


def _fmt(d: date) -> str:
    return long_date(d)


def _not_future(value: date | None, what: str, field: str) -> None:
    if value and value > today():
        raise ReviewError(f"{what} must be today or in the past", field)


def _move(review: Review, transition, refusal: str) -> None:
    """Run a django-fsm transition; from the wrong state it is refused in words."""
    try:
        transition()
    except TransitionNotAllowed:
        raise ReviewError(f"{refusal}: the review is {review.get_status_display().lower()}") from None


def lock_review(review: Review) -> Review:
    """Lock the review's row for the rest of the transaction, so checks on its children cannot race."""
    return Review.objects.select_for_update(of=("self",)).get(pk=review.pk)


def review_viewed(*, by, review: Review, page: str) -> None:
    audit_access(by=by, action="review.viewed", obj=review, detail={"page": page})


