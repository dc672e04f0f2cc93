"""Every change to a review: keyword-only, `by` first, one transaction, one audit event inside it.

Refusals raise ReviewError with a message written for the person who asked; nothing is half-written.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from casereview.audit.services import audit_record
from casereview.cases.models import Case
from casereview.cases.permissions import can_view_case
from casereview.cases.services import case_access_grant
from casereview.core.errors import ServiceError
from casereview.lib.documents import DocumentError, detect_document_type, extract_text
from casereview.notifications.services import email_queue

from . import selectors
from .methodologies import stage_plan
from .models import (
    AgencyRequest,
    CaseGroupComment,
    CaseGroupMember,
    Extension,
    Finding,
    HitAcceptance,
    InterimPoint,
    Milestone,
    ParallelProcess,
    Pause,
    Recommendation,
    ReportVersion,
    Review,
    ReviewMember,
)


class ReviewError(ServiceError):
    """A refused change; `field` names the form field the message belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def _today() -> date:
    return timezone.localdate()


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _not_future(value: date | None, what: str, field: str) -> None:
    if value and value > _today():
        raise ReviewError(f"{what} must be today or in the past", field)


# --- Initiation and set-up --------------------------------------------------------------------------------
def review_next_reference(*, board_id: int, year: int) -> str:
    prefix = f"REV-{year}-"
    taken = Review.objects.filter(board_id=board_id, reference__startswith=prefix).count()
    number = taken + 1
    while Review.objects.filter(board_id=board_id, reference=f"{prefix}{number:03d}").exists():
        number += 1
    return f"{prefix}{number:03d}"


