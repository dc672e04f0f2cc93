from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casereview.partnership.models import Board

from . import forms as f
from . import selectors, services
from .models import (
    AgencyRequest,
    CaseGroupComment,
    CaseGroupMember,
    Extension,
    Finding,
    Milestone,
    ParallelProcess,
    Recommendation,
    ReportVersion,
    Review,
    ReviewMember,
)
from .permissions import (
    can_accept_hits,
    can_approve_for_board,
    can_decide_extension,
    can_manage_reviews,
    can_quality_assure,
    can_write_findings,
    is_lead_reviewer_of,
)

SECTIONS = [
    ("detail", "Overview"),
    ("setup", "Terms of reference"),
    ("stages", "Stages"),
    ("people", "Review Group"),
    ("case_group", "Case Group"),
    ("family", "Family involvement"),
    ("timescale", "Timescale"),
    ("requests", "Agency information"),
    ("findings", "Findings"),
    ("report", "Report"),
    ("publication", "Publication"),
]


def _manage(user, review) -> bool:
    return can_manage_reviews(user)


def _write(user, review) -> bool:
    return can_write_findings(user, review)


def _report_reader(user, review) -> bool:
    return can_write_findings(user, review) or can_quality_assure(user) or can_approve_for_board(user)


def _get_review(request: HttpRequest, review_id: int, may: Callable | None = None) -> Review:
    """Scope first (404, revealing nothing), then the role (403)."""
    review = selectors.review_get_for_user(request.user, review_id)
    if may is not None and not may(request.user, review):
        raise PermissionDenied
    return review


def _page(request, review: Review, template: str, section: str, context: dict) -> HttpResponse:
    user = request.user
    context.update({
        "review": review, "section": section, "sections": SECTIONS, "today": timezone.localdate(),
        "can_manage": can_manage_reviews(user), "can_write": can_write_findings(user, review),
        "can_read_report": _report_reader(user, review),
    })
    return render(request, template, context)


