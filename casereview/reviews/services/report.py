"""Report versions, the quality checklist, quality assurance and the board's approval."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version
from casereview.core.links import absolute_url
from casereview.lib.documents import DocumentError, detect_document_type, extract_text
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import User
from casereview.partnership.roles import QUALITY_ASSURANCE_ROLES, Role

from .. import selectors
from ..models import (
    Finding,
    HitAcceptance,
    ReportVersion,
    Review,
)
from .base import ReviewError, _move, local_day, lock_unchanged, recorded_after, when_done


def _next_version_number(review: Review) -> int:
    return (review.report_versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _editable_report(review: Review) -> None:
    if review.status not in (Review.Status.ANALYSIS, Review.Status.REPORT_QA):
        raise ReviewError(f"A new report version can be added while the review is in analysis or quality "
                          f"assurance; it is {review.get_status_display().lower()}")


@dataclass(frozen=True)
class ReportNeed:
    """Something the review still needs before its report can be written, and the page where it is done."""

    text: str
    url_name: str
    link_text: str


def report_needs(review: Review) -> list[ReportNeed]:
    """What the Report tab asks for before a report is written from the template: the terms of reference
    (questions, period, agencies, methodology) and at least one finding. An empty list means it is ready."""
    needs = []
    if review.status == Review.Status.INITIATED:
        needs.append(ReportNeed("The review is still being set up: the report is written once information "
                                "gathering and analysis has started", "reviews:detail", "Go to the review"))
    setup = "reviews:setup", "Complete the terms of reference"
    if not review.questions.strip():
        needs.append(ReportNeed("The terms of reference have no questions for the review to answer", *setup))
    if not (review.period_start and review.period_end):
        needs.append(ReportNeed("The terms of reference do not give the period the review covers", *setup))
    if not review.agencies_in_scope.exists():
        needs.append(ReportNeed("No agencies are in the review's scope yet", *setup))
    if not review.methodology:
        needs.append(ReportNeed("The methodology has not been chosen", *setup))
    if not review.findings.exists():
        needs.append(ReportNeed("No findings have been recorded yet: the report sets out the review's findings",
                                "reviews:findings", "Record findings"))
    return needs


PROMPT_WHY = "[Describe why the review was held and who took part.]"
PROMPT_PERIOD = "[The period the review considered.]"
PROMPT_AGENCIES = "[The agencies in scope.]"
PROMPT_QUESTIONS = "[The questions the review set out to answer.]"
PROMPT_HOW = "[Describe how it was applied.]"
PROMPT_METHOD = "[How the review was carried out.]"
PROMPT_CONCLUSION = "[What the review concluded.]"
TEMPLATE_PROMPTS = (PROMPT_WHY, PROMPT_PERIOD, PROMPT_AGENCIES, PROMPT_QUESTIONS, PROMPT_HOW, PROMPT_METHOD,
                    PROMPT_CONCLUSION)


def template_prompts_left(text: str) -> list[str]:
    """The template's prompts still in a version's text (a draft may keep them; the SCR Committee never sees them)."""
    return [prompt for prompt in TEMPLATE_PROMPTS if prompt in text]


def _section(heading: str, *blocks: str) -> str:
    return "\n\n".join([heading.upper(), *[block.strip() for block in blocks if block and block.strip()]])


def report_template(review: Review) -> str:
    """A first draft of the report from what the review has recorded: its terms of reference, its findings
    (good practice first, then areas for improvement) and its recommendations, for the lead reviewer to edit.
    Plain paragraphs separated by blank lines, as the public PDF reads them."""
    sections = [review.title,
                _section("Introduction", f"This {review.get_type_display()} was commissioned by "
                         f"{review.board.name}. {PROMPT_WHY}")]
    period = (f"The review considered the period from {long_date(review.period_start)} to "
              f"{long_date(review.period_end)}." if review.period_start and review.period_end
              else PROMPT_PERIOD)
    agencies = ", ".join(agency.name for agency in review.agencies_in_scope.order_by("name"))
    questions = "\n".join(line.strip() for line in review.questions.splitlines() if line.strip())
    sections.append(_section(
        "Terms of reference", period,
        f"Agencies in scope: {agencies}." if agencies else PROMPT_AGENCIES,
        f"The review set out to answer these questions:\n{questions}" if questions
        else PROMPT_QUESTIONS))
    sections.append(_section(
        "Methodology", f"The review used the {review.get_methodology_display()}. {PROMPT_HOW}"
        if review.methodology else PROMPT_METHOD))
    findings = list(review.findings.order_by("number"))
    for kind, heading in ((Finding.Kind.GOOD_PRACTICE, "Good practice"),
                          (Finding.Kind.IMPROVEMENT, "Areas for improvement")):
        chosen = [f for f in findings if f.kind == kind]
        if chosen:
            sections.append(_section(heading, *(f"Finding {f.number}: {f.title}\n{f.narrative.strip()}"
                                                for f in chosen)))
    recommendations = list(review.recommendations.order_by("number"))
    if recommendations:
        sections.append(_section("Recommendations", *(
            f"Recommendation {r.number} ({r.get_level_display().lower()}): {r.text.strip()}"
            for r in recommendations)))
    sections.append(_section("Conclusion", PROMPT_CONCLUSION))
    return "\n\n".join(sections)


def version_upload(*, by, review: Review, data: bytes, filename: str, note: str = "") -> ReportVersion:
    """Keep an uploaded Word or PDF report, once its content proves what its name claims."""
    _editable_report(review)
    try:
        kind = detect_document_type(data, filename, max_bytes=settings.UPLOAD_MAX_BYTES)
        if kind not in ("docx", "pdf"):
            raise DocumentError("Upload the report as a Word (.docx) or PDF file, or write it in CaseReview")
        text = extract_text(data, kind)
    except DocumentError as error:
        raise ReviewError(str(error), "file") from None
    stored_name = None
    try:
        with transaction.atomic():
            version = ReportVersion(review=review, number=_next_version_number(review), source="upload",
                                    kind=kind, size=len(data), text=text, note=note.strip(), created_by=by)
            version.file.save(f"report.{kind}", ContentFile(data), save=False)
            stored_name = version.file.name
            version.save()
            audit_record(by=by, action="review.report_version_added", obj=review,
                         detail={"version": version.number, "source": "upload", "kind": kind, "bytes": len(data)})
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    # Checked once, now: the report page reads the stored result and never scans on a page view.
    selectors.version_check(version)
    return version


def version_write(*, by, review: Review, text: str, note: str = "", written_on: date | None = None) -> ReportVersion:
    """A report version written in CaseReview. `written_on` records a version written on an earlier day (a
    review whose report was finished before the board used CaseReview); the audit trail says so."""
    _editable_report(review)
    if not text.strip():
        raise ReviewError("Write the report", "text")
    written_at = when_done(written_on, what="The date the report was written", field="written_on",
                           not_before=review.initiated_on, earlier="the day the review started")
    with transaction.atomic():
        version = ReportVersion.objects.create(
            review=review, number=_next_version_number(review), source="written", kind="txt",
            size=len(text.encode()), text=text.strip(), note=note.strip(), created_by=by)
        if written_on:
            version.created_at = written_at  # the field stamps "now" on creation
            version.save(update_fields=["created_at"])
        audit_record(by=by, action="review.report_version_added", obj=review,
                     detail={"version": version.number, "source": "written", **recorded_after(written_on)})
    selectors.version_check(version)
    return version


def version_checklist(*, by, version: ReportVersion, check_analysis: bool, check_plain_english: bool,
                      check_publishable: bool, check_good_practice: bool,
                      checked_on: date | None = None, checklist_version: int | None = None) -> ReportVersion:
    """The SCR Committee's quality checklist; `checked_on` records a check made on an earlier day.
    `checklist_version` is the checklist's counter when the form was opened: a stale save is refused. The
    version's row is locked, so a checklist saved as the version is signed off cannot change it afterwards."""
    signed_off = "This version has been signed off: add a new version to change its checklist"
    if version.qa_signed_off_at:
        raise ReviewError(signed_off)
    checked_at = when_done(checked_on, what="The date of the checklist", field="checked_on",
                           not_before=local_day(version.created_at), earlier=f"the day version {version.number} was added")
    with transaction.atomic():
        if ReportVersion.objects.select_for_update(of=("self",)).values_list(
                "qa_signed_off_at", flat=True).get(pk=version.pk):
            raise ReviewError(signed_off)
        claim_version(version, checklist_version, "quality checklist", field="checklist_version")
        version.check_analysis, version.check_plain_english = check_analysis, check_plain_english
        version.check_publishable, version.check_good_practice = check_publishable, check_good_practice
        version.checklist_by, version.checklist_at = by, checked_at
        version.save(update_fields=["check_analysis", "check_plain_english", "check_publishable",
                                    "check_good_practice", "checklist_by", "checklist_at"])
        audit_record(by=by, action="review.report_checklist_saved", obj=version.review,
                     detail={"version": version.number, "complete": version.checklist_complete,
                             **recorded_after(checked_on)})
    return version


