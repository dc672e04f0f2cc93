"""The timescale page: extensions, pauses and interim points."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import selectors, services
from ..models import (
    Extension,
    Review,
)
from ..permissions import can_decide_extension
from .base import _apply, _get_review, _manage, _page, _write


def _timescale_page(request, review: Review, **bound) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "timescale": selectors.review_timescale(review, today),
        "extensions": review.extensions.select_related("requested_by", "decided_by"),
        "pauses": review.pauses.all(),
        "points": review.interim_points.select_related("agency", "finding", "pause"),
        "can_decide": can_decide_extension(request.user),
        "extension_form": bound.get("extension_form") or f.ExtensionForm(prefix="ext"),
        "decision_form": bound.get("decision_form") or f.ExtensionDecisionForm(prefix="dec"),
        "pause_form": bound.get("pause_form") or f.PauseStartForm(prefix="pause"),
        "resume_form": bound.get("resume_form") or f.PauseEndForm(prefix="resume"),
        "point_form": bound.get("point_form") or f.InterimPointForm(prefix="point", review=review),
        "forms": [form for form in bound.values()],
    }
    return _page(request, review, "reviews/timescale.html", "timescale", context)


@login_required
def timescale(request: HttpRequest, review_id: int) -> HttpResponse:
    return _timescale_page(request, _get_review(request, review_id))


@login_required
@require_POST
def extension_request(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.ExtensionForm(request.POST, prefix="ext")
    if _apply(form, lambda d: services.extension_request(by=request.user, review=review, **d)):
        messages.success(request, "Extension requested: the Independent Chair will decide")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, extension_form=form)


@login_required
@require_POST
def extension_decide(request: HttpRequest, review_id: int, extension_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_decide_extension(u))
    extension = get_object_or_404(Extension, pk=extension_id, review=review)
    form = f.ExtensionDecisionForm(request.POST, prefix="dec")

    def call(d):
        services.extension_decide(by=request.user, extension=extension, approve=d["decision"] == "approve",
                                  note=d["note"])

    if _apply(form, call):
        messages.success(request, f"Extension {extension.get_decision_display().lower()}")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, decision_form=form)


@login_required
@require_POST
def pause_start(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.PauseStartForm(request.POST, prefix="pause")
    if _apply(form, lambda d: services.pause_start(by=request.user, review=review, **d)):
        messages.success(request, "Review paused for court proceedings. Record improvement points and corrective "
                                  "actions while it is paused")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, pause_form=form)


@login_required
@require_POST
def pause_end(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    pause = review.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise Http404("The review is not paused")
    form = f.PauseEndForm(request.POST, prefix="resume")
    if _apply(form, lambda d: services.pause_end(by=request.user, pause=pause, **d)):
        messages.success(request, "Review resumed. Interim points are carried forward to the findings")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, resume_form=form)


@login_required
@require_POST
def interim_add(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    form = f.InterimPointForm(request.POST, prefix="point", review=review)
    if _apply(form, lambda d: services.interim_point_add(by=request.user, review=review, **d)):
        messages.success(request, "Recorded")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, point_form=form)


