"""Report versions, the publication check, quality assurance and approval.

Each view checks the role first (`allowed_if`), then finds the review in the person's scope or 404s
(`selectors.review_get_for_report` for the report's readers, `review_get_for_writer` for its writers). What a
page offers comes from `selectors.report_actions`; every refusal is the service's, shown on its form or, for a
button without a form, as a message on the next page.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service, refuse

from .. import forms as f
from .. import selectors, services
from ..models import ReportVersion, Review
from ..permissions import can_approve_for_board, can_quality_assure, may_write_reviews
from ..services.report import report_needs, report_template, template_prompts_left
from .base import _page, may_accept_hits, may_check_reports, may_read_reports, may_return_reports, submit

BACK_TO_REPORT = ("reviews:report", "Report")


def _report_page(request: HttpRequest, review: Review, return_form=None) -> HttpResponse:
    versions = list(review.report_versions.select_related("created_by", "qa_signed_off_by", "board_approved_by"))
    latest = versions[0] if versions else None
    return _page(request, review, "reviews/report.html", "report", {
        "versions": versions, "latest": latest,
        "latest_check": selectors.version_check(latest, selectors.case_known_identifiers(review.case))
        if latest else None,
        "actions": selectors.report_actions(request.user, review, latest=latest),
        # Before the first version: what the review still needs, instead of an empty page.
        "needs": report_needs(review) if latest is None else [],
        "prompts_left": template_prompts_left(latest.text) if latest else [],
        "return_form": return_form or f.ReasonForm(prefix="ret"),
        "forms": [return_form] if return_form is not None else []})


@allowed_if(may_read_reports)
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id)
    return _report_page(request, review)


def _version_form_page(request, review: Review, form, heading: str, button: str, **extra) -> HttpResponse:
    return _page(request, review, "reviews/form_page.html", "report", {
        "form": form, "heading": heading, "button": button, "back": BACK_TO_REPORT, **extra})


def _read_upload(upload) -> bytes:
    # One byte over the limit is enough for the service to refuse it; nothing larger is read into memory.
    return upload.read(settings.UPLOAD_MAX_BYTES + 1)


@allowed_if(may_write_reviews)
def version_upload(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        ok, created = apply_service(form, lambda: services.version_upload(
            by=request.user, review=review, data=_read_upload(form.cleaned_data["file"]),
            filename=form.cleaned_data["file"].name, note=form.cleaned_data["note"]))
        if ok:
            messages.success(request, f"Version {created.number} added and checked for publication")
            return redirect("reviews:version", review_id=review.pk, version_id=created.pk)
    return _version_form_page(request, review, form, "Upload a report version", "Upload and check", multipart=True)


@allowed_if(may_write_reviews)
def version_write(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    from_template = request.GET.get("from") == "template"
    latest = selectors.latest_version(review)
    if from_template:
        # A first draft from the terms of reference, findings and recommendations; nothing is kept until saved.
        initial = {"text": report_template(review), "note": "Started from the report template"}
    elif latest and latest.source == ReportVersion.Source.WRITTEN:
        initial = {"text": latest.text}
    else:
        initial = None
    form = f.WriteForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, created = submit(form, services.version_write, by=request.user, review=review)
        if ok:
            messages.success(request, f"Version {created.number} saved and checked for publication")
            return redirect("reviews:version", review_id=review.pk, version_id=created.pk)
    heading = "Write a report version from the template" if from_template else "Write a report version"
    return _page(request, review, "reviews/version_write.html", "report", {
        "form": form, "heading": heading, "button": "Save and check", "back": BACK_TO_REPORT,
        "from_template": from_template})


def _hit_prefix(fingerprint: str) -> str:
    return f"hit-{fingerprint[:16]}"


def _hit_forms(hits, accept_form, seen: set[str] | None = None) -> list:
    """Each open hit with its own acceptance form (the bound one where the person just sent it); hits already
    `seen` are left out."""
    rows = []
    for hit in hits:
        if seen is not None:
            if hit.fingerprint in seen:
                continue
            seen.add(hit.fingerprint)
        prefix = _hit_prefix(hit.fingerprint)
        bound = accept_form if accept_form is not None and accept_form.prefix == prefix else None
        rows.append((hit, bound or f.AcceptHitForm(prefix=prefix, initial={"fingerprint": hit.fingerprint})))
    return rows


def _version_page(request, review: Review, version: ReportVersion, *, accept_form=None, checklist_form=None,
                  qa_form=None) -> HttpResponse:
    check = selectors.version_check(version)
    hit_forms = _hit_forms(check.open_hits, accept_form)
    seen = {hit.fingerprint for hit in check.open_hits}
    # The public PDF made at publication is checked again; what only it shows (its title page, say) is decided here.
    pdf_check = selectors.public_pdf_check(version)
    pdf_hit_forms = _hit_forms(pdf_check.open_hits if pdf_check is not None else [], accept_form, seen)
    latest = selectors.latest_version(review)
    checklist = checklist_form or f.ChecklistForm(prefix="chk", initial={
        **{k: getattr(version, k) for k in ("check_analysis", "check_plain_english", "check_publishable",
                                            "check_good_practice")},
        **version_initial(version, "checklist_version")})
    return _page(request, review, "reviews/version.html", "report", {
        "version": version, "check": check, "is_latest": version == latest, "hit_forms": hit_forms,
        "pdf_hit_forms": pdf_hit_forms, "checklist_form": checklist, "qa_form": qa_form or f.QaForm(prefix="qa"),
        "actions": selectors.report_actions(request.user, review, version, latest=latest),
        "forms": [x for x in (accept_form, checklist_form, qa_form) if x is not None]})


def _version(review: Review, version_id: int) -> ReportVersion:
    return get_object_or_404(ReportVersion, pk=version_id, review=review)


@allowed_if(may_read_reports)
def version(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id)
    report_version = _version(review, version_id)
    return _version_page(request, review, report_version)


@allowed_if(may_read_reports)
def version_download(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id)
    report_version = _version(review, version_id)
    services.report_downloaded(by=request.user, review=review, version=report_version, public=False)
    return _file_response(report_version)


def _file_response(version: ReportVersion) -> HttpResponse:
    if version.source == ReportVersion.Source.WRITTEN or not version.file:
        response = HttpResponse(version.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{version.download_name}"'
        return response
    content_type = {"pdf": "application/pdf",
                    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[version.kind]
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.download_name,
                        content_type=content_type)


@allowed_if(may_accept_hits)
@require_POST
def hit_accept(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    report_version = _version(review, version_id)
    form = f.AcceptHitForm(request.POST, prefix=_hit_prefix(request.POST.get("hit", "")))
    ok, _ = submit(form, services.hit_accept, by=request.user, version=report_version)
    if ok:
        messages.success(request, "Accepted with your reason. Later versions will not ask about it again")
        return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)
    return _version_page(request, review, report_version, accept_form=form)


@allowed_if(may_check_reports)
@require_POST
def version_checklist(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id, chair=False)
    report_version = _version(review, version_id)
    form = f.ChecklistForm(request.POST, prefix="chk")
    ok, _ = apply_service(form, lambda: services.version_checklist(
        by=request.user, version=report_version, checklist_version=form.cleaned_data["version"],
        **{k: v for k, v in form.cleaned_data.items() if k != "version"}))
    if ok:
        messages.success(request, "Quality checklist saved")
        return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)
    return _version_page(request, review, report_version, checklist_form=form)


@allowed_if(may_write_reviews)
@require_POST
def submit_qa(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    try:
        services.review_submit_for_qa(by=request.user, review=review)
    except services.ReviewError as error:
        refuse(request, error)
    else:
        messages.success(request, "The report has been sent to the SCR Committee for quality assurance")
    return redirect("reviews:report", review_id=review.pk)


@allowed_if(may_return_reports)
@require_POST
def return_qa(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id)
    form = f.ReasonForm(request.POST, prefix="ret")
    ok, _ = submit(form, services.review_return_to_analysis, by=request.user, review=review)
    if ok:
        messages.success(request, "The report has been returned to the lead reviewers")
        return redirect("reviews:report", review_id=review.pk)
    return _report_page(request, review, return_form=form)


@allowed_if(can_quality_assure)
@require_POST
def qa_sign_off(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id, chair=False)
    report_version = _version(review, version_id)
    form = f.QaForm(request.POST, prefix="qa")
    ok, _ = submit(form, services.version_qa_sign_off, by=request.user, version=report_version)
    if ok:
        messages.success(request, f"Version {report_version.number} signed off by the SCR Committee")
        return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)
    return _version_page(request, review, report_version, qa_form=form)


@allowed_if(can_approve_for_board)
@require_POST
def approve(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_report(request.user, review_id, committee=False)
    try:
        services.review_approve(by=request.user, review=review, confirmed=request.POST.get("confirm") == "yes")
    except services.ReviewError as error:
        refuse(request, error)
    else:
        messages.success(request, "The report is approved by the board")
    return redirect("reviews:report", review_id=review.pk)