def _apply(form, call) -> bool:
    """Run a service with a valid form; a refusal becomes an error on the right field. True on success."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except services.ReviewError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return False
    return True


def _yes(value: str) -> bool:
    return value == "yes"


# --- List, create and overview ----------------------------------------------------------------------------
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = selectors.reviews_visible_to(request.user).prefetch_related("extensions", "pauses")
    rows = [(review, selectors.review_timescale(review, today)) for review in reviews]
    return render(request, "reviews/list.html", {
        "rows": rows, "can_manage": can_manage_reviews(request.user),
        "consultations": selectors.consultations_for(request.user),
    })


@login_required
def review_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_reviews(request.user):
        raise PermissionDenied
    form = f.ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        created = {}

        def call(data):
            created["review"] = services.review_initiate(
                by=request.user, case=data["case"], type=data["type"], initiated_on=data["initiated_on"],
                title=data["title"], reference=data["reference"], methodology=data["methodology"])

        if _apply(form, call):
            messages.success(request, f"Review {created['review'].reference} set up")
            return redirect("reviews:setup", review_id=created["review"].pk)
    return render(request, "reviews/create.html", {"form": form})


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    services.review_viewed(by=request.user, review=review, page="overview")
    today = timezone.localdate()
    return _page(request, review, "reviews/detail.html", "detail", {
        "timescale": selectors.review_timescale(review, today),
        "milestones": review.milestones.select_related("owner"),
        "leads": review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True)
        .select_related("user"),
        "parallel": review.parallel_processes.all(),
        "requests_open": review.agency_requests.filter(returned_on__isnull=True).count(),
        "requests_total": review.agency_requests.count(),
        "findings_count": review.findings.count(),
        "version": selectors.latest_version(review),
    })


@login_required
@require_POST
def start_analysis(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        services.review_start_analysis(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The review has moved to information gathering and analysis")
    return redirect("reviews:detail", review_id=review.pk)


# --- Terms of reference, stages and parallel processes -----------------------------------------------------
@login_required
def setup(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    editable = can_manage_reviews(request.user)
    initial = {"title": review.title, "type": review.type, "methodology": review.methodology,
               "period_start": review.period_start, "period_end": review.period_end, "questions": review.questions,
               "agencies_in_scope": list(review.agencies_in_scope.all()),
               "proportionality_rationale": review.proportionality_rationale}
    form = f.SetupForm(request.POST or None, initial=initial, review=review) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if _apply(form, lambda d: services.review_update_setup(by=request.user, review=review, **d)):
            messages.success(request, "Terms of reference saved")
            return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/setup.html", "setup", {
        "form": form, "parallel": review.parallel_processes.select_related("updated_by"),
        "agencies": review.agencies_in_scope.all()})


@login_required
def parallel(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.ParallelProcessForm(request.POST or None)
    if request.method == "POST" and _apply(
            form, lambda d: services.parallel_process_save(by=request.user, review=review, **d)):
        messages.success(request, "Parallel process recorded")
        return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": "Add a parallel process", "button": "Save",
        "back": ("reviews:setup", "Terms of reference")})


@login_required
def parallel_edit(request: HttpRequest, review_id: int, process_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    process = get_object_or_404(ParallelProcess, pk=process_id, review=review)
    initial = {"kind": process.kind, "detail": process.detail, "status": process.status,
               "status_on": process.status_on}
    form = f.ParallelProcessForm(request.POST or None, initial=initial)
    if request.method == "POST" and _apply(
            form, lambda d: services.parallel_process_save(by=request.user, review=review, process=process, **d)):
        messages.success(request, "Parallel process updated")
        return redirect("reviews:setup", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "setup", {
        "form": form, "heading": f"Update: {process.get_kind_display()}", "button": "Save",
        "back": ("reviews:setup", "Terms of reference")})


@login_required
def stages(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.MilestoneForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.milestone_save(by=request.user, review=review, **d)):
            messages.success(request, "Stage added")
            return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/stages.html", "stages", {
        "form": form, "milestones": review.milestones.select_related("owner"),
        "timescale": selectors.review_timescale(review, timezone.localdate())})


@login_required
def stage_edit(request: HttpRequest, review_id: int, milestone_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    milestone = get_object_or_404(Milestone, pk=milestone_id, review=review)
    initial = {"name": milestone.name, "due_on": milestone.due_on, "completed_on": milestone.completed_on,
               "owner": milestone.owner, "notes": milestone.notes}
    form = f.MilestoneForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and _apply(
            form, lambda d: services.milestone_save(by=request.user, review=review, milestone=milestone, **d)):
        messages.success(request, f"Stage \u201c{milestone.name}\u201d saved")
        return redirect("reviews:stages", review_id=review.pk)
    return _page(request, review, "reviews/form_page.html", "stages", {
        "form": form, "heading": "Change a stage", "button": "Save", "back": ("reviews:stages", "Stages")})


@login_required
@require_POST
def stages_template(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        created = services.stages_apply_template(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(created)} stages of the {review.get_methodology_display()} added")
    return redirect("reviews:stages", review_id=review.pk)


# --- People -----------------------------------------------------------------------------------------------
@login_required
def people(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.MemberForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied

        def call(d):
            services.member_add(by=request.user, review=review, user=d["user"], role=d["role"],
                                has_conflict=_yes(d["has_conflict"]), conflict_details=d["conflict_details"],
                                involved_in_case=_yes(d["involved_in_case"]))

        if _apply(form, call):
            messages.success(request, f"{form.cleaned_data['user']} added to the Review Group")
            return redirect("reviews:people", review_id=review.pk)
    return _page(request, review, "reviews/people.html", "people", {
        "form": form,
        "members": review.members.filter(removed_at__isnull=True).select_related("user", "user__agency",
                                                                                 "represents"),
        "removed": review.members.filter(removed_at__isnull=False).select_related("user")})


@login_required
@require_POST
def member_remove(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    member = get_object_or_404(ReviewMember, pk=member_id, review=review, removed_at__isnull=True)
    services.member_remove(by=request.user, member=member)
    messages.success(request, f"{member.user} removed from the Review Group")
    return redirect("reviews:people", review_id=review.pk)


@login_required
def case_group(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.CaseGroupAddForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.case_group_add(by=request.user, review=review, **d)):
            messages.success(request, f"{form.cleaned_data['user']} added to the Case Group")
            return redirect("reviews:case_group", review_id=review.pk)
    members = review.case_group.select_related("user", "agency")
    return _page(request, review, "reviews/case_group.html", "case_group", {
        "form": form, "members": members,
        "status_forms": {m.pk: f.CaseGroupStatusForm(prefix=f"m{m.pk}") for m in members},
        "suggested": services.case_group_candidates(review)[:20] if form else []})


@login_required
@require_POST
def case_group_status(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    member = get_object_or_404(CaseGroupMember, pk=member_id, review=review)
    form = f.CaseGroupStatusForm(request.POST, prefix=f"m{member.pk}")
    if _apply(form, lambda d: services.case_group_update(by=request.user, member=member, **d)):
        messages.success(request, f"{member.user}: {member.get_status_display().lower()}")
        return redirect("reviews:case_group", review_id=review.pk)
    members = review.case_group.select_related("user", "agency")
    status_forms = {m.pk: f.CaseGroupStatusForm(prefix=f"m{m.pk}") for m in members}
    status_forms[member.pk] = form
    return _page(request, review, "reviews/case_group.html", "case_group", {
        "form": f.CaseGroupAddForm(review=review), "members": members, "status_forms": status_forms,
        "forms": [form], "suggested": services.case_group_candidates(review)[:20]})


@login_required
def family(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    editable = can_manage_reviews(request.user) or is_lead_reviewer_of(request.user, review)
    initial = {k: getattr(review, k) for k in ("family_status", "family_invited_on", "family_how",
                                                "family_expectations", "family_contributions")}
    form = f.FamilyForm(request.POST or None, initial=initial) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.family_update(by=request.user, review=review, **d)):
            messages.success(request, "Family involvement saved")
            return redirect("reviews:family", review_id=review.pk)
    return _page(request, review, "reviews/family.html", "family", {"form": form})


# --- Timescale --------------------------------------------------------------------------------------------
def _timescale_page(request, review: Review, **bound) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "timescale": selectors.review_timescale(review, today),
        "extensions": review.extensions.select_related("requested_by", "decided_by"),
        "pauses": review.pauses.all(),
        "points": review.interim_points.select_related("agency", "finding", "pause"),
        "can_decide": can_decide_extension(request.user),
        "extension_form": bound.get("extension_form") or f.ExtensionForm(prefix="ext"),
        "decision_form": bound.get("decision_form") or f.ExtensionDecisionForm(prefix="dec"),
        "pause_form": bound.get("pause_form") or f.PauseStartForm(prefix="pause"),
        "resume_form": bound.get("resume_form") or f.PauseEndForm(prefix="resume"),
        "point_form": bound.get("point_form") or f.InterimPointForm(prefix="point", review=review),
        "forms": [form for form in bound.values()],
    }
    return _page(request, review, "reviews/timescale.html", "timescale", context)


@login_required
def timescale(request: HttpRequest, review_id: int) -> HttpResponse:
    return _timescale_page(request, _get_review(request, review_id))


@login_required
@require_POST
def extension_request(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.ExtensionForm(request.POST, prefix="ext")
    if _apply(form, lambda d: services.extension_request(by=request.user, review=review, **d)):
        messages.success(request, "Extension requested: the Independent Chair will decide")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, extension_form=form)


@login_required
@require_POST
def extension_decide(request: HttpRequest, review_id: int, extension_id: int) -> HttpResponse:
    review = _get_review(request, review_id, lambda u, r: can_decide_extension(u))
    extension = get_object_or_404(Extension, pk=extension_id, review=review)
    form = f.ExtensionDecisionForm(request.POST, prefix="dec")

    def call(d):
        services.extension_decide(by=request.user, extension=extension, approve=d["decision"] == "approve",
                                  note=d["note"])

    if _apply(form, call):
        messages.success(request, f"Extension {extension.get_decision_display().lower()}")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, decision_form=form)


@login_required
@require_POST
def pause_start(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = f.PauseStartForm(request.POST, prefix="pause")
    if _apply(form, lambda d: services.pause_start(by=request.user, review=review, **d)):
        messages.success(request, "Review paused for court proceedings. Record improvement points and corrective "
                                  "actions while it is paused")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, pause_form=form)


@login_required
@require_POST
def pause_end(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    pause = review.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise Http404("The review is not paused")
    form = f.PauseEndForm(request.POST, prefix="resume")
    if _apply(form, lambda d: services.pause_end(by=request.user, pause=pause, **d)):
        messages.success(request, "Review resumed. Interim points are carried forward to the findings")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, resume_form=form)


@login_required
@require_POST
def interim_add(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    form = f.InterimPointForm(request.POST, prefix="point", review=review)
    if _apply(form, lambda d: services.interim_point_add(by=request.user, review=review, **d)):
        messages.success(request, "Recorded")
        return redirect("reviews:timescale", review_id=review.pk)
    return _timescale_page(request, review, point_form=form)


# --- Agency information -------------------------------------------------------------------------------------
def _requests_page(request, review, form=None, return_form=None, return_id=None) -> HttpResponse:
    today = timezone.localdate()
    from casereview.lib.clocks import clock_status

    rows = [(r, clock_status(r.due_on, today, met_on=r.returned_on))
            for r in review.agency_requests.select_related("agency")]
    editable = can_manage_reviews(request.user)
    return _page(request, review, "reviews/requests.html", "requests", {
        "rows": rows, "form": (form or f.AgencyRequestForm(review=review)) if editable else None,
        "return_form": return_form or f.AgencyReturnForm(prefix="ret"), "return_id": return_id,
        "forms": [x for x in (return_form,) if x is not None]})


@login_required
def requests(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    if request.method == "POST":
        if not can_manage_reviews(request.user):
            raise PermissionDenied
        form = f.AgencyRequestForm(request.POST, review=review)
        if _apply(form, lambda d: services.agency_request_add(by=request.user, review=review, **d)):
            messages.success(request, f"Request to {form.cleaned_data['agency']} recorded")
            return redirect("reviews:requests", review_id=review.pk)
        return _requests_page(request, review, form=form)
    return _requests_page(request, review)


@login_required
@require_POST
def request_returned(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    agency_request = get_object_or_404(AgencyRequest, pk=request_id, review=review)
    form = f.AgencyReturnForm(request.POST, prefix="ret")
    if _apply(form, lambda d: services.agency_request_returned(by=request.user, request=agency_request, **d)):
        messages.success(request, f"Return from {agency_request.agency} recorded")
        return redirect("reviews:requests", review_id=review.pk)
    return _requests_page(request, review, return_form=form, return_id=agency_request.pk)


# --- Findings, recommendations, consultation -----------------------------------------------------------------
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


@login_required
@require_POST
def consultation_open(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    try:
        if review.consultation_opened_on and not review.consultation_closed_on:
            services.consultation_close(by=request.user, review=review)
            messages.success(request, "The consultation is closed")
        else:
            services.consultation_open(by=request.user, review=review)
            messages.success(request, "The Case Group has been asked for comments on the draft findings")
    except services.ReviewError as error:
        messages.error(request, error.message)
    return redirect("reviews:findings", review_id=review.pk)


@login_required
def comment_respond(request: HttpRequest, review_id: int, comment_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    comment = get_object_or_404(CaseGroupComment.objects.select_related("finding", "member__user"),
                                pk=comment_id, finding__review=review)
    form = f.ResponseForm(request.POST or None, initial={"outcome": comment.outcome, "response": comment.response})
    if request.method == "POST" and _apply(
            form, lambda d: services.comment_respond(by=request.user, comment=comment, **d)):
        messages.success(request, "Response recorded")
        return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/respond.html", "findings", {"form": form, "comment": comment})


@login_required
def consultation(request: HttpRequest, review_id: int) -> HttpResponse:
    """A Case Group member's own page: the draft findings, their comments and the Review Group's replies."""
    member = selectors.case_group_membership(request.user, review_id)
    review = member.review
    is_open = bool(review.consultation_opened_on and not review.consultation_closed_on)
    form = f.CommentForm(request.POST or None, review=review) if is_open else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "The consultation on the draft findings is not open")
            return redirect("reviews:consultation", review_id=review.pk)
        if _apply(form, lambda d: services.comment_add(by=request.user, member=member, **d)):
            messages.success(request, "Thank you: your comment has been sent to the Review Group")
            return redirect("reviews:consultation", review_id=review.pk)
    return render(request, "reviews/consultation.html", {
        "review": review, "member": member, "form": form, "is_open": is_open,
        "findings": review.findings.all(),
        "my_comments": CaseGroupComment.objects.filter(member=member).select_related("finding")})


# --- Report -----------------------------------------------------------------------------------------------
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
    latest = selectors.latest_version(review)
    checklist = checklist_form or f.ChecklistForm(prefix="chk", initial={
        k: getattr(version, k) for k in ("check_analysis", "check_plain_english", "check_publishable",
                                         "check_good_practice")})
    return _page(request, review, "reviews/version.html", "report", {
        "version": version, "check": check, "is_latest": version == latest, "hit_forms": hit_forms,
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
        services.review_approve(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The report is approved by the board")
    return redirect("reviews:report", review_id=review.pk)


# --- Publication ------------------------------------------------------------------------------------------
def _publication_page(request, review, **bound) -> HttpResponse:
    today = timezone.localdate()
    planned = review.planned_publication_on
    return _page(request, review, "reviews/publication.html", "publication", {
        "blockers": services.publication_blockers(review, today),
        "panel_due": selectors.prepublication_due(review, planned) if planned else None,
        "panel_clock": selectors.board_clock(review.board, ("prepublication-copy",)),
        "online_until": selectors.online_until(review),
        "latest": selectors.latest_version(review),
        "plan_form": bound.get("plan_form") or f.PlanForm(prefix="plan", initial={"planned_publication_on": planned}),
        "panel_form": bound.get("panel_form") or f.PanelCopyForm(prefix="panel"),
        "statement_form": bound.get("statement_form") or f.StatementForm(prefix="st",
                                                                         initial=_statement_prefill(review)),
        "not_form": bound.get("not_form") or f.NotPublishForm(prefix="not"),
        "forms": list(bound.values())})


def _statement_prefill(review: Review) -> dict[str, str]:
    """Saved text wins; otherwise a draft from the corrective actions recorded during the review (the first
    actions already taken) and from the review's action plans."""
    from casereview.actions.selectors import publication_statement

    points = review.interim_points.filter(kind="corrective").select_related("agency")
    interim = [f"- {p.text}" + (f" ({p.agency})" if p.agency_id else "") for p in points]
    drafted = publication_statement(review)
    return {
        "statement_actions_taken": review.statement_actions_taken
        or "\n".join(filter(None, [*interim, drafted["actions_taken"]])),
        "statement_impact": review.statement_impact or drafted["impact"],
        "statement_what_more": review.statement_what_more or drafted["what_more"],
    }


