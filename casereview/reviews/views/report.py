"""Report versions, the publication check, quality assurance and approval."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import selectors, services
from ..models import (
    ReportVersion,
    Review,
)
from ..permissions import (
    can_accept_hits,
    can_approve_for_board,
    can_quality_assure,
    can_write_findings,
)
from .base import _apply, _get_review, _page, _report_reader, _write


@login_required
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _report_reader)
    versions = list(review.report_versions.select_related("created_by", "qa_signed_off_by", "board_approved_by"))
    known = selectors.case_known_identifiers(review.case)
    checks = {v.pk: selectors.version_check(v, known) for v in versions[:1]}
    return _page(request, review, "reviews/report.html", "report", {
        "versions": versions, "latest": versions[0] if versions else None,
        "latest_check": checks.get(versions[0].pk) if versions else None,
        "return_form": f.ReasonForm(prefix="ret"),
        "can_qa": can_quality_assure(request.user), "can_approve": can_approve_for_board(request.user)})


@login_required
def version_upload(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        created = {}

        def call(d):
            upload = d["file"]
            data = upload.read(review_upload_limit() + 1)
            created["v"] = services.version_upload(by=request.user, review=review, data=data,
                                                   filename=upload.name, note=d["note"])

        if _apply(form, call):
            messages.success(request, f"Version {created['v'].number} added and checked for publication")
            return redirect("reviews:version", review_id=review.pk, version_id=created["v"].pk)
    return _page(request, review, "reviews/form_page.html", "report", {
        "form": form, "heading": "Upload a report version", "button": "Upload and check",
        "multipart": True, "back": ("reviews:report", "Report")})


def review_upload_limit() -> int:
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES


@login_required
def version_write(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    latest = selectors.latest_version(review)
    initial = {"text": latest.text} if latest and latest.source == ReportVersion.Source.WRITTEN else None
    form = f.WriteForm(request.POST or None, initial=initial)
    if request.method == "POST":
        created = {}

        def call(d):
            created["v"] = services.version_write(by=request.user, review=review, **d)

        if _apply(form, call):
            messages.success(request, f"Version {created['v'].number} saved and checked for publication")
            return redirect("reviews:version", review_id=review.pk, version_id=created["v"].pk)
    return _page(request, review, "reviews/form_page.html", "report", {
        "form": form, "heading": "Write a report version", "button": "Save and check",
        "back": ("reviews:report", "Report")})


def _hit_prefix(fingerprint: str) -> str:
    return f"hit-{fingerprint[:16]}"


def _version_page(request, review, version, accept_form=None, checklist_form=None) -> HttpResponse:
    check = selectors.version_check(version)
    hit_forms = []
    for hit in check.open_hits:
        prefix = _hit_prefix(hit.fingerprint)
        bound = accept_form if accept_form is not None and accept_form.prefix == prefix else None
        hit_forms.append((hit, bound or f.AcceptHitForm(prefix=prefix, initial={"fingerprint": hit.fingerprint})))
    # The public PDF made at publication is checked again; what only it shows (its title page, say) is decided here.
    pdf_check = selectors.public_pdf_check(version)
    seen = {hit.fingerprint for hit in check.open_hits}
    pdf_hit_forms = []
    for hit in pdf_check.open_hits if pdf_check is not None else []:
        if hit.fingerprint in seen:
            continue
        seen.add(hit.fingerprint)
        prefix = _hit_prefix(hit.fingerprint)
        bound = accept_form if accept_form is not None and accept_form.prefix == prefix else None
        pdf_hit_forms.append((hit, bound or f.AcceptHitForm(prefix=prefix, initial={"fingerprint": hit.fingerprint})))
    latest = selectors.latest_version(review)
    checklist = checklist_form or f.ChecklistForm(prefix="chk", initial={
        k: getattr(version, k) for k in ("check_analysis", "check_plain_english", "check_publishable",
                                         "check_good_practice")})
    return _page(request, review, "reviews/version.html", "report", {
        "version": version, "check": check, "is_latest": version == latest, "hit_forms": hit_forms,
        "pdf_hit_forms": pdf_hit_forms,
        "accept_form": accept_form, "checklist_form": checklist, "qa_form": f.QaForm(prefix="qa"),
        "forms": [x for x in (accept_form, checklist_form) if x is not None],
        "can_accept": can_accept_hits(request.user, review), "can_qa": can_quality_assure(request.user),
        "can_approve": can_approve_for_board(request.user)})


@login_required
def version(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _report_reader)
    report_version = get_object_or_404(ReportVersion, pk=version_id, review=review)
    services.review_viewed(by=request.user, review=review, page=f"report version {report_version.number}")
    return _version_page(request, review, report_version)


@login_required
def version_download(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _report_reader)
    report_version = get_object_or_404(ReportVersion, pk=version_id, review=review)
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


@login_required
@require_POST
def hit_accept(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_accept_hits(u, r))
    report_version = get_object_or_404(ReportVersion, pk=version_id, review=review)
    form = f.AcceptHitForm(request.POST, prefix=_hit_prefix(request.POST.get("hit", "")))
    if _apply(form, lambda d: services.hit_accept(by=request.user, version=report_version, **d)):
        messages.success(request, "Accepted with your reason. Later versions will not ask about it again")
        return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)
    return _version_page(request, review, report_version, accept_form=form)


@login_required
@require_POST
def version_checklist(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_write_findings(u, r) or can_quality_assure(u))
    report_version = get_object_or_404(ReportVersion, pk=version_id, review=review)
    form = f.ChecklistForm(request.POST, prefix="chk")
    if _apply(form, lambda d: services.version_checklist(by=request.user, version=report_version, **d)):
        messages.success(request, "Quality checklist saved")
        return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)
    return _version_page(request, review, report_version, checklist_form=form)


@login_required
@require_POST
def submit_qa(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    try:
        services.review_submit_for_qa(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The report has been sent to the SCR Committee for quality assurance")
    return redirect("reviews:report", review_id=review.pk)


@login_required
@require_POST
def return_qa(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_quality_assure(u) or can_approve_for_board(u))
    form = f.ReasonForm(request.POST, prefix="ret")
    if review.status != Review.Status.REPORT_QA:
        messages.error(request, "The report is not in quality assurance")
        return redirect("reviews:report", review_id=review.pk)
    if _apply(form, lambda d: services.review_return_to_analysis(by=request.user, review=review, **d)):
        messages.success(request, "The report has been returned to the lead reviewers")
        return redirect("reviews:report", review_id=review.pk)
    messages.error(request, "Say what needs to change in the report")
    return redirect("reviews:report", review_id=review.pk)


@login_required
@require_POST
def qa_sign_off(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_quality_assure(u))
    report_version = get_object_or_404(ReportVersion, pk=version_id, review=review)
    form = f.QaForm(request.POST, prefix="qa")
    if _apply(form, lambda d: services.version_qa_sign_off(by=request.user, version=report_version, **d)):
        messages.success(request, f"Version {report_version.number} signed off by the SCR Committee")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reviews:version", review_id=review.pk, version_id=report_version.pk)


@login_required
@require_POST
def approve(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_approve_for_board(u))
    try:
        services.review_approve(by=request.user, review=review, confirmed=request.POST.get("confirm") == "yes")
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The report is approved by the board")
    return redirect("reviews:report", review_id=review.pk)


