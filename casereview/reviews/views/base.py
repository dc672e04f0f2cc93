"""What every reviews page shares: the sections, the guards and the page frame.

The guard idiom: `@allowed_if(<role predicate>)` on the view, then `selectors.review_get_for_user` (or
`review_get_for_writer` for the lead reviewers' pages), which 404s a review out of the person's scope. A form
is handed to its service with `submit` (the core `apply_service`, with the form's cleaned data as the
service's remaining arguments); a button with no form uses `refuse`.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casereview.core.forms import apply_service
from casereview.lib.dates import today

from .. import selectors
from ..models import Review
from ..permissions import can_approve_for_board, can_manage_reviews, can_quality_assure, can_write_findings

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


def submit(form, service: Callable, /, **known):
    """`apply_service` for a form whose cleaned data are the rest of the service's arguments."""
    return apply_service(form, lambda **kwargs: service(**kwargs, **form.cleaned_data), **known)


def posts_allowed_if(predicate: Callable[[object], bool]):
    """A page everyone in scope may read, whose form only `predicate` may send (the role check of a POST)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _report_reader(user, review) -> bool:
    return can_write_findings(user, review) or can_quality_assure(user) or can_approve_for_board(user)


def _page(request, review: Review, template: str, section: str, context: dict) -> HttpResponse:
    user = request.user
    context.update({
        "review": review, "section": section, "sections": SECTIONS, "today": today(),
        "can_manage": can_manage_reviews(user), "can_write": can_write_findings(user, review),
        "can_read_report": _report_reader(user, review), "status_tag": STATUS_TAGS.get(review.status, "blue"),
    })
    return render(request, template, context)


STATUS_TAGS = {Review.Status.PUBLISHED: "green", Review.Status.NOT_PUBLISHED: "grey"}


# --- Kept for the report and publication modules until they move to the idiom above --------------------------
def _manage(user, review) -> bool:
    return can_manage_reviews(user)


def _write(user, review) -> bool:
    return can_write_findings(user, review)


def _get_review(request: HttpRequest, review_id: int, may: Callable | None = None) -> Review:
    review = selectors.review_get_for_user(request.user, review_id)
    if may is not None and not may(request.user, review):
        raise PermissionDenied
    return review


def _apply(form, call) -> bool:
    ok, _ = apply_service(form, lambda: call(form.cleaned_data))
    return ok
