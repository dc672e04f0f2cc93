"""The list of reviews, opening one, and a review's overview."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import selectors, services
from ..models import ReviewMember
from ..permissions import can_manage_reviews
from .base import _apply, _get_review, _manage, _page


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = selectors.reviews_visible_to(request.user).prefetch_related("extensions", "pauses")
    rows = [(review, selectors.review_timescale(review, today)) for review in reviews]
    return render(request, "reviews/list.html", {
        "rows": rows, "can_manage": can_manage_reviews(request.user),
        "consultations": selectors.consultations_for(request.user),
    })


@login_required
def review_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_reviews(request.user):
        raise PermissionDenied
    form = f.ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        created = {}

        def call(data):
            created["review"] = services.review_initiate(
                by=request.user, case=data["case"], type=data["type"], initiated_on=data["initiated_on"],
                title=data["title"], reference=data["reference"], methodology=data["methodology"])

        if _apply(form, call):
            messages.success(request, f"Review {created['review'].reference} set up")
            return redirect("reviews:setup", review_id=created["review"].pk)
    return render(request, "reviews/create.html", {"form": form})


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    services.review_viewed(by=request.user, review=review, page="overview")
    today = timezone.localdate()
    return _page(request, review, "reviews/detail.html", "detail", {
        "timescale": selectors.review_timescale(review, today),
        "milestones": review.milestones.select_related("owner"),
        "leads": review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True)
        .select_related("user"),
        "parallel": review.parallel_processes.all(),
        "requests_open": review.agency_requests.filter(returned_on__isnull=True).count(),
        "requests_total": review.agency_requests.count(),
        "findings_count": review.findings.count(),
        "version": selectors.latest_version(review),
    })


@login_required
@require_POST
def start_analysis(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        services.review_start_analysis(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The review has moved to information gathering and analysis")
    return redirect("reviews:detail", review_id=review.pk)


