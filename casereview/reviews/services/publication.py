"""Publication: the plan, the Panel's copy, the statement, managing the impact, the blockers, the decision,
the public files and requests for a report no longer online."""

import hashlib
from datetime import date, timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from casereview.audit.services import audit_access, audit_record
from casereview.core.concurrency import claim_version
from casereview.lib import clocks
from casereview.lib.dates import today as board_today
from casereview.lib.formats import long_date
from casereview.lib.identifiers import scan

from .. import selectors
from ..models import PublicationImpact, PublishedReport, ReportRequest, Review
from . import public_report
from .base import ReviewError, _move, _not_future, lock_unchanged


def publication_plan(*, by, review: Review, planned_publication_on: date, version: int | None = None) -> Review:
    """Set the planned publication date; `version` is the plan's counter when the form was opened (a stale save
    is refused: someone else changed the date in between)."""
    if planned_publication_on < board_today():
        raise ReviewError("The planned publication date must be today or in the future", "planned_publication_on")
    with transaction.atomic():
        claim_version(review, version, "planned publication date", field="plan_version")
        review.planned_publication_on = planned_publication_on
        review.save(update_fields=["planned_publication_on"])
        audit_record(by=by, action="review.publication_planned", obj=review,
                     detail={"planned_publication_on": planned_publication_on.isoformat()})
    return review


def panel_copy_sent(*, by, review: Review, sent_on: date) -> Review:
    version = selectors.latest_version(review)
    if review.status != Review.Status.APPROVED or version is None or not version.board_approved_at:
        raise ReviewError("Send the Panel the approved report: the board has not approved it yet", "sent_on")
    _not_future(sent_on, "The date the copy was sent", "sent_on")
    if review.approved_on and sent_on < review.approved_on:
        raise ReviewError(f"The board approved the report on {long_date(review.approved_on)}: the Panel is sent the approved "
                          "report, so the date the copy was sent must be the same or later", "sent_on")
    with transaction.atomic():
        review.panel_copy_sent_on, review.panel_copy_version = sent_on, version
        review.save(update_fields=["panel_copy_sent_on", "panel_copy_version"])
        audit_record(by=by, action="review.panel_copy_sent", obj=review,
                     detail={"sent_on": sent_on.isoformat(), "version": version.number})
    return review


def statement_update(*, by, review: Review, version: int | None = None, statement_actions_taken: str,
                     statement_impact: str, statement_what_more: str) -> Review:
    if review.status == Review.Status.PUBLISHED:
        # Once published the statement goes straight onto the public page: it is checked here, as the report
        # was (before publication it is checked inside the public PDF).
        text = "\n\n".join((statement_actions_taken, statement_impact, statement_what_more))
        hits = selectors.check_result(review, scan(text, selectors.case_known_identifiers(review.case))).open_hits
        if hits:
            found = ", ".join(f"'{hit.matched_text}' ({hit.reason})" for hit in hits[:3])
            raise ReviewError(f"The statement could identify someone: {found}. Change it and save again",
                              "statement_actions_taken")
    with transaction.atomic():
        claim_version(review, version, "publication statement")
        review.statement_actions_taken = statement_actions_taken.strip()
        review.statement_impact = statement_impact.strip()
        review.statement_what_more = statement_what_more.strip()
        review.save(update_fields=["statement_actions_taken", "statement_impact", "statement_what_more"])
        audit_record(by=by, action="review.statement_updated", obj=review)
    return review