def hit_accept(*, by, version: ReportVersion, fingerprint: str, reason: str) -> HitAcceptance:
    if not reason.strip():
        raise ReviewError("Explain why this can be published as it is", "reason")
    check = selectors.version_check(version)
    open_hits = list(check.open_hits)
    # The public PDF made from the version is checked again at publication; its hits are accepted here too.
    pdf_check = selectors.public_pdf_check(version)
    if pdf_check is not None:
        open_hits += pdf_check.open_hits
    hit = next((h for h in open_hits if h.fingerprint == fingerprint), None)
    if hit is None:
        raise ReviewError("That hit is not open on this version (it may already have been accepted)")
    try:
        with transaction.atomic():
            acceptance = HitAcceptance.objects.create(review=version.review, fingerprint=fingerprint, kind=hit.kind,
                                                      reason=reason.strip(), version=version, accepted_by=by)
            # The fingerprint and kind only: never the identifying text itself.
            audit_record(by=by, action="review.check_hit_accepted", obj=version.review,
                         detail={"version": version.number, "kind": hit.kind, "fingerprint": fingerprint[:12]})
    except IntegrityError:
        raise ReviewError("That hit has already been accepted") from None
    return acceptance


def review_submit_for_qa(*, by, review: Review) -> Review:
    latest = selectors.latest_version(review)
    if latest is None:
        raise ReviewError("Add a report version before sending the report for quality assurance")
    left = template_prompts_left(latest.text)
    if left:
        raise ReviewError(f"Version {latest.number} still has {len(left)} part{'s' if len(left) > 1 else ''} of "
                          f"the template to write, such as \"{left[0]}\": write them and save a new version "
                          "before sending it for quality assurance")
    with transaction.atomic():
        lock_unchanged(review)
        _move(review, review.submit_for_qa, "The report can be sent for quality assurance during analysis")
        review.save(update_fields=["status"])
        audit_record(by=by, action="review.submitted_for_qa", obj=review,
                     detail={"version": latest.number})
        _tell(review, QUALITY_ASSURANCE_ROLES, subject=f"Report of {review.reference} ready for quality assurance",
              body=(f"Version {latest.number} of the report of review {review.reference} ({review.case.pseudonym}) "
                    "is ready for the SCR Committee's quality assurance: the checklist, then the sign-off."))
    return review


