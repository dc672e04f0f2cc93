"""Findings and recommendations."""

from django.db import transaction
from django.db.models import Max

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version

from .. import hooks
from ..models import Finding, InterimPoint, Recommendation, Review
from .base import ReviewError, lock_review


def chronology_entries_for_refs(review: Review, refs_text: str) -> list:
    """The review's chronology entries named by event reference ("POL-004, CSC-012"); unknown ones refused."""
    refs = [r.strip() for r in refs_text.replace(";", ",").replace("\n", ",").split(",") if r.strip()]
    entries, missing = hooks.evidence_entries(review, refs)
    if missing:
        raise ReviewError(f"No chronology entry {', '.join(missing)} in this review's chronologies: check the "
                          "event reference", "chronology_refs")
    return entries


def finding_save(*, by, review: Review, finding: Finding | None = None, version: int | None = None, kind: str,
                 title: str, narrative: str, evidence: str = "", themes=(), system_pattern: str = "",
                 contributory_factors: str = "", interim_points=(), chronology_refs: str = "") -> Finding:
    if not title.strip():
        raise ReviewError("Enter the finding's title", "title")
    if not narrative.strip():
        raise ReviewError("Describe the finding: what happened, and why", "narrative")
    entries = chronology_entries_for_refs(review, chronology_refs)
    themes = list(themes)
    if any(t.board_id != review.board_id for t in themes):
        raise ReviewError("Choose themes from this board's typology", "themes")
    points = list(interim_points)
    if any(p.review_id != review.pk for p in points):
        raise ReviewError("Choose interim points of this review", "interim_points")
    with transaction.atomic():
        lock_review(review)
        if finding is None:
            top = review.findings.aggregate(top=Max("number"))["top"] or 0
            finding = Finding(review=review, number=top + 1, created_by=by)
        else:
            claim_version(finding, version, "finding")
        finding.kind, finding.title, finding.narrative = kind, title.strip(), narrative.strip()
        finding.evidence, finding.system_pattern = evidence.strip(), system_pattern
        finding.contributory_factors = contributory_factors.strip()
        finding.save()
        finding.themes.set(themes)
        finding.chronology_entries.set(entries)
        review.interim_points.filter(finding=finding).exclude(pk__in=[p.pk for p in points]).update(finding=None)
        InterimPoint.objects.filter(pk__in=[p.pk for p in points]).update(finding=finding)
        audit_record(by=by, action="review.finding_saved", obj=review,
                     detail={"finding": finding.number, "kind": kind,
                             "chronology_entries": [e.event_ref for e in entries]})
        # Learning the board has seen before raises "why was it not sustained?" straight away (learning's hook).
        hooks.finding_saved(by=by, finding=finding)
    return finding


def recommendation_save(*, by, review: Review, recommendation: Recommendation | None = None,
                        version: int | None = None, text: str, level: str, findings,
                        target_agencies) -> Recommendation:
    findings, agencies = list(findings), list(target_agencies)
    if not text.strip():
        raise ReviewError("Enter the recommendation", "text")
    if not findings:
        raise ReviewError("Choose the finding or findings this recommendation answers", "findings")
    if any(f.review_id != review.pk for f in findings):
        raise ReviewError("Choose findings of this review", "findings")
    if any(a.board_id != review.board_id for a in agencies):
        raise ReviewError("Choose agencies of this board", "target_agencies")
    if level == Recommendation.Level.SINGLE_AGENCY and len(agencies) != 1:
        raise ReviewError("A single-agency recommendation is for exactly one agency: choose one", "target_agencies")
    with transaction.atomic():
        lock_review(review)
        if recommendation is None:
            top = review.recommendations.aggregate(top=Max("number"))["top"] or 0
            recommendation = Recommendation(review=review, number=top + 1)
        else:
            claim_version(recommendation, version, "recommendation")
        recommendation.text, recommendation.level = text.strip(), level
        recommendation.save()
        recommendation.findings.set(findings)
        recommendation.target_agencies.set(agencies)
        audit_record(by=by, action="review.recommendation_saved", obj=review,
                     detail={"recommendation": recommendation.number, "level": level})
    return recommendation