def publication_impact_update(*, by, review: Review, family_told: bool, practitioners_told: bool,
                              media_lines_agreed: bool, court_restrictions_checked: bool,
                              keep_online_until: date | None, offer_original: bool,
                              version: int | None = None) -> PublicationImpact:
    """The checklist for managing the impact of publication, how long the report stays online, and whether
    the original Word document is offered beside the PDF. `version` is the review's `impact_version` when the
    form was opened (the counter lives on the review, so even the first save of the checklist is protected)."""
    if keep_online_until is not None:
        start = review.published_on or review.planned_publication_on or board_today()
        minimum = clocks.due_date(clocks.resolve_clock(review.board.rule_pack, "publication-online"), start)
        if keep_online_until < minimum:
            raise ReviewError(f"A report stays online until at least {long_date(minimum)}: choose that date or a "
                              "later one, or leave the date empty", "keep_online_until")
    if offer_original:
        latest = selectors.latest_version(review)
        if latest is None or latest.kind != "docx":
            raise ReviewError("Only a report uploaded as a Word document can be offered as Word as well",
                              "offer_original")
        if review.status == Review.Status.PUBLISHED:
            raise ReviewError("The report is already published: the files it was published with stay as they "
                              "are", "offer_original")
    with transaction.atomic():
        claim_version(review, version, "checklist for managing the impact of publication", field="impact_version")
        impact, _ = PublicationImpact.objects.select_for_update(of=("self",)).get_or_create(
            review=review, defaults={"updated_by": by})
        impact.family_told, impact.practitioners_told = family_told, practitioners_told
        impact.media_lines_agreed, impact.court_restrictions_checked = media_lines_agreed, court_restrictions_checked
        impact.keep_online_until, impact.offer_original, impact.updated_by = keep_online_until, offer_original, by
        impact.save()
        audit_record(by=by, action="review.publication_impact_saved", obj=review,
                     detail={"complete": impact.complete, "offer_original": offer_original,
                             "keep_online_until": keep_online_until.isoformat() if keep_online_until else None})
    return impact


def publication_blockers(review: Review, today: date) -> list[str]:
    """Everything that stops publication today, in words; an empty list means the report may be published."""
    if review.status != Review.Status.APPROVED:
        return ["The board must approve the report before it is published"]
    version = selectors.latest_version(review)
    blockers = []
    if version is None or not version.board_approved_at:
        blockers.append("The latest report version has not been approved by the board")
        return blockers
    open_hits = selectors.version_check(version).open_hits
    if open_hits:
        n = len(open_hits)
        blockers.append(f"The publication check found {n} thing{'s' if n != 1 else ''} that could identify "
                        f"someone in version {version.number}: fix {'them' if n != 1 else 'it'} in a new version "
                        "or accept each with a reason")
    pdf_check = selectors.public_pdf_check(version)
    if pdf_check is not None and pdf_check.open_hits and not open_hits:
        n = len(pdf_check.open_hits)
        blockers.append(f"The public PDF made from version {version.number} showed {n} thing{'s' if n != 1 else ''} "
                        "that could identify someone: accept each with a reason or fix the report")
    if not review.planned_publication_on:
        blockers.append("Record the planned publication date")
    if review.is_scr and not (review.statement_actions_taken.strip() and review.statement_impact.strip()
                              and review.statement_what_more.strip()):
        blockers.append("Write the statement of the actions taken, their impact and what more will be done: a "
                        "Serious Case Review is published with it")
    impact = selectors.publication_impact(review)
    if impact is None or not impact.complete:
        blockers.append("Complete the checklist for managing the impact of publication: family told, "
                        "practitioners told, media lines agreed and court restrictions checked")
    for restriction in selectors.court_restrictions_in_force(review):
        blockers.append(f"A court restriction is in force ({restriction.detail or restriction.get_kind_display()}): "
                        "the report cannot be published until it is lifted")
    if review.is_scr:
        due = selectors.prepublication_due(review, today)
        if not review.panel_copy_sent_on:
            blockers.append("Record that the National Panel has been sent its copy: it must have it by "
                            f"{long_date(due)} to publish today")
        elif review.panel_copy_version_id != version.pk:
            blockers.append(f"The Panel was sent version {review.panel_copy_version.number}: send them version "
                            f"{version.number} and record it")
        elif review.panel_copy_sent_on > due:
            earliest = today
            while selectors.prepublication_due(review, earliest) < review.panel_copy_sent_on:
                earliest += timedelta(days=1)
            length = selectors.prepublication_clock(review).length_text
            blockers.append(f"The Panel's copy was sent on {long_date(review.panel_copy_sent_on)}: it must have it "
                            f"{length} publication, so the report can be published from {long_date(earliest)}")
    return blockers