def review_initiate(*, by, case: Case, type: str, initiated_on: date, title: str = "",
                    reference: str = "", methodology: str = "") -> Review:
    """Open a review of a case (called when the Chair decides, or by the Business Manager)."""
    reference = reference.strip()
    if reference and Review.objects.filter(board_id=case.board_id, reference__iexact=reference).exists():
        raise ReviewError(f"There is already a review with the reference {reference}", "reference")
    with transaction.atomic():
        review = Review.objects.create(
            board_id=case.board_id, case=case, type=type, initiated_on=initiated_on,
            title=title or case.pseudonym, methodology=methodology,
            reference=reference or review_next_reference(board_id=case.board_id, year=initiated_on.year),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(by=by, action="review.initiated", obj=review, detail={"type": type, "case": case.reference})
        if methodology:
            _apply_stages(review)
    return review


def _apply_stages(review: Review) -> list[Milestone]:
    timescale = selectors.review_timescale(review, _today())
    plan = stage_plan(review.methodology, review.initiated_on, timescale.target)
    return [Milestone.objects.create(review=review, position=i, name=name, due_on=due)
            for i, (name, due) in enumerate(plan, start=1)]


def review_update_setup(*, by, review: Review, type: str, methodology: str, period_start: date | None,
                        period_end: date | None, questions: str, agencies_in_scope, proportionality_rationale: str,
                        title: str) -> Review:
    if period_start and period_end and period_end < period_start:
        raise ReviewError("The end of the period under review must be the same as or after its start",
                          "period_end")
    if bool(period_start) != bool(period_end):
        raise ReviewError("Enter both the start and the end of the period under review",
                          "period_end" if period_start else "period_start")
    agencies = list(agencies_in_scope)
    if any(a.board_id != review.board_id for a in agencies):
        raise ReviewError("Choose agencies of this board", "agencies_in_scope")
    if type in (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED):
        for member in _lead_reviewers(review):
            if member.user.agency_id:
                raise ReviewError(
                    f"{member.user} leads this review and works for {member.user.agency}, a board agency: an SCR's "
                    "lead reviewer must be independent of every board agency. Replace the lead reviewer first.",
                    "type")
    with transaction.atomic():
        changed_methodology = methodology != review.methodology
        review.type, review.methodology, review.title = type, methodology, title.strip() or review.title
        review.period_start, review.period_end = period_start, period_end
        review.questions, review.proportionality_rationale = questions.strip(), proportionality_rationale.strip()
        review.save()
        review.agencies_in_scope.set(agencies)
        if changed_methodology and methodology and not review.milestones.exists():
            _apply_stages(review)
        audit_record(by=by, action="review.setup_updated", obj=review,
                     detail={"type": type, "methodology": methodology,
                             "agencies_in_scope": [a.short_code for a in agencies]})
    return review


def stages_apply_template(*, by, review: Review) -> list[Milestone]:
    """Replace the stages with the methodology's template (stages already completed are kept)."""
    if not review.methodology:
        raise ReviewError("Choose the review's methodology first")
    with transaction.atomic():
        review.milestones.filter(completed_on__isnull=True).delete()
        offset = review.milestones.aggregate(top=Max("position"))["top"] or 0
        created = _apply_stages(review)
        for milestone in created:
            milestone.position += offset
            milestone.save(update_fields=["position"])
        audit_record(by=by, action="review.stages_applied", obj=review, detail={"methodology": review.methodology})
    return created


def _check_milestone_dates(review: Review, due_on: date | None, completed_on: date | None) -> None:
    if due_on and due_on < review.initiated_on:
        raise ReviewError(f"The due date must be on or after the review started ({_fmt(review.initiated_on)})",
                          "due_on")
    if completed_on and completed_on < review.initiated_on:
        raise ReviewError("The date completed must be on or after the review started "
                          f"({_fmt(review.initiated_on)})", "completed_on")
    _not_future(completed_on, "The date completed", "completed_on")


def milestone_save(*, by, review: Review, milestone: Milestone | None = None, name: str, due_on: date | None,
                   completed_on: date | None, owner, notes: str = "") -> Milestone:
    _check_milestone_dates(review, due_on, completed_on)
    if owner is not None and owner.board_id != review.board_id:
        raise ReviewError("Choose an owner from this board", "owner")
    with transaction.atomic():
        if milestone is None:
            top = review.milestones.aggregate(top=Max("position"))["top"] or 0
            milestone = Milestone(review=review, position=top + 1)
        milestone.name, milestone.due_on, milestone.completed_on = name.strip(), due_on, completed_on
        milestone.owner, milestone.notes = owner, notes.strip()
        milestone.save()
        audit_record(by=by, action="review.stage_saved", obj=review,
                     detail={"stage": milestone.name, "due_on": str(due_on or ""),
                             "completed_on": str(completed_on or "")})
    return milestone


def parallel_process_save(*, by, review: Review, process: ParallelProcess | None = None, kind: str, detail: str,
                          status: str, status_on: date) -> ParallelProcess:
    _not_future(status_on, "The date of the status", "status_on")
    with transaction.atomic():
        process = process or ParallelProcess(review=review)
        process.kind, process.detail, process.status, process.status_on = kind, detail.strip(), status, status_on
        process.updated_by = by
        process.save()
        audit_record(by=by, action="review.parallel_process_saved", obj=review,
                     detail={"kind": kind, "status": status})
    return process


# --- People -----------------------------------------------------------------------------------------------
def _lead_reviewers(review: Review):
    return review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True) \
        .select_related("user", "user__agency")


def independence_problem(*, review: Review, user, involved_in_case: bool) -> str | None:
    """Why this person may not lead this review, or None (seed s.5 Appointing Reviewers, s.14 Review Group)."""
    if involved_in_case or review.case_group.filter(user=user).exists():
        return (f"{user} has been involved in this case, so cannot lead its review: a lead reviewer must be "
                "independent of the case")
    if review.is_scr and user.agency_id:
        return (f"{user} works for {user.agency}, a board agency: the lead reviewer of a Serious Case Review "
                "must be independent of every agency of the board. Internal lead reviewers are allowed only for "
                "other reviews, such as a Critical Incident Review")
    return None


def member_add(*, by, review: Review, user, role: str, has_conflict: bool, conflict_details: str,
               involved_in_case: bool) -> ReviewMember:
    if user.board_id != review.board_id or not user.is_active:
        raise ReviewError("Choose an active person of this board", "user")
    if has_conflict and not conflict_details.strip():
        raise ReviewError("Describe the conflict of interest", "conflict_details")
    if role == ReviewMember.Role.LEAD_REVIEWER:
        problem = independence_problem(review=review, user=user, involved_in_case=involved_in_case)
        if problem:
            raise ReviewError(problem, "user")
    elif not user.agency_id:
        raise ReviewError(f"{user} does not belong to an agency: senior managers on the Review Group represent "
                          "an agency. Add an independent person as a lead reviewer instead.", "user")
    if review.members.filter(user=user, removed_at__isnull=True).exists():
        raise ReviewError(f"{user} is already on the Review Group", "user")
    with transaction.atomic():
        member = ReviewMember.objects.create(
            review=review, user=user, role=role, represents=user.agency if role != "lead_reviewer" else None,
            has_conflict=has_conflict, conflict_details=conflict_details.strip() if has_conflict else "",
            involved_in_case=involved_in_case, added_by=by)
        if not can_view_case(user, review.case):
            case_access_grant(by=by, case=review.case, user=user,
                              reason=f"{member.get_role_display()} of review {review.reference}")
        audit_record(by=by, action="review.member_added", obj=review,
                     detail={"user_id": user.pk, "username": user.username, "role": role,
                             "conflict_declared": has_conflict})
    return member


