"""Terms of reference, stages and parallel processes."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import selectors, services
from ..models import (
    Milestone,
    ParallelProcess,
)
from ..permissions import can_manage_reviews
from .base import _apply, _get_review, _manage, _page


@login_required
def setup(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    editable = can_manage_reviews(request.user)
    initial = {"title": review.title, "type": review.type, "methodology": review.methodology,
               "period_start": review.period_start, "period_end": review.period_end, "questions": review.questions,
               "agencies_in_scope": list(review.agencies_in_scope.all()),
               "proportionality_rationale": review.proportionality_rationale}
    form = f.SetupForm(request.POST or None, initial=initial, review=review) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if _apply(form, lambda d: services.review_update_setup(by=request.user, review=review, **d)):
            messages.success(request, "Terms of reference saved")
            return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/setup.html", "setup", {
        "form": form, "parallel": review.parallel_processes.select_related("updated_by"),
        "agencies": review.agencies_in_scope.all()})


@login_required
def parallel(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.ParallelProcessForm(request.POST or None)
    if request.method == "POST" and _apply(
            form, lambda d: services.parallel_process_save(by=request.user, review=review, **d)):
        messages.success(request, "Parallel process recorded")
        return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": "Add a parallel process", "button": "Save",
        "back": ("reviews:setup", "Terms of reference")})


@login_required
def parallel_edit(request: HttpRequest, review_id: int, process_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    process = get_object_or_404(ParallelProcess, pk=process_id, review=review)
    initial = {"kind": process.kind, "detail": process.detail, "status": process.status,
               "status_on": process.status_on}
    form = f.ParallelProcessForm(request.POST or None, initial=initial)
    if request.method == "POST" and _apply(
            form, lambda d: services.parallel_process_save(by=request.user, review=review, process=process, **d)):
        messages.success(request, "Parallel process updated")
        return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": f"Update: {process.get_kind_display()}", "button": "Save",
        "back": ("reviews:setup", "Terms of reference")})


@login_required
def stages(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.MilestoneForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.milestone_save(by=request.user, review=review, **d)):
            messages.success(request, "Stage added")
            return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/stages.html", "stages", {
        "form": form, "milestones": review.milestones.select_related("owner"),
        "timescale": selectors.review_timescale(review, timezone.localdate())})


@login_required
def stage_edit(request: HttpRequest, review_id: int, milestone_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    milestone = get_object_or_404(Milestone, pk=milestone_id, review=review)
    initial = {"name": milestone.name, "due_on": milestone.due_on, "completed_on": milestone.completed_on,
               "owner": milestone.owner, "notes": milestone.notes}
    form = f.MilestoneForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and _apply(
            form, lambda d: services.milestone_save(by=request.user, review=review, milestone=milestone, **d)):
        messages.success(request, f"Stage \u201c{milestone.name}\u201d saved")
        return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "stages", {
        "form": form, "heading": "Change a stage", "button": "Save", "back": ("reviews:stages", "Stages")})


@login_required
@require_POST
def stages_template(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        created = services.stages_apply_template(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(created)} stages of the {review.get_methodology_display()} added")
    return redirect("reviews:stages", review_id=review.pk)


