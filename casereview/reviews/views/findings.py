"""Findings and recommendations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from casereview.core.access import allowed_if

from .. import forms as f
from .. import selectors, services
from ..models import Finding, Recommendation
from ..permissions import can_use_reviews, may_write_reviews
from .base import _page, submit

BACK_TO_FINDINGS = ("reviews:findings", "Findings")


@allowed_if(can_use_reviews)
def findings(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    return _page(request, review, "reviews/findings.html", "findings", {
        "findings": review.findings.prefetch_related("themes", "comments__member__user", "interim_points",
                                                     "chronology_entries"),
        "recommendations": review.recommendations.prefetch_related("findings", "target_agencies"),
        "points": review.interim_points.filter(finding__isnull=True).select_related("agency"),
        "case_group_size": review.case_group.count()})


def _finding_initial(finding: Finding) -> dict:
    return {"kind": finding.kind, "title": finding.title, "narrative": finding.narrative,
            "evidence": finding.evidence, "themes": list(finding.themes.all()),
            "system_pattern": finding.system_pattern, "contributory_factors": finding.contributory_factors,
            "interim_points": list(finding.interim_points.all()), "version": finding.version,
            "chronology_refs": ", ".join(e.event_ref for e in finding.chronology_entries.all())}


@allowed_if(may_write_reviews)
def finding_edit(request: HttpRequest, review_id: int, finding_id: int | None = None) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    finding = get_object_or_404(Finding, pk=finding_id, review=review) if finding_id else None
    form = f.FindingForm(request.POST or None, initial=_finding_initial(finding) if finding else None,
                         review=review)
    if request.method == "POST":
        ok, _ = submit(form, services.finding_save, by=request.user, review=review, finding=finding)
        if ok:
            messages.success(request, "Finding saved")
            return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "findings", {
        "form": form, "heading": f"Finding {finding.number}" if finding else "Add a finding", "button": "Save",
        "back": BACK_TO_FINDINGS})


@allowed_if(may_write_reviews)
def recommendation_edit(request: HttpRequest, review_id: int, recommendation_id: int | None = None) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    rec = get_object_or_404(Recommendation, pk=recommendation_id, review=review) if recommendation_id else None
    initial = {"text": rec.text, "level": rec.level, "findings": list(rec.findings.all()), "version": rec.version,
               "target_agencies": list(rec.target_agencies.all())} if rec else None
    form = f.RecommendationForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST":
        ok, _ = submit(form, services.recommendation_save, by=request.user, review=review, recommendation=rec)
        if ok:
            messages.success(request, "Recommendation saved")
            return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "findings", {
        "form": form, "heading": f"Recommendation {rec.number}" if rec else "Add a recommendation",
        "button": "Save", "back": BACK_TO_FINDINGS})