def member_remove(*, by, member: ReviewMember) -> ReviewMember:
    with transaction.atomic():
        member.removed_at = timezone.now()
        member.save(update_fields=["removed_at"])
        audit_record(by=by, action="review.member_removed", obj=member.review,
                     detail={"user_id": member.user_id, "role": member.role})
    return member


def case_group_candidates(review: Review):
    """Suggested Case Group members: people of the involved agencies who wrote entries in this review's
    chronologies, those who wrote the most first; then the rest of the involved agencies' people."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from casereview.chronology.models import ChronologyEntry
    from casereview.partnership.models import User

    written = (ChronologyEntry.objects.filter(review=review, author=OuterRef("pk")).order_by()
               .values("author").annotate(n=Count("id")).values("n"))
    involved = review.case.case_agencies.values("agency_id")
    taken = review.case_group.values("user_id")
    leads = review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True).values("user_id")
    return (User.objects.filter(board_id=review.board_id, is_active=True, agency_id__in=involved)
            .exclude(pk__in=taken).exclude(pk__in=leads)
            .annotate(chronology_entries=Coalesce(Subquery(written, output_field=IntegerField()), Value(0)))
            .order_by("-chronology_entries", "first_name", "last_name").select_related("agency"))


def case_group_add(*, by, review: Review, user, involvement: str) -> CaseGroupMember:
    if user.board_id != review.board_id or not user.is_active:
        raise ReviewError("Choose an active person of this board", "user")
    if not user.agency_id or not review.case.case_agencies.filter(agency_id=user.agency_id).exists():
        raise ReviewError(f"{user} is not a practitioner of an agency involved in this case: the Case Group is "
                          "made up of practitioners of the involved agencies", "user")
    if review.case_group.filter(user=user).exists():
        raise ReviewError(f"{user} is already in the Case Group", "user")
    if review.members.filter(user=user, role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True).exists():
        raise ReviewError(f"{user} leads this review, so cannot also be in its Case Group", "user")
    with transaction.atomic():
        member = CaseGroupMember.objects.create(review=review, user=user, agency=user.agency,
                                                involvement=involvement.strip(), added_by=by)
        audit_record(by=by, action="review.case_group_added", obj=review,
                     detail={"user_id": user.pk, "agency": user.agency.short_code})
    return member


def case_group_update(*, by, member: CaseGroupMember, status: str, on: date) -> CaseGroupMember:
    _not_future(on, "The date", "on")
    if on < member.review.initiated_on:
        raise ReviewError(f"The date must be on or after the review started ({_fmt(member.review.initiated_on)})",
                          "on")
    if member.invited_on and status != CaseGroupMember.Status.INVITED and on < member.invited_on:
        raise ReviewError(f"The date must be on or after the invitation ({_fmt(member.invited_on)})", "on")
    with transaction.atomic():
        member.status, member.status_on = status, on
        if status == CaseGroupMember.Status.INVITED:
            member.invited_on = on
            if member.user.email:
                link = reverse("reviews:consultation", args=[member.review_id])
                email_queue(to=member.user.email, board_id=member.review.board_id, about=member.review, by=by,
                            subject=f"You are invited to the Case Group of review {member.review.reference}",
                            body=(f"You have been invited to the Case Group of review {member.review.reference} "
                                  "because of your part in the significant practice events. The Business Manager "
                                  "will be in touch about how you can contribute, and you will be asked for your "
                                  f"comments on the draft findings at {link} once they are ready."))
        member.save()
        audit_record(by=by, action="review.case_group_updated", obj=member.review,
                     detail={"user_id": member.user_id, "status": status})
    return member


def family_update(*, by, review: Review, family_status: str, family_invited_on: date | None, family_how: str,
                  family_expectations: str, family_contributions: str) -> Review:
    invited_states = {Review.FamilyStatus.INVITED, Review.FamilyStatus.CONTRIBUTING, Review.FamilyStatus.DECLINED}
    if family_status in invited_states and not family_invited_on:
        raise ReviewError("Enter the date the family was invited", "family_invited_on")
    _not_future(family_invited_on, "The date the family was invited", "family_invited_on")
    if family_status == Review.FamilyStatus.NOT_APPROPRIATE and not family_how.strip():
        raise ReviewError("Explain why the family is not being invited", "family_how")
    with transaction.atomic():
        review.family_status, review.family_invited_on = family_status, family_invited_on
        review.family_how, review.family_expectations = family_how.strip(), family_expectations.strip()
        review.family_contributions = family_contributions.strip()
        review.save()
        # No family member's name goes into the audit trail: only the status.
        audit_record(by=by, action="review.family_updated", obj=review, detail={"status": family_status})
    return review


# --- Timescale --------------------------------------------------------------------------------------------
def extension_request(*, by, review: Review, new_target_on: date, reason: str) -> Extension:
    timescale = selectors.review_timescale(review, _today())
    if new_target_on <= timescale.target:
        raise ReviewError(f"The new target date must be after the current target ({_fmt(timescale.target)})",
                          "new_target_on")
    if timescale.pending_extension:
        raise ReviewError("An extension is already waiting for a decision", "new_target_on")
    if not reason.strip():
        raise ReviewError("Explain why the review needs more time", "reason")
    with transaction.atomic():
        extension = Extension.objects.create(review=review, new_target_on=new_target_on, reason=reason.strip(),
                                             requested_by=by)
        audit_record(by=by, action="review.extension_requested", obj=review,
                     detail={"new_target_on": new_target_on.isoformat()})
    return extension


def extension_decide(*, by, extension: Extension, approve: bool, note: str) -> Extension:
    if extension.decision != Extension.Decision.PENDING:
        raise ReviewError("This extension has already been decided")
    if not approve and not note.strip():
        raise ReviewError("Explain why the extension is refused", "note")
    with transaction.atomic():
        extension.decision = Extension.Decision.APPROVED if approve else Extension.Decision.REFUSED
        extension.decision_note, extension.decided_by, extension.decided_at = note.strip(), by, timezone.now()
        extension.save()
        audit_record(by=by, action="review.extension_decided", obj=extension.review,
                     detail={"decision": extension.decision, "new_target_on": extension.new_target_on.isoformat()})
    return extension


def pause_start(*, by, review: Review, started_on: date, reason: str) -> Pause:
    if review.pauses.filter(ended_on__isnull=True).exists():
        raise ReviewError("The review is already paused", "started_on")
    if review.status in (Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED):
        raise ReviewError("A finished review cannot be paused", "started_on")
    if started_on < review.initiated_on:
        raise ReviewError(f"The pause must start on or after the review started ({_fmt(review.initiated_on)})",
                          "started_on")
    _not_future(started_on, "The date the pause started", "started_on")
    last = review.pauses.order_by("-ended_on").first()
    if last and last.ended_on and started_on < last.ended_on:
        raise ReviewError(f"The pause must start on or after the last pause ended ({_fmt(last.ended_on)})",
                          "started_on")
    if not reason.strip():
        raise ReviewError("Say which court proceedings are delaying the review", "reason")
    with transaction.atomic():
        pause = Pause.objects.create(review=review, started_on=started_on, reason=reason.strip(), started_by=by)
        audit_record(by=by, action="review.paused", obj=review, detail={"started_on": started_on.isoformat()})
    return pause


def pause_end(*, by, pause: Pause, ended_on: date) -> Pause:
    if pause.ended_on:
        raise ReviewError("This pause has already ended", "ended_on")
    if ended_on < pause.started_on:
        raise ReviewError(f"The pause cannot end before it started ({_fmt(pause.started_on)})", "ended_on")
    _not_future(ended_on, "The date the pause ended", "ended_on")
    with transaction.atomic():
        pause.ended_on, pause.ended_by = ended_on, by
        pause.save()
        audit_record(by=by, action="review.resumed", obj=pause.review,
                     detail={"ended_on": ended_on.isoformat(), "interim_points": pause.points.count()})
    return pause


def interim_point_add(*, by, review: Review, kind: str, text: str, agency, recorded_on: date) -> InterimPoint:
    if agency is not None and agency.board_id != review.board_id:
        raise ReviewError("Choose an agency of this board", "agency")
    if recorded_on < review.initiated_on:
        raise ReviewError(f"The date must be on or after the review started ({_fmt(review.initiated_on)})",
                          "recorded_on")
    _not_future(recorded_on, "The date recorded", "recorded_on")
    with transaction.atomic():
        point = InterimPoint.objects.create(
            review=review, pause=review.pauses.filter(ended_on__isnull=True).first(), kind=kind, text=text.strip(),
            agency=agency, recorded_on=recorded_on, recorded_by=by)
        audit_record(by=by, action="review.interim_point_added", obj=review, detail={"kind": kind})
    return point


# --- Agency information -----------------------------------------------------------------------------------
def agency_request_add(*, by, review: Review, agency, what: str, requested_on: date, due_on: date) -> AgencyRequest:
    if not review.case.case_agencies.filter(agency=agency).exists() and \
            not review.agencies_in_scope.filter(pk=agency.pk).exists():
        raise ReviewError(f"{agency} is not involved in the case or in the review's scope", "agency")
    if due_on <= requested_on:
        raise ReviewError("The deadline must be after the date of the request", "due_on")
    _not_future(requested_on, "The date of the request", "requested_on")
    if review.agency_requests.filter(agency=agency, returned_on__isnull=True).exists():
        raise ReviewError(f"{agency} already has a request waiting for its return", "agency")
    with transaction.atomic():
        request = AgencyRequest.objects.create(review=review, agency=agency, what=what.strip(),
                                               requested_on=requested_on, due_on=due_on, requested_by=by)
        audit_record(by=by, action="review.agency_request_sent", obj=review,
                     detail={"agency": agency.short_code, "due_on": due_on.isoformat()})
    return request


def agency_request_returned(*, by, request: AgencyRequest, returned_on: date, note: str) -> AgencyRequest:
    if request.returned_on:
        raise ReviewError("This return has already been recorded", "returned_on")
    if returned_on < request.requested_on:
        raise ReviewError(f"The return cannot be before the request ({_fmt(request.requested_on)})", "returned_on")
    _not_future(returned_on, "The date returned", "returned_on")
    with transaction.atomic():
        request.returned_on, request.return_note, request.returned_recorded_by = returned_on, note.strip(), by
        request.save()
        audit_record(by=by, action="review.agency_request_returned", obj=request.review,
                     detail={"agency": request.agency.short_code, "returned_on": returned_on.isoformat(),
                             "late": returned_on > request.due_on})
    return request


# --- State ------------------------------------------------------------------------------------------------
def _move(review: Review, transition, refusal: str) -> None:
    """Run a django-fsm transition; from the wrong state it is refused in words."""
    try:
        transition()
    except TransitionNotAllowed:
        raise ReviewError(f"{refusal}: the review is {review.get_status_display().lower()}") from None


def review_start_analysis(*, by, review: Review) -> Review:
    problems = []
    if not review.period_start:
        problems.append("record the period under review in the terms of reference")
    if not review.methodology:
        problems.append("choose the methodology")
    if not _lead_reviewers(review).exists():
        problems.append("appoint a lead reviewer")
    if problems:
        raise ReviewError("Before the review moves to information gathering and analysis, " +
                          ", ".join(problems))
    with transaction.atomic():
        _move(review, review.start_analysis, "The review is already past set-up")
        review.save()
        audit_record(by=by, action="review.analysis_started", obj=review)
    return review


# --- Findings, recommendations and the Case Group consultation ---------------------------------------------
def chronology_entries_for_refs(review: Review, refs_text: str) -> list:
    """The review's chronology entries named by event reference ("POL-004, CSC-012"); unknown ones refused."""
    from django.db.models import Q

    from casereview.chronology.models import ChronologyEntry

    refs = [r.strip() for r in refs_text.replace(";", ",").replace("\n", ",").split(",") if r.strip()]
    entries, missing = [], []
    for ref in dict.fromkeys(refs):
        entry = (ChronologyEntry.objects.filter(review=review, event_ref__iexact=ref)
                 .filter(Q(current_accepted=True) | Q(current_returned=True))
                 .order_by("-current_accepted", "-id").first())
        (entries.append(entry) if entry else missing.append(ref))
    if missing:
        raise ReviewError(f"No chronology entry {', '.join(missing)} in this review's chronologies: check the "
                          "event reference", "chronology_refs")
    return entries


