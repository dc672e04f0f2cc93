"""The timescale page: extensions, pauses and interim points."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.lib.dates import today

from .. import forms as f
from .. import selectors, services
from ..models import Extension, Review
from ..permissions import can_decide_extension, can_manage_reviews, can_use_reviews, may_write_reviews
from .base import _page, submit


def _timescale_page(request, review: Review, **bound) -> HttpResponse:
    timescale = selectors.review_timescale(review, today())
    context = {
        "timescale": timescale,
        "actions": selectors.review_actions(request.user, review, timescale),
        "extensions": review.extensions.select_related("requested_by", "decided_by"),
        "pauses": review.pauses.all(),
        "points": review.interim_points.select_related("agency", "finding", "pause"),
        "extension_form": bound.get("extension_form") or f.ExtensionForm(prefix="ext"),
        "decision_form": bound.get("decision_form") or f.ExtensionDecisionForm(prefix="dec"),
        "pause_form": bound.get("pause_form") or f.PauseStartForm(prefix="pause"),
        "resume_form": bound.get("resume_form") or f.PauseEndForm(prefix="resume"),
        "point_form": bound.get("point_form") or f.InterimPointForm(prefix="point", review=review),
        "forms": list(bound.values()),
    }
    return _page(request, review, "reviews/timescale.html", "timescale", context)


@allowed_if(can_use_reviews)
def timescale(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    return _timescale_page(request, review)


@allowed_if(can_manage_reviews)
@require_POST
def extension_request(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = f.ExtensionForm(request.POST, prefix="ext")
    ok, _ = submit(form, services.extension_request, by=request.user, review=review)
    if ok:
        messages.success(request, "Extension requested: the Independent Chair will decide")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, extension_form=form)


@allowed_if(can_decide_extension)
@require_POST
def extension_decide(request: HttpRequest, review_id: int, extension_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    extension = get_object_or_404(Extension, pk=extension_id, review=review)
    form = f.ExtensionDecisionForm(request.POST, prefix="dec")
    ok, decided = submit(form, services.extension_decide, by=request.user, extension=extension)
    if ok:
        messages.success(request, f"Extension {decided.get_decision_display().lower()}")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, decision_form=form)


@allowed_if(can_manage_reviews)
@require_POST
def pause_start(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = f.PauseStartForm(request.POST, prefix="pause")
    ok, _ = submit(form, services.pause_start, by=request.user, review=review)
    if ok:
        messages.success(request, "Review paused for court proceedings. Record improvement points and corrective "
                                  "actions while it is paused")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, pause_form=form)


@allowed_if(can_manage_reviews)
@require_POST
def pause_end(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    pause = review.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise Http404("The review is not paused")
    form = f.PauseEndForm(request.POST, prefix="resume")
    ok, _ = submit(form, services.pause_end, by=request.user, pause=pause)
    if ok:
        messages.success(request, "Review resumed. Interim points are carried forward to the findings")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, resume_form=form)


@allowed_if(may_write_reviews)
@require_POST
def interim_add(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    form = f.InterimPointForm(request.POST, prefix="point", review=review)
    ok, _ = submit(form, services.interim_point_add, by=request.user, review=review)
    if ok:
        messages.success(request, "Recorded")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, point_form=form)
