"""Every change to a review: keyword-only, `by` first, one transaction, one audit event inside it.

Refusals raise ReviewError with a message written for the person who asked; nothing is half-written.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from casereview.audit.services import audit_record
from casereview.core.errors import ServiceError

from ..models import Review


class ReviewError(ServiceError):
    """A refused change; `field` names the form field the message belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def _today() -> date:
    return timezone.localdate()


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _not_future(value: date | None, what: str, field: str) -> None:
    if value and value > _today():
        raise ReviewError(f"{what} must be today or in the past", field)


def _move(review: Review, transition, refusal: str) -> None:
    """Run a django-fsm transition; from the wrong state it is refused in words."""
    try:
        transition()
    except TransitionNotAllowed:
        raise ReviewError(f"{refusal}: the review is {review.get_status_display().lower()}") from None



def review_viewed(*, by, review: Review, page: str) -> None:
    with transaction.atomic():
        audit_record(by=by, action="review.viewed", obj=review, detail={"page": page})