def finding_save(*, by, review: Review, finding: Finding | None = None, kind: str, title: str, narrative: str,
                 evidence: str, themes, system_pattern: str, contributory_factors: str,
                 interim_points=(), chronology_refs: str = "") -> Finding:
    entries = chronology_entries_for_refs(review, chronology_refs)
    themes = list(themes)
    if any(t.board_id != review.board_id for t in themes):
        raise ReviewError("Choose themes from this board's typology", "themes")
    points = list(interim_points)
    if any(p.review_id != review.pk for p in points):
        raise ReviewError("Choose interim points of this review", "interim_points")
    with transaction.atomic():
        if finding is None:
            top = review.findings.aggregate(top=Max("number"))["top"] or 0
            finding = Finding(review=review, number=top + 1, created_by=by)
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
        # Seed s.6: learning the board has seen before raises "why was it not sustained?" straight away.
        from casereview.learning.services import recurring_record

        recurring_record(by=by, finding=finding)
    return finding


def recommendation_save(*, by, review: Review, recommendation: Recommendation | None = None, text: str,
                        level: str, findings, target_agencies) -> Recommendation:
    findings, agencies = list(findings), list(target_agencies)
    if not findings:
        raise ReviewError("Choose the finding or findings this recommendation answers", "findings")
    if any(f.review_id != review.pk for f in findings):
        raise ReviewError("Choose findings of this review", "findings")
    if any(a.board_id != review.board_id for a in agencies):
        raise ReviewError("Choose agencies of this board", "target_agencies")
    if level == Recommendation.Level.SINGLE_AGENCY and len(agencies) != 1:
        raise ReviewError("A single-agency recommendation is for exactly one agency: choose one", "target_agencies")
    with transaction.atomic():
        if recommendation is None:
            top = review.recommendations.aggregate(top=Max("number"))["top"] or 0
            recommendation = Recommendation(review=review, number=top + 1)
        recommendation.text, recommendation.level = text.strip(), level
        recommendation.save()
        recommendation.findings.set(findings)
        recommendation.target_agencies.set(agencies)
        audit_record(by=by, action="review.recommendation_saved", obj=review,
                     detail={"recommendation": recommendation.number, "level": level})
    return recommendation


