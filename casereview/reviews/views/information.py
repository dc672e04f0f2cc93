"""Agency information: requests and returns."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import services
from ..models import AgencyRequest
from ..permissions import can_manage_reviews
from .base import _apply, _get_review, _manage, _page


def _requests_page(request, review, form=None, return_form=None, return_id=None) -> HttpResponse:
    today = timezone.localdate()
    from casereview.lib.clocks import clock_status

    rows = [(r, clock_status(r.due_on, today, met_on=r.returned_on))
            for r in review.agency_requests.select_related("agency")]
    editable = can_manage_reviews(request.user)
    return _page(request, review, "reviews/requests.html", "requests", {
        "rows": rows, "form": (form or f.AgencyRequestForm(review=review)) if editable else None,
        "return_form": return_form or f.AgencyReturnForm(prefix="ret"), "return_id": return_id,
        "forms": [x for x in (return_form,) if x is not None]})


@login_required
def requests(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    if request.method == "POST":
        if not can_manage_reviews(request.user):
            raise PermissionDenied
        form = f.AgencyRequestForm(request.POST, review=review)
        if _apply(form, lambda d: services.agency_request_add(by=request.user, review=review, **d)):
            messages.success(request, f"Request to {form.cleaned_data['agency']} recorded")
            return redirect("reviews:requests", review_id=review.pk)
        return _requests_page(request, review, form=form)
    return _requests_page(request, review)


@login_required
@require_POST
def request_returned(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    agency_request = get_object_or_404(AgencyRequest, pk=request_id, review=review)
    form = f.AgencyReturnForm(request.POST, prefix="ret")
    if _apply(form, lambda d: services.agency_request_returned(by=request.user, request=agency_request, **d)):
        messages.success(request, f"Return from {agency_request.agency} recorded")
        return redirect("reviews:requests", review_id=review.pk)
    return _requests_page(request, review, return_form=form, return_id=agency_request.pk)


