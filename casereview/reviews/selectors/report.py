"""The publication safety check of a report version, and the latest version."""

from dataclasses import dataclass

from casereview.cases.selectors import case_known_identifiers
from casereview.lib.identifiers import Hit, KnownIdentifier, apply_acceptances, scan

from ..models import ReportVersion, Review


@dataclass(frozen=True)
class CheckResult:
    open_hits: list[Hit]
    accepted_hits: list[tuple[Hit, object]]  # (hit, its HitAcceptance)

    @property
    def clear(self) -> bool:
        return not self.open_hits


def version_check(version: ReportVersion, known: list[KnownIdentifier] | None = None) -> CheckResult:
    """The publication safety check of one version: hits not yet accepted block publication."""
    review = version.review
    if known is None:
        known = case_known_identifiers(review.case)
    hits = scan(version.text, known)
    acceptances = {a.fingerprint: a for a in review.hit_acceptances.all()}
    open_hits, accepted = apply_acceptances(hits, acceptances)
    return CheckResult(open_hits, [(hit, acceptances[hit.fingerprint]) for hit in accepted])


def latest_version(review: Review) -> ReportVersion | None:
    return review.report_versions.order_by("-number").first()