def consultation_open(*, by, review: Review) -> Review:
    if not review.findings.exists():
        raise ReviewError("Record the draft findings before consulting the Case Group")
    invited = review.case_group.filter(status__in=["invited", "accepted", "contributed"])
    if not invited.exists():
        raise ReviewError("Invite the Case Group before consulting them on the findings")
    with transaction.atomic():
        review.consultation_opened_on, review.consultation_closed_on = _today(), None
        review.save(update_fields=["consultation_opened_on", "consultation_closed_on"])
        for member in invited.select_related("user"):
            if member.user.email:
                email_queue(to=member.user.email, board_id=review.board_id, about=review, by=by,
                            subject=f"Draft findings of review {review.reference}: your comments",
                            body=("The Review Group would like your comments and any corrections on the draft "
                                  f"findings of review {review.reference}. Sign in to CaseReview and open "
                                  f"{reverse('reviews:consultation', args=[review.pk])}"))
        audit_record(by=by, action="review.consultation_opened", obj=review, detail={"invited": invited.count()})
    return review


def consultation_close(*, by, review: Review) -> Review:
    with transaction.atomic():
        review.consultation_closed_on = _today()
        review.save(update_fields=["consultation_closed_on"])
        audit_record(by=by, action="review.consultation_closed", obj=review)
    return review


