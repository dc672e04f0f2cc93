"""What every reviews page shares: the sections, the guards and the page frame.

The guard idiom: `@allowed_if(<role predicate>)` on the view, then `selectors.review_get_for_user` (or
`review_get_for_writer` for the lead reviewers' pages), which 404s a review out of the person's scope. A form
is handed to its service with `submit` (the core `apply_service`, with the form's cleaned data as the
service's remaining arguments); a button with no form uses `refuse`.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from casereview.core.forms import apply_service
from casereview.lib.dates import today

from ..models import Review
from ..permissions import (
    can_approve_for_board,
    can_manage_reviews,
    can_quality_assure,
    can_write_findings,
    may_write_reviews,
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


# The role checks of the report pages (`allowed_if`); `selectors.review_get_for_report` then limits the scope.
def may_read_reports(user) -> bool:
    """The report is read by those who write it, the SCR Committee and the Independent Chair."""
    return may_write_reviews(user) or can_quality_assure(user) or can_approve_for_board(user)


def may_check_reports(user) -> bool:
    """The quality checklist is kept by those who write the report and by the SCR Committee."""
    return may_write_reviews(user) or can_quality_assure(user)


def may_accept_hits(user) -> bool:
    """Accepting that something identifying may be published: the Business Manager or the Chair."""
    return can_manage_reviews(user) or can_approve_for_board(user)


def may_return_reports(user) -> bool:
    """A report in quality assurance goes back to the lead reviewers from the SCR Committee or the Chair."""
    return can_quality_assure(user) or can_approve_for_board(user)


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