@login_required
def publication(request: HttpRequest, review_id: int) -> HttpResponse:
    return _publication_page(request, _get_review(request, review_id))


def _publication_post(form_name: str, form_class, prefix: str, call, success: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, review_id: int) -> HttpResponse:
        review = _get_review(request, review_id, _manage)
        form = form_class(request.POST, prefix=prefix)
        if _apply(form, lambda d: call(request.user, review, d)):
            messages.success(request, success)
            return redirect("reviews:publication", review_id=review.pk)
        return _publication_page(request, review, **{form_name: form})

    return view


publication_plan = _publication_post(
    "plan_form", f.PlanForm, "plan",
    lambda by, review, d: services.publication_plan(by=by, review=review, **d), "Planned publication date saved")
panel_copy = _publication_post(
    "panel_form", f.PanelCopyForm, "panel",
    lambda by, review, d: services.panel_copy_sent(by=by, review=review, **d), "Panel copy recorded as sent")
statement = _publication_post(
    "statement_form", f.StatementForm, "st",
    lambda by, review, d: services.statement_update(by=by, review=review, **d), "Statement saved")
not_publish = _publication_post(
    "not_form", f.NotPublishForm, "not",
    lambda by, review, d: services.review_not_publish(by=by, review=review, **d),
    "The decision not to publish has been recorded")


@login_required
@require_POST
def publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        services.review_publish(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, f"The report was not published. {error.message}")
    else:
        messages.success(request, "The report is published on the board's public page")
    return redirect("reviews:publication", review_id=review.pk)


# --- The public page (no sign-in) ---------------------------------------------------------------------------
def public_list(request: HttpRequest, board_slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    today = timezone.localdate()
    rows = []
    for review in selectors.published_reviews(board):
        until = selectors.online_until(review)
        rows.append({"review": review, "online_until": until, "online": until is None or today <= until})
    return render(request, "reviews/public_list.html", {"board": board, "rows": rows})


def public_download(request: HttpRequest, board_slug: str, review_id: int) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    review = selectors.published_reviews(board).filter(pk=review_id).first()
    if review is None:
        raise Http404("No published report")
    until = selectors.online_until(review)
    if until is not None and timezone.localdate() > until:
        raise Http404("This report is available on request")
    services.report_downloaded(by=request.user if request.user.is_authenticated else None, review=review,
                               version=review.published_version, public=True)
    return _file_response(review.published_version)