def comment_add(*, by, member: CaseGroupMember, finding: Finding, kind: str, text: str) -> CaseGroupComment:
    review = member.review
    if member.user_id != by.pk:
        raise ReviewError("Only the Case Group member can comment in their own name")
    if not review.consultation_opened_on or review.consultation_closed_on:
        raise ReviewError("The consultation on the draft findings is not open")
    if finding.review_id != review.pk:
        raise ReviewError("Choose a finding of this review", "finding")
    if not text.strip():
        raise ReviewError("Enter your comment or correction", "text")
    with transaction.atomic():
        comment = CaseGroupComment.objects.create(finding=finding, member=member, kind=kind, text=text.strip())
        if member.status != CaseGroupMember.Status.CONTRIBUTED:
            member.status, member.status_on = CaseGroupMember.Status.CONTRIBUTED, _today()
            member.save(update_fields=["status", "status_on"])
        audit_record(by=by, action="review.case_group_commented", obj=review,
                     detail={"finding": finding.number, "kind": kind})
    return comment


def comment_respond(*, by, comment: CaseGroupComment, outcome: str, response: str) -> CaseGroupComment:
    if not response.strip():
        raise ReviewError("Enter the Review Group's response", "response")
    with transaction.atomic():
        comment.outcome, comment.response = outcome, response.strip()
        comment.responded_by, comment.responded_at = by, timezone.now()
        comment.save()
        audit_record(by=by, action="review.case_group_answered", obj=comment.finding.review,
                     detail={"finding": comment.finding.number, "outcome": outcome})
    return comment