def review_return_to_analysis(*, by, review: Review, reason: str) -> Review:
    if not reason.strip():
        raise ReviewError("Say what needs to change in the report", "reason")
    with transaction.atomic():
        lock_unchanged(review)
        _move(review, review.return_to_analysis, "Only a report in quality assurance can be returned")
        review.save(update_fields=["status"])
        audit_record(by=by, action="review.returned_from_qa", obj=review, detail={"reason": reason.strip()[:500]})
    return review


def version_qa_sign_off(*, by, version: ReportVersion, comments: str,
                        signed_off_on: date | None = None) -> ReportVersion:
    """The SCR Committee's quality assurance sign-off; `signed_off_on` records one given on an earlier day."""
    review = version.review
    if review.status != Review.Status.REPORT_QA:
        raise ReviewError("Quality assurance sign-off is given while the report is in quality assurance")
    if version != selectors.latest_version(review):
        raise ReviewError("Only the latest version can be signed off")
    if not version.checklist_complete:
        raise ReviewError("Complete the quality checklist before signing off")
    if by.pk == version.created_by_id:
        raise ReviewError(f"You added version {version.number}: quality assurance is signed off by someone else")
    signed_off_at = when_done(signed_off_on, what="The date of the sign-off", field="signed_off_on",
                              not_before=local_day(version.checklist_at), earlier="the quality checklist")
    with transaction.atomic():
        # The checklist is read again under a lock: one unticked meanwhile stops the sign-off.
        locked = ReportVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
        if not locked.checklist_complete:
            raise ReviewError("Complete the quality checklist before signing off")
        version.qa_signed_off_by, version.qa_signed_off_at = by, signed_off_at
        version.qa_comments = comments.strip()
        version.save(update_fields=["qa_signed_off_by", "qa_signed_off_at", "qa_comments"])
        audit_record(by=by, action="review.report_qa_signed_off", obj=review,
                     detail={"version": version.number, **recorded_after(signed_off_on)})
        _tell(review, {Role.INDEPENDENT_CHAIR}, subject=f"Report of {review.reference} ready for the board's approval",
              body=(f"The SCR Committee has signed off version {version.number} of the report of review "
                    f"{review.reference} ({review.case.pseudonym}). It is ready for your approval for the board."))
    return version


