"""Agency information: requests and returns."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.lib.dates import today

from .. import forms as f
from .. import selectors, services
from ..models import AgencyRequest
from ..permissions import can_manage_reviews, can_use_reviews
from .base import _page, posts_allowed_if, submit


def _requests_page(request, review, form=None, return_form=None, return_id=None) -> HttpResponse:
    rows = selectors.agency_request_rows(review, today())
    editable = can_manage_reviews(request.user)
    return _page(request, review, "reviews/requests.html", "requests", {
        "rows": rows, "form": (form or f.AgencyRequestForm(review=review)) if editable else None,
        "return_form": return_form or f.AgencyReturnForm(prefix="ret"), "return_id": return_id,
        "forms": [x for x in (return_form,) if x is not None]})


@allowed_if(can_use_reviews)
@posts_allowed_if(can_manage_reviews)
def requests(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    if request.method == "POST":
        form = f.AgencyRequestForm(request.POST, review=review)
        ok, sent = submit(form, services.agency_request_add, by=request.user, review=review)
        if ok:
            messages.success(request, f"Request to {sent.agency} recorded")
            return redirect("reviews:requests", review_id=review.pk)
        return _requests_page(request, review, form=form)
    return _requests_page(request, review)


@allowed_if(can_manage_reviews)
@require_POST
def request_returned(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    agency_request = get_object_or_404(AgencyRequest, pk=request_id, review=review)
    form = f.AgencyReturnForm(request.POST, prefix="ret")
    ok, _ = submit(form, services.agency_request_returned, by=request.user, request=agency_request)
    if ok:
        messages.success(request, f"Return from {agency_request.agency} recorded")
        return redirect("reviews:requests", review_id=review.pk)
    return _requests_page(request, review, return_form=form, return_id=agency_request.pk)