# --- Report versions, checklist, QA and approval ------------------------------------------------------------
def _next_version_number(review: Review) -> int:
    return (review.report_versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _editable_report(review: Review) -> None:
    if review.status not in (Review.Status.ANALYSIS, Review.Status.REPORT_QA):
        raise ReviewError(f"A new report version can be added while the review is in analysis or quality "
                          f"assurance; it is {review.get_status_display().lower()}")


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
    return version


def version_write(*, by, review: Review, text: str, note: str = "") -> ReportVersion:
    _editable_report(review)
    if not text.strip():
        raise ReviewError("Write the report", "text")
    with transaction.atomic():
        version = ReportVersion.objects.create(
            review=review, number=_next_version_number(review), source="written", kind="txt",
            size=len(text.encode()), text=text.strip(), note=note.strip(), created_by=by)
        audit_record(by=by, action="review.report_version_added", obj=review,
                     detail={"version": version.number, "source": "written"})
    return version


def version_checklist(*, by, version: ReportVersion, check_analysis: bool, check_plain_english: bool,
                      check_publishable: bool, check_good_practice: bool) -> ReportVersion:
    if version.qa_signed_off_at:
        raise ReviewError("This version has been signed off: add a new version to change its checklist")
    with transaction.atomic():
        version.check_analysis, version.check_plain_english = check_analysis, check_plain_english
        version.check_publishable, version.check_good_practice = check_publishable, check_good_practice
        version.checklist_by, version.checklist_at = by, timezone.now()
        version.save()
        audit_record(by=by, action="review.report_checklist_saved", obj=version.review,
                     detail={"version": version.number, "complete": version.checklist_complete})
    return version


def hit_accept(*, by, version: ReportVersion, fingerprint: str, reason: str) -> HitAcceptance:
    if not reason.strip():
        raise ReviewError("Explain why this can be published as it is", "reason")
    check = selectors.version_check(version)
    hit = next((h for h in check.open_hits if h.fingerprint == fingerprint), None)
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
    if not review.report_versions.exists():
        raise ReviewError("Add a report version before sending the report for quality assurance")
    with transaction.atomic():
        _move(review, review.submit_for_qa, "The report can be sent for quality assurance during analysis")
        review.save()
        audit_record(by=by, action="review.submitted_for_qa", obj=review,
                     detail={"version": selectors.latest_version(review).number})
    return review


def review_return_to_analysis(*, by, review: Review, reason: str) -> Review:
    if not reason.strip():
        raise ReviewError("Say what needs to change in the report", "reason")
    with transaction.atomic():
        _move(review, review.return_to_analysis, "Only a report in quality assurance can be returned")
        review.save()
        audit_record(by=by, action="review.returned_from_qa", obj=review, detail={"reason": reason.strip()[:500]})
    return review


def version_qa_sign_off(*, by, version: ReportVersion, comments: str) -> ReportVersion:
    review = version.review
    if review.status != Review.Status.REPORT_QA:
        raise ReviewError("Quality assurance sign-off is given while the report is in quality assurance")
    if version != selectors.latest_version(review):
        raise ReviewError("Only the latest version can be signed off")
    if not version.checklist_complete:
        raise ReviewError("Complete the quality checklist before signing off")
    with transaction.atomic():
        version.qa_signed_off_by, version.qa_signed_off_at = by, timezone.now()
        version.qa_comments = comments.strip()
        version.save()
        audit_record(by=by, action="review.report_qa_signed_off", obj=review, detail={"version": version.number})
    return version


def review_approve(*, by, review: Review) -> Review:
    version = selectors.latest_version(review)
    if review.status != Review.Status.REPORT_QA or version is None:
        raise ReviewError("The board approves a report that is in quality assurance")
    if not version.qa_signed_off_at:
        raise ReviewError(f"Version {version.number} needs the SCR Committee's quality assurance sign-off first")
    with transaction.atomic():
        version.board_approved_by, version.board_approved_at = by, timezone.now()
        version.save()
        _move(review, review.approve, "The board approves a report that is in quality assurance")
        review.approved_on = _today()
        review.save()
        audit_record(by=by, action="review.approved", obj=review, detail={"version": version.number})
    return review


# --- Publication ------------------------------------------------------------------------------------------
def publication_plan(*, by, review: Review, planned_publication_on: date) -> Review:
    if planned_publication_on < _today():
        raise ReviewError("The planned publication date must be today or in the future", "planned_publication_on")
    with transaction.atomic():
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
    if sent_on < review.initiated_on:
        raise ReviewError("The date the copy was sent must be after the review started", "sent_on")
    with transaction.atomic():
        review.panel_copy_sent_on, review.panel_copy_version = sent_on, version
        review.save(update_fields=["panel_copy_sent_on", "panel_copy_version"])
        audit_record(by=by, action="review.panel_copy_sent", obj=review,
                     detail={"sent_on": sent_on.isoformat(), "version": version.number})
    return review


def statement_update(*, by, review: Review, statement_actions_taken: str, statement_impact: str,
                     statement_what_more: str) -> Review:
    with transaction.atomic():
        review.statement_actions_taken = statement_actions_taken.strip()
        review.statement_impact = statement_impact.strip()
        review.statement_what_more = statement_what_more.strip()
        review.save(update_fields=["statement_actions_taken", "statement_impact", "statement_what_more"])
        audit_record(by=by, action="review.statement_updated", obj=review)
    return review


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
    if not review.planned_publication_on:
        blockers.append("Record the planned publication date")
    if review.is_scr:
        due = selectors.prepublication_due(review, today)
        if not review.panel_copy_sent_on:
            blockers.append("Record that the National Panel has been sent its copy: it must have it by "
                            f"{_fmt(due)} to publish today")
        elif review.panel_copy_version_id != version.pk:
            blockers.append(f"The Panel was sent version {review.panel_copy_version.number}: send them version "
                            f"{version.number} and record it")
        elif review.panel_copy_sent_on > due:
            earliest = today
            while selectors.prepublication_due(review, earliest) < review.panel_copy_sent_on:
                earliest += timedelta(days=1)
            length = selectors.board_clock(review.board, ("prepublication-copy",)).length_text
            blockers.append(f"The Panel's copy was sent on {_fmt(review.panel_copy_sent_on)}: it must have it "
                            f"{length} publication, so the report can be published from {_fmt(earliest)}")
    return blockers


def review_publish(*, by, review: Review) -> Review:
    today = _today()
    blockers = publication_blockers(review, today)
    if blockers:
        raise ReviewError(blockers[0])
    version = selectors.latest_version(review)
    with transaction.atomic():
        _move(review, review.publish, "Only an approved report can be published")
        review.published_on, review.published_version = today, version
        review.save()
        audit_record(by=by, action="review.published", obj=review, detail={"version": version.number})
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
        _move(review, review.decide_not_to_publish, "A decision about publication follows board approval")
        review.not_published_reason, review.panel_advice = reason.strip(), panel_advice.strip()
        review.panel_advice_on = panel_advice_on
        review.save()
        audit_record(by=by, action="review.not_published", obj=review)
    return review


def report_downloaded(*, by, review: Review, version: ReportVersion, public: bool) -> None:
    with transaction.atomic():
        audit_record(by=by, action="review.report_downloaded" if not public else "review.public_report_downloaded",
                     obj=review, board_id=review.board_id, detail={"version": version.number})


def review_viewed(*, by, review: Review, page: str) -> None:
    with transaction.atomic():
        audit_record(by=by, action="review.viewed", obj=review, detail={"page": page})