def review_publish(*, by, review: Review, confirmed: bool = False, published_on: date | None = None) -> Review:
    """Publish the approved version: the public PDF (and the Word original if the board chose it) is made,
    checked again as the exact bytes the public will get, and only then put on the public page.

    `published_on` records a publication that happened before the board used CaseReview: the report is dated
    and checked as on that day (planned for it, unless a plan was recorded), and the audit trail says it was
    recorded after the event."""
    if not confirmed:
        raise ReviewError("Confirm that the report should be published on the board's public page", "confirm")
    recorded_after = published_on is not None
    if recorded_after:
        _not_future(published_on, "The date the report was published", "published_on")
        if review.approved_on and published_on < review.approved_on:
            raise ReviewError(f"The board approved the report on {long_date(review.approved_on)}: the date it was "
                              "published must be the same or later", "published_on")
        review.planned_publication_on = review.planned_publication_on or published_on
    today = published_on or board_today()
    blockers = publication_blockers(review, today)
    if blockers:
        raise ReviewError(blockers[0])
    version = selectors.latest_version(review)
    impact = selectors.publication_impact(review)
    files = _checked_public_files(review, version, today, offer_original=bool(impact and impact.offer_original))
    stored: list[str] = []
    try:
        with transaction.atomic():
            review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
            _move(review, review.publish, "Only an approved report can be published")
            published = _store_public_files(by, review, version, files, stored)
            review.published_on, review.published_version = today, version
            if recorded_after:
                review.planned_publication_on = review.planned_publication_on or today
            review.save()
            detail = {"version": version.number, "pdf_sha256": published.pdf_sha256[:16],
                      "original": files.original is not None}
            if recorded_after:
                detail.update(published_on=today.isoformat(), recorded_after_the_event=True)
            audit_record(by=by, action="review.published", obj=review, detail=detail)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return review


def public_files_make(*, by, review: Review) -> PublishedReport:
    """The accessible PDF for a report published before the service made one (or published outside it, as the
    demo's is): made from the published version, checked as bytes, and offered on the public page from then on."""
    if review.status != Review.Status.PUBLISHED or review.published_version is None:
        raise ReviewError("Only a published report has public files")
    if PublishedReport.objects.filter(review=review).exists():
        raise ReviewError("The public files of this report have already been made")
    files = _checked_public_files(review, review.published_version, review.published_on, offer_original=False)
    stored: list[str] = []
    try:
        with transaction.atomic():
            published = _store_public_files(by, review, review.published_version, files, stored)
            audit_record(by=by, action="review.public_files_made", obj=review,
                         detail={"version": review.published_version.number,
                                 "pdf_sha256": published.pdf_sha256[:16]})
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return published


def _checked_public_files(review: Review, version, published_on: date, *, offer_original: bool):
    files = public_report.build_public_files(review, version, published_on=published_on,
                                             offer_original=offer_original)
    if not files.pdf_text.strip():
        raise ReviewError("The public PDF could not be read back to check it, so it has not been published")
    open_hits = public_report.check_public_files(review, version, files)
    if open_hits:
        n = len(open_hits)
        raise ReviewError(f"The public PDF made from version {version.number} shows {n} thing"
                          f"{'s' if n != 1 else ''} that could identify someone: accept each with a reason on the "
                          "report page, or fix the report, then publish again")
    return files


def _store_public_files(by, review: Review, version, files, stored: list[str]) -> PublishedReport:
    published = PublishedReport(review=review, version=version, file_stem=files.file_stem,
                                pdf_sha256=public_report.sha256(files.pdf), created_by=by)
    published.pdf.save(f"{files.file_stem}.pdf", ContentFile(files.pdf), save=False)
    stored.append(published.pdf.name)
    if files.original is not None:
        published.original.save(f"{files.file_stem}.docx", ContentFile(files.original), save=False)
        stored.append(published.original.name)
    published.save()
    return published


# Anonymous downloads of a public report: at most this many a client may make in an hour, and one audit
# event per client, report and day (the public page is not a place to fill the audit trail from).
PUBLIC_DOWNLOADS_PER_HOUR = 30


def public_download_allowed(*, by, review: Review, client: str) -> bool:
    """Whether this download may go ahead; records it in the audit trail once a day per client and report."""
    client_key = hashlib.sha256(client.encode()).hexdigest()[:24]
    hour_key = f"public-download:{review.pk}:{client_key}"
    authenticated = by is not None
    if not authenticated:
        cache.add(hour_key, 0, timeout=3600)
        try:
            count = cache.incr(hour_key)
        except ValueError:
            cache.set(hour_key, 1, timeout=3600)
            count = 1
        if count > PUBLIC_DOWNLOADS_PER_HOUR:
            return False
    day_key = f"public-download-audited:{review.pk}:{client_key}:{board_today().isoformat()}"
    if authenticated or cache.add(day_key, 1, timeout=86_400):
        audit_access(by=by, action="review.public_report_downloaded", obj=review, board_id=review.board_id,
                     detail={"version": review.published_version.number if review.published_version else None})
    return True


