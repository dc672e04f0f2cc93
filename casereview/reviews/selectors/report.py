"""The publication safety check of a report version, and the latest version."""

import hashlib
from dataclasses import asdict, dataclass

from casereview.cases.selectors import case_known_identifiers
from casereview.lib.identifiers import Hit, KnownIdentifier, apply_acceptances, scan

from ..models import ReportVersion, Review, VersionCheck


@dataclass(frozen=True)
class CheckResult:
    open_hits: list[Hit]
    accepted_hits: list[tuple[Hit, object]]  # (hit, its HitAcceptance)

    @property
    def clear(self) -> bool:
        return not self.open_hits


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def known_digest(known: list[KnownIdentifier]) -> str:
    return _digest("\n".join(sorted(f"{k.kind}\t{k.person_label}\t{k.value}" for k in known)))


def stored_hits(version: ReportVersion, text: str, known: list[KnownIdentifier],
                subject: str = VersionCheck.Subject.VERSION) -> list[Hit]:
    """The check's hits on `text`, scanned once and stored: a page view reads the stored result, and the
    text is only scanned again when it or what is recorded about the case's people has changed."""
    text_digest, people_digest = _digest(text), known_digest(known)
    record = VersionCheck.objects.filter(version=version, subject=subject).first()
    if record is not None and (record.text_digest, record.known_digest) == (text_digest, people_digest):
        return [Hit(**hit) for hit in record.hits]
    hits = scan(text, known)
    VersionCheck.objects.update_or_create(
        version=version, subject=subject,
        defaults={"text_digest": text_digest, "known_digest": people_digest, "hits": [asdict(h) for h in hits]})
    return hits


def check_result(review: Review, hits: list[Hit]) -> CheckResult:
    acceptances = {a.fingerprint: a for a in review.hit_acceptances.all()}
    open_hits, accepted = apply_acceptances(hits, acceptances)
    return CheckResult(open_hits, [(hit, acceptances[hit.fingerprint]) for hit in accepted])


def version_check(version: ReportVersion, known: list[KnownIdentifier] | None = None) -> CheckResult:
    """The publication safety check of one version: hits not yet accepted block publication."""
    review = version.review
    if known is None:
        known = case_known_identifiers(review.case)
    return check_result(review, stored_hits(version, version.text, known))


def public_pdf_check(version: ReportVersion) -> CheckResult | None:
    """The stored check of the public PDF made from this version, if one has been made."""
    record = VersionCheck.objects.filter(version=version, subject=VersionCheck.Subject.PUBLIC_PDF).first()
    if record is None:
        return None
    return check_result(version.review, [Hit(**hit) for hit in record.hits])


def latest_version(review: Review) -> ReportVersion | None:
    return review.report_versions.order_by("-number").first()

