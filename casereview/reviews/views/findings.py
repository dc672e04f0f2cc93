"""Findings and recommendations."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from .. import forms as f
from .. import services
from ..models import (
    Finding,
    Recommendation,
)
from .base import _apply, _get_review, _page, _write


@login_required
def findings(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
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
            "interim_points": list(finding.interim_points.all()),
            "chronology_refs": ", ".join(e.event_ref for e in finding.chronology_entries.all())}


@login_required
def finding_edit(request: HttpRequest, review_id: int, finding_id: int | None = None) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    finding = get_object_or_404(Finding, pk=finding_id, review=review) if finding_id else None
    form = f.FindingForm(request.POST or None, initial=_finding_initial(finding) if finding else None,
                         review=review)
    if request.method == "POST":
        def call(d):
            d.setdefault("interim_points", [])
            services.finding_save(by=request.user, review=review, finding=finding, **d)

        if _apply(form, call):
            messages.success(request, "Finding saved")
            return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "findings", {
        "form": form, "heading": f"Finding {finding.number}" if finding else "Add a finding", "button": "Save",
        "back": ("reviews:findings", "Findings")})


@login_required
def recommendation_edit(request: HttpRequest, review_id: int, recommendation_id: int | None = None) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    rec = get_object_or_404(Recommendation, pk=recommendation_id, review=review) if recommendation_id else None
    initial = {"text": rec.text, "level": rec.level, "findings": list(rec.findings.all()),
               "target_agencies": list(rec.target_agencies.all())} if rec else None
    form = f.RecommendationForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and _apply(
            form, lambda d: services.recommendation_save(by=request.user, review=review, recommendation=rec, **d)):
        messages.success(request, "Recommendation saved")
        return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "findings", {
        "form": form, "heading": f"Recommendation {rec.number}" if rec else "Add a recommendation",
        "button": "Save", "back": ("reviews:findings", "Findings")})