def report_request_log(*, by, review: Review, requested_on: date, requester: str, contact: str) -> ReportRequest:
    """A request for a report that is no longer online ("available on request")."""
    if review.status != Review.Status.PUBLISHED:
        raise ReviewError("Requests are logged for a published report")
    _not_future(requested_on, "The date of the request", "requested_on")
    if not requester.strip():
        raise ReviewError("Say who asked for the report", "requester")
    if not contact.strip():
        raise ReviewError("Give an email or postal address to answer the request", "contact")
    with transaction.atomic():
        request = ReportRequest.objects.create(review=review, requested_on=requested_on,
                                               requester=requester.strip(), contact=contact.strip(), logged_by=by)
        audit_record(by=by, action="review.report_requested", obj=review, detail={"request": request.pk})
    return request


def report_request_answer(*, by, request: ReportRequest, answered_on: date, answer: str) -> ReportRequest:
    _not_future(answered_on, "The date of the answer", "answered_on")
    if answered_on < request.requested_on:
        raise ReviewError("The answer cannot be dated before the request", "answered_on")
    if not answer.strip():
        raise ReviewError("Say how the request was answered (for example, the report was emailed)", "answer")
    with transaction.atomic():
        request = ReportRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.answered_on:
            raise ReviewError("This request has already been answered")
        request.answered_on, request.answer, request.answered_by = answered_on, answer.strip(), by
        request.save()
        audit_record(by=by, action="review.report_request_answered", obj=request.review,
                     detail={"request": request.pk})
    return request


def review_record_completed(*, by, review: Review, approved_on: date, published_on: date) -> Review:
    """Record a review the board completed before it used CaseReview: its report was approved and published
    outside the service (the public page offers only reports published through it). The dates are checked (not
    in the future, approval on or after the review started, publication on or after approval) and the audit
    trail says the review was recorded after the event. A review whose report is in CaseReview is approved and
    published on its Report and Publication pages instead."""
    _not_future(approved_on, "The date the board approved the report", "approved_on")
    _not_future(published_on, "The date the report was published", "published_on")
    if approved_on < review.initiated_on:
        raise ReviewError(f"The review started on {long_date(review.initiated_on)}: the date the board approved the "
                          "report must be the same or later", "approved_on")
    if published_on < approved_on:
        raise ReviewError(f"The board approved the report on {long_date(approved_on)}: the date it was published must "
                          "be the same or later", "published_on")
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
        if review.report_versions.exists():
            raise ReviewError("This review's report is in CaseReview: the board approves it on the Report page "
                              "and it is published from the Publication page")
        _move(review, review.record_completed, "Only a review still being set up or analysed can be recorded as "
                                               "completed before the board used CaseReview")
        review.approved_on, review.published_on = approved_on, published_on
        review.planned_publication_on = review.planned_publication_on or published_on
        review.save()
        audit_record(by=by, action="review.recorded_completed", obj=review,
                     detail={"approved_on": approved_on.isoformat(), "published_on": published_on.isoformat(),
                             "recorded_after_the_event": True})
    return review


def review_not_publish(*, by, review: Review, reason: str, panel_advice: str,
                       panel_advice_on: date | None) -> Review:
    if review.status != Review.Status.APPROVED:
        raise ReviewError("A decision about publication is made once the board has approved the report")
    if not reason.strip():
        raise ReviewError("Explain why the report will not be published", "reason")
    if review.is_scr and (not panel_advice.strip() or not panel_advice_on):
        raise ReviewError("Record the National Panel's advice and the date it was given: a decision not to "
                          "publish a Serious Case Review goes to the Panel for advice", "panel_advice")
    _not_future(panel_advice_on, "The date of the Panel's advice", "panel_advice_on")
    with transaction.atomic():
        lock_unchanged(review)
        _move(review, review.decide_not_to_publish, "A decision about publication follows board approval")
        review.not_published_reason, review.panel_advice = reason.strip(), panel_advice.strip()
        review.panel_advice_on = panel_advice_on
        review.save(update_fields=["status", "not_published_reason", "panel_advice", "panel_advice_on"])
        audit_record(by=by, action="review.not_published", obj=review)
    return review