def _tell(review: Review, roles, *, subject: str, body: str) -> None:
    """Email the people of the board who hold `roles` that a step waits for them (it is on their home page too)."""
    link = absolute_url("reviews:report", review.pk)
    people = User.objects.filter(board_id=review.board_id, is_active=True, role_grants__role__in=list(roles)) \
        .exclude(email="").distinct()
    for person in people:
        email_queue(to=person.email, board_id=review.board_id, about=review, subject=subject,
                    body=f"{body}\n\n{link}")


def review_approve(*, by, review: Review, confirmed: bool = False, approved_on: date | None = None) -> Review:
    """The board's approval of the signed-off version. `approved_on` records an approval given on an earlier day
    (before the board used CaseReview): dated that day, checked against the sign-off, and audited as recorded
    after the event."""
    version = selectors.latest_version(review)
    if review.status != Review.Status.REPORT_QA or version is None:
        raise ReviewError("The board approves a report that is in quality assurance")
    if not version.qa_signed_off_at:
        raise ReviewError(f"Version {version.number} needs the SCR Committee's quality assurance sign-off first")
    if by.pk in (version.created_by_id, version.qa_signed_off_by_id):
        raise ReviewError(f"You added or signed off version {version.number}: the board's approval is given by "
                          "someone else")
    if not confirmed:
        raise ReviewError("Confirm that the board approves this version of the report", "confirm")
    approved_at = when_done(approved_on, what="The date the board approved the report", field="approved_on",
                            not_before=local_day(version.qa_signed_off_at), earlier="the quality assurance sign-off")
    with transaction.atomic():
        lock_unchanged(review)
        version.board_approved_by, version.board_approved_at = by, approved_at
        version.save(update_fields=["board_approved_by", "board_approved_at"])
        _move(review, review.approve, "The board approves a report that is in quality assurance")
        review.approved_on = local_day(approved_at)
        review.save(update_fields=["status", "approved_on"])
        audit_record(by=by, action="review.approved", obj=review,
                     detail={"version": version.number, **recorded_after(approved_on)})
    return review



def report_downloaded(*, by, review: Review, version: ReportVersion, public: bool) -> None:
    with transaction.atomic():
        audit_record(by=by, action="review.report_downloaded" if not public else "review.public_report_downloaded",
                     obj=review, board_id=review.board_id, detail={"version": version.number})


