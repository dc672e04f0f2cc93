"""The list of reviews, opening one, and a review's overview."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.forms import refuse
from casereview.lib.dates import today

from .. import forms as f
from .. import selectors, services
from ..permissions import can_manage_reviews, can_use_reviews
from .base import _page, submit


@allowed_if(can_use_reviews)
def review_list(request: HttpRequest) -> HttpResponse:
    now = today()
    reviews = selectors.reviews_visible_to(request.user).prefetch_related("extensions", "pauses")
    rows = [(review, selectors.review_timescale(review, now)) for review in reviews]
    return render(request, "reviews/list.html", {
        "rows": rows, "can_manage": can_manage_reviews(request.user),
        "consultations": selectors.consultations_for(request.user),
    })


@allowed_if(can_manage_reviews)
def review_create(request: HttpRequest) -> HttpResponse:
    form = f.ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        ok, review = submit(form, services.review_initiate, by=request.user)
        if ok:
            messages.success(request, f"Review {review.reference} set up")
            return redirect("reviews:setup", review_id=review.pk)
    return render(request, "reviews/create.html", {"form": form})


@allowed_if(can_use_reviews)
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    timescale = selectors.review_timescale(review, today())
    return _page(request, review, "reviews/detail.html", "detail", {
        "timescale": timescale,
        "actions": selectors.review_actions(request.user, review, timescale),
        "stages": selectors.stage_rows(review, today()),
        "leads": selectors.review_lead_reviewers(review),
        "parallel": review.parallel_processes.all(),
        "requests_open": review.agency_requests.filter(returned_on__isnull=True).count(),
        "requests_total": review.agency_requests.count(),
        "findings_count": review.findings.count(),
        "version": selectors.latest_version(review),
    })


@allowed_if(can_manage_reviews)
@require_POST
def start_analysis(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    try:
        services.review_start_analysis(by=request.user, review=review)
    except services.ReviewError as error:
        refuse(request, error)
    else:
        messages.success(request, "The review has moved to information gathering and analysis")
    return redirect("reviews:detail", review_id=review.pk)
