"""What every reviews page shares: the sections, the guard and the page frame."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors, services
from ..models import Review
from ..permissions import (
    can_approve_for_board,
    can_manage_reviews,
    can_quality_assure,
    can_write_findings,
)

SECTIONS = [
    ("detail", "Overview"),
    ("setup", "Terms of reference"),
    ("stages", "Stages"),
    ("people", "Review Group"),
    ("case_group", "Case Group"),
    ("family", "Family involvement"),
    ("timescale", "Timescale"),
    ("requests", "Agency information"),
    ("findings", "Findings"),
    ("report", "Report"),
    ("publication", "Publication"),
]


def _manage(user, review) -> bool:
    return can_manage_reviews(user)


def _write(user, review) -> bool:
    return can_write_findings(user, review)


def _report_reader(user, review) -> bool:
    return can_write_findings(user, review) or can_quality_assure(user) or can_approve_for_board(user)


def _get_review(request: HttpRequest, review_id: int, may: Callable | None = None) -> Review:
    """Scope first (404, revealing nothing), then the role (403)."""
    review = selectors.review_get_for_user(request.user, review_id)
    if may is not None and not may(request.user, review):
        raise PermissionDenied
    return review


def _page(request, review: Review, template: str, section: str, context: dict) -> HttpResponse:
    user = request.user
    context.update({
        "review": review, "section": section, "sections": SECTIONS, "today": timezone.localdate(),
        "can_manage": can_manage_reviews(user), "can_write": can_write_findings(user, review),
        "can_read_report": _report_reader(user, review),
    })
    return render(request, template, context)


def _apply(form, call) -> bool:
    """Run a service with a valid form; a refusal becomes an error on the right field. True on success."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except services.ReviewError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return False
    return True


def _yes(value: str) -> bool:
    return value == "yes"

