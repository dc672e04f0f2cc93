"""Terms of reference, stages and parallel processes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.forms import refuse
from casereview.lib.dates import today

from .. import forms as f
from .. import selectors, services
from ..models import Milestone, ParallelProcess
from ..permissions import can_manage_reviews, can_use_reviews
from .base import _page, posts_allowed_if, submit

BACK_TO_SETUP = ("reviews:setup", "Terms of reference")


@allowed_if(can_use_reviews)
@posts_allowed_if(can_manage_reviews)
def setup(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    initial = {"title": review.title, "type": review.type, "methodology": review.methodology,
               "period_start": review.period_start, "period_end": review.period_end, "questions": review.questions,
               "agencies_in_scope": list(review.agencies_in_scope.all()), "target_on": review.target_on,
               "proportionality_rationale": review.proportionality_rationale, "version": review.version}
    form = f.SetupForm(request.POST or None, initial=initial, review=review) \
        if can_manage_reviews(request.user) else None
    if request.method == "POST":
        ok, _ = submit(form, services.review_update_setup, by=request.user, review=review)
        if ok:
            messages.success(request, "Terms of reference saved")
            return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/setup.html", "setup", {
        "form": form, "parallel": review.parallel_processes.select_related("updated_by"),
        "agencies": review.agencies_in_scope.all(), "timescale": selectors.review_timescale(review, today())})


@allowed_if(can_manage_reviews)
def parallel(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = f.ParallelProcessForm(request.POST or None)
    if request.method == "POST":
        ok, _ = submit(form, services.parallel_process_save, by=request.user, review=review)
        if ok:
            messages.success(request, "Parallel process recorded")
            return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": "Add a parallel process", "button": "Save", "back": BACK_TO_SETUP})


@allowed_if(can_manage_reviews)
def parallel_edit(request: HttpRequest, review_id: int, process_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    process = get_object_or_404(ParallelProcess, pk=process_id, review=review)
    initial = {"kind": process.kind, "detail": process.detail, "status": process.status,
               "status_on": process.status_on, "version": process.version}
    form = f.ParallelProcessForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, _ = submit(form, services.parallel_process_save, by=request.user, review=review, process=process)
        if ok:
            messages.success(request, "Parallel process updated")
            return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": f"Update: {process.get_kind_display()}", "button": "Save", "back": BACK_TO_SETUP})


@allowed_if(can_use_reviews)
@posts_allowed_if(can_manage_reviews)
def stages(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = f.MilestoneForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        ok, _ = submit(form, services.milestone_save, by=request.user, review=review)
        if ok:
            messages.success(request, "Stage added")
            return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/stages.html", "stages", {
        "form": form, "stages": selectors.stage_rows(review, today()),
        "timescale": selectors.review_timescale(review, today())})


@allowed_if(can_manage_reviews)
def stage_edit(request: HttpRequest, review_id: int, milestone_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    milestone = get_object_or_404(Milestone, pk=milestone_id, review=review)
    initial = {"name": milestone.name, "due_on": milestone.due_on, "completed_on": milestone.completed_on,
               "owner": milestone.owner, "notes": milestone.notes, "version": milestone.version}
    form = f.MilestoneForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST":
        ok, saved = submit(form, services.milestone_save, by=request.user, review=review, milestone=milestone)
        if ok:
            messages.success(request, f"Stage \u201c{saved.name}\u201d saved")
            return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "stages", {
        "form": form, "heading": "Change a stage", "button": "Save", "back": ("reviews:stages", "Stages")})


@allowed_if(can_manage_reviews)
@require_POST
def stages_template(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    try:
        created = services.stages_apply_template(by=request.user, review=review)
    except services.ReviewError as error:
        refuse(request, error)
    else:
        messages.success(request, f"{len(created)} stages of the {review.get_methodology_display()} added")
    return redirect("reviews:stages", review_id=review.pk)
