"""The publication safety check of a report version, and the latest version."""

import hashlib
from dataclasses import asdict, dataclass

from casereview.cases.selectors import case_known_identifiers
from casereview.lib.identifiers import Hit, KnownIdentifier, apply_acceptances, scan

from ..models import ReportVersion, Review, VersionCheck
from ..permissions import (
    can_accept_hits,
    can_approve_for_board,
    can_quality_assure,
    can_write_findings,
)


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


@dataclass(frozen=True)
class ReportActions:
    """What a person may do on a review's report pages right now: the pages offer exactly these."""

    add_version: bool
    submit_for_qa: bool
    in_quality_assurance: bool  # the report is with the SCR Committee (said on the page, not an action)
    approve: bool
    return_to_lead_reviewers: bool
    # On one version's page (False on the report page, where no version is open).
    accept_hits: bool = False
    edit_checklist: bool = False
    qa_sign_off: bool = False


def report_actions(user, review: Review, version: ReportVersion | None = None,
                   latest: ReportVersion | None = None) -> ReportActions:
    """The report page's actions, and a version's when `version` is given (`latest` saves a query)."""
    status = review.status
    write = can_write_findings(user, review)
    qa, chair = can_quality_assure(user), can_approve_for_board(user)
    in_qa = status == Review.Status.REPORT_QA
    latest = latest if latest is not None else latest_version(review)
    on_version = {}
    if version is not None:
        on_version = {
            "accept_hits": can_accept_hits(user, review),
            "edit_checklist": (write or qa) and not version.qa_signed_off_at,
            "qa_sign_off": qa and in_qa and version == latest and not version.qa_signed_off_at,
        }
    return ReportActions(
        add_version=write and status in (Review.Status.ANALYSIS, Review.Status.REPORT_QA),
        submit_for_qa=write and status == Review.Status.ANALYSIS and latest is not None,
        in_quality_assurance=in_qa,
        approve=chair and in_qa and latest is not None,
        return_to_lead_reviewers=(qa or chair) and in_qa,
        **on_version,
    )

