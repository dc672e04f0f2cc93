"""Every change to a referral: keyword-only, `by=` first, one transaction, audited inside it."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.cases.models import Case, CaseAgency, CasePerson
from casereview.core.errors import ServiceError
from casereview.core.links import absolute_url
from casereview.deadlines.services import board_today, remind_once, reminder_kind
from casereview.lib.clocks import clock_status
from casereview.lib.documents import DocumentError, detect_document_type
from casereview.notifications.services import email_queue
from casereview.partnership.models import User
from casereview.partnership.roles import Role
from casereview.reviews.models import Review
from casereview.reviews.services import review_initiate

from .clocks import referral_clocks
from .models import (
    ChairDecision,
    CirConsideration,
    CriterionAnswer,
    DecisionMatrix,
    InformationRequest,
    LearningQuestion,
    PanelNotice,
    Referral,
)


class ReferralError(ServiceError):
    """A change refused for a reason the user can fix; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


class ConflictError(ReferralError):
    pass


CONFLICT_MESSAGE = ("Someone else changed this referral while you were editing it. Your changes have not been "
                    "saved: reopen the referral to see the latest version, then make your changes again")

REFERRAL_FIELDS = (
    "protective_marking", "purpose", "referrer_name", "referrer_role", "referrer_contact", "referrer_email",
    "referred_on", "lead_consulted_name", "lead_consulted_role", "lead_consulted_contact", "incident_date",
    "where_and_with_whom", "plan_status", "plan_category", "looked_after", "open_to_csc", "criteria",
    "narrative", "key_dates",
)
CHILD_FIELDS = ("full_name", "date_of_birth", "date_of_death", "gender", "ethnicity", "address", "postcode")

REVIEW_TYPE_FOR = {
    ChairDecision.Decision.SCR_INTENSIVE: Review.Type.SCR_INTENSIVE,
    ChairDecision.Decision.SCR_TARGETED: Review.Type.SCR_TARGETED,
    CirConsideration.Outcome.CIR: Review.Type.CIR,
    CirConsideration.Outcome.LEARNING_REVIEW: Review.Type.LEARNING_REVIEW,
    CirConsideration.Outcome.INDIVIDUAL_AGENCY: Review.Type.INDIVIDUAL_AGENCY,
}


# --- helpers ---------------------------------------------------------------------------------------------
def _people_with_role(board_id: int, *roles: str):
    return User.objects.filter(board_id=board_id, is_active=True, role_grants__role__in=roles).distinct()


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def _link(referral: Referral) -> str:
    return absolute_url("referrals:detail", referral.pk)


def _notify(*, by, referral: Referral, users, subject: str, body: str) -> list[str]:
    sent = []
    for to in _emails(users):
        email_queue(to=to, subject=subject, body=body, board_id=referral.board_id, about=referral, by=by)
        sent.append(to)
    return sent


def _bump_version(referral: Referral, expected: int) -> None:
    """Claim the next version, or refuse: another save got there first."""
    updated = Referral.objects.filter(pk=referral.pk, version=expected).update(version=F("version") + 1)
    if not updated:
        raise ConflictError(CONFLICT_MESSAGE)
    referral.version = expected + 1


def _pseudonym(full_name: str) -> str:
    initial = next((c for c in full_name.strip() if c.isalpha()), "X").upper()
    return f"Child {initial}"


def referral_next_reference(*, board_id: int, year: int) -> str:
    prefix = f"REF-{year}-"
    taken = Referral.objects.filter(board_id=board_id, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def _set_agencies(case: Case, agencies, no_longer_involved) -> None:
    wanted = {a.pk for a in agencies}
    gone = {a.pk for a in no_longer_involved}
    CaseAgency.objects.filter(case=case).exclude(agency_id__in=wanted).delete()
    for agency in agencies:
        link, _ = CaseAgency.objects.get_or_create(case=case, agency=agency)
        still = agency.pk not in gone
        if link.still_involved != still:
            link.still_involved = still
            link.save(update_fields=["still_involved"])


# --- the referral itself ---------------------------------------------------------------------------------
def referral_create(*, by, data: dict, child: dict, agencies, no_longer_involved=()) -> Referral:
    """A draft referral and its case (the child and the agencies involved)."""
    if by.agency_id is None:
        raise ReferralError("Only someone who works for one of the board's agencies can raise a referral")
    with transaction.atomic():
        reference = referral_next_reference(board_id=by.board_id, year=board_today().year)
        case = Case.objects.create(board_id=by.board_id, reference=reference,
                                   pseudonym=_pseudonym(child["full_name"]), created_by=by)
        CasePerson.objects.create(case=case, relationship=CasePerson.Relationship.SUBJECT_CHILD,
                                  anonymised_label=case.pseudonym, **{k: child.get(k) or _blank(k) for k in CHILD_FIELDS})
        _set_agencies(case, agencies, no_longer_involved)
        referral = Referral.objects.create(board_id=by.board_id, case=case, reference=reference, created_by=by,
                                           referrer_agency_id=by.agency_id,
                                           **{k: data[k] for k in REFERRAL_FIELDS if k in data})
        audit_record(by=by, action="referral.created", obj=referral)
    return referral


def _blank(field: str):
    return None if field.startswith("date_") else ""


def referral_update(*, by, referral: Referral, version: int, data: dict, child: dict, agencies,
                    no_longer_involved=()) -> Referral:
    with transaction.atomic():
        _bump_version(referral, version)
        for key in REFERRAL_FIELDS:
            if key in data:
                setattr(referral, key, data[key])
        referral.save(update_fields=[k for k in REFERRAL_FIELDS if k in data])
        person = referral.case.subject_child
        for key in CHILD_FIELDS:
            setattr(person, key, child.get(key) or _blank(key))
        person.save()
        _set_agencies(referral.case, agencies, no_longer_involved)
        audit_record(by=by, action="referral.updated", obj=referral, detail={"version": referral.version})
    return referral


def referral_person_add(*, by, referral: Referral, relationship: str, full_name: str,
                        date_of_birth: date | None = None, address: str = "") -> CasePerson:
    with transaction.atomic():
        base = CasePerson.Relationship(relationship).label
        taken = set(referral.case.people.values_list("anonymised_label", flat=True))
        label, n = base, 1
        while label in taken:
            n += 1
            label = f"{base} {n}"
        person = CasePerson.objects.create(case=referral.case, relationship=relationship, full_name=full_name,
                                           anonymised_label=label, date_of_birth=date_of_birth, address=address)
        audit_record(by=by, action="referral.person_added", obj=referral, detail={"label": label})
    return person


def referral_person_remove(*, by, referral: Referral, person: CasePerson) -> None:
    if person.relationship == CasePerson.Relationship.SUBJECT_CHILD:
        raise ReferralError("The child the referral is about cannot be removed")
    with transaction.atomic():
        label = person.anonymised_label
        person.delete()
        audit_record(by=by, action="referral.person_removed", obj=referral, detail={"label": label})


def referral_submit(*, by, referral: Referral) -> Referral:
    """The agency's safeguarding lead approves and submits; the Business Manager is told."""
    from .permissions import can_submit_referral

    if not can_submit_referral(by, referral):
        raise ReferralError("Only the safeguarding lead of the referrer's agency can approve and submit it")
    with transaction.atomic():
        referral.submit()
        referral.approved_by = by
        referral.submitted_at = timezone.now()
        referral.save(update_fields=["status", "approved_by", "submitted_at"])
        sent = _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.BUSINESS_MANAGER),
                       subject=f"New referral {referral.reference} submitted for SCR consideration",
                       body=f"{by} ({referral.referrer_agency}) has approved and submitted referral "
                            f"{referral.reference}. Record its receipt so the decision clock starts: {_link(referral)}")
        audit_record(by=by, action="referral.submitted", obj=referral, detail={"notified": len(sent)})
    return referral


def referral_receive(*, by, referral: Referral, received_on: date) -> Referral:
    """The board receives it: the decision clock starts and the Independent Chair and DCS are told."""
    submitted = timezone.localdate(referral.submitted_at) if referral.submitted_at else None
    if submitted and received_on < submitted:
        raise ReferralError(f"The received date must be on or after the date it was submitted, "
                            f"{submitted:%-d %B %Y}", "received_on")
    if received_on > board_today():
        raise ReferralError("The received date cannot be in the future", "received_on")
    with transaction.atomic():
        referral.receive()
        referral.received_on = received_on
        referral.received_by = by
        referral.save(update_fields=["status", "received_on", "received_by"])
        users = _people_with_role(referral.board_id, Role.INDEPENDENT_CHAIR, Role.DCS)
        sent = _notify(by=by, referral=referral, users=users,
                       subject=f"Referral {referral.reference} received for SCR consideration",
                       body=f"The board received referral {referral.reference} on {received_on:%-d %B %Y}. "
                            f"The decision on whether to initiate a Serious Case Review is due by the date shown "
                            f"on the referral: {_link(referral)}")
        audit_record(by=by, action="referral.received", obj=referral,
                     detail={"received_on": received_on.isoformat(), "notified": sent and len(sent)})
    return referral


def referral_viewed(*, by, referral: Referral, what: str = "referral") -> None:
    with transaction.atomic():
        audit_record(by=by, action="referral.viewed", obj=referral, detail={"page": what})


# --- call for information --------------------------------------------------------------------------------
def information_request_send(*, by, referral: Referral, agencies, due_on: date) -> list[InformationRequest]:
    today = board_today()
    if due_on <= today:
        raise ReferralError("The deadline must be in the future", "due_on")
    if referral.status not in (Referral.Status.RECEIVED, Referral.Status.RECOMMENDED):
        raise ReferralError("Information can only be requested once the referral has been received")
    created = []
    with transaction.atomic():
        for agency in agencies:
            if agency.board_id != referral.board_id:
                raise ReferralError("Choose agencies of this board", "agencies")
            if InformationRequest.objects.filter(referral=referral, agency=agency).exists():
                continue
            CaseAgency.objects.get_or_create(case=referral.case, agency=agency)
            req = InformationRequest.objects.create(referral=referral, agency=agency, requested_on=today,
                                                    due_on=due_on, requested_by=by)
            leads = _people_with_role(referral.board_id, Role.AGENCY_LEAD).filter(agency=agency)
            _notify(by=by, referral=referral, users=leads,
                    subject=f"Information requested: referral {referral.reference}",
                    body=f"The board asks {agency} for a summary of its involvement with the child and family in "
                         f"referral {referral.reference} by {due_on:%-d %B %Y}. Answer in CaseReview: "
                         f"{absolute_url('referrals:answer', req.pk)}")
            created.append(req)
        if not created:
            raise ReferralError("Every agency you chose has already been asked", "agencies")
        audit_record(by=by, action="referral.information_requested", obj=referral,
                     detail={"agencies": [r.agency.short_code for r in created], "due_on": due_on.isoformat()})
    return created


def information_answer(*, by, request: InformationRequest, summary: str, still_involved: bool) -> InformationRequest:
    from .permissions import can_answer_request

    if not can_answer_request(by, request):
        raise ReferralError("Only the agency's safeguarding lead can answer for it")
    if not summary.strip():
        raise ReferralError("Enter a summary of your agency's involvement", "summary")
    with transaction.atomic():
        request.summary = summary.strip()
        request.still_involved = still_involved
        request.received_on = request.received_on or board_today()
        request.answered_by = by
        request.save()
        CaseAgency.objects.filter(case=request.referral.case, agency=request.agency).update(
            still_involved=still_involved)
        audit_record(by=by, action="referral.information_received", obj=request.referral,
                     detail={"agency": request.agency.short_code})
    return request


# --- decision matrix -------------------------------------------------------------------------------------
def scr_test(answers: dict[str, str]) -> str | None:
    """Seed criteria: 1 and (2a or 2b), or 3. True/False when the answers settle it; None while Unknowns
    could still change the result. Three-valued (Kleene) logic, so an Unknown never reads as Not met."""
    def val(code):
        a = answers.get(code)
        return True if a == "met" else False if a == "not_met" else None

    def and_(x, y):
        if x is False or y is False:
            return False
        return None if x is None or y is None else True

    def or_(x, y):
        if x is True or y is True:
            return True
        return None if x is None or y is None else False

    return or_(and_(val("1"), or_(val("2a"), val("2b"))), val("3"))


def matrix_save(*, by, referral: Referral, version: int, data: dict, answers: dict[str, dict],
                complete: bool) -> DecisionMatrix:
    """Save the committee's matrix; with complete=True it becomes the recommendation to the Chair."""
    if referral.status != Referral.Status.RECEIVED:
        raise ReferralError("The decision matrix can only be changed while the referral is under consideration")
    for code, row in answers.items():
        if row.get("answer") == CriterionAnswer.Answer.MET and not (row.get("evidence") or "").strip():
            raise ReferralError(f"Enter the evidence that criterion {code} is met, or change the answer",
                                f"c{code}-evidence")
    outcome = data.get("recommended_outcome") or ""
    rationale = (data.get("rationale") or "").strip()
    if (complete or outcome) and not rationale:
        raise ReferralError("Enter the rationale for the recommended outcome", "rationale")
    if complete and not outcome:
        raise ReferralError("Select the recommended outcome", "recommended_outcome")
    if outcome == DecisionMatrix.Outcome.SCR_TARGETED and not data.get("targeted_criteria"):
        raise ReferralError("Select which of the criteria for a Targeted review apply", "targeted_criteria")
    with transaction.atomic():
        _bump_version(referral, version)
        matrix, _ = DecisionMatrix.objects.get_or_create(referral=referral)
        for key in ("learning_potential", "good_practice", "previous_learning", "parallel_processes",
                    "parallel_notes", "impact", "public_interest", "targeted_criteria"):
            if key in data:
                setattr(matrix, key, data[key])
        matrix.recommended_outcome = outcome
        matrix.rationale = rationale
        if complete:
            matrix.completed_on = board_today()
            matrix.completed_by = by
        matrix.save()
        if "themes" in data:
            matrix.themes.set(data["themes"])
        for code, row in answers.items():
            CriterionAnswer.objects.update_or_create(matrix=matrix, criterion=code, defaults={
                "answer": row.get("answer") or CriterionAnswer.Answer.UNKNOWN,
                "evidence": (row.get("evidence") or "").strip(), "source_agency": row.get("source_agency"),
            })
        if complete:
            referral.recommend()
            referral.save(update_fields=["status"])
            _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.INDEPENDENT_CHAIR),
                    subject=f"Referral {referral.reference}: recommendation ready for your decision",
                    body=f"The SCR Committee has completed the decision matrix for referral {referral.reference} "
                         f"and recommends: {matrix.get_recommended_outcome_display()}. {_link(referral)}")
        audit_record(by=by, action="referral.matrix_completed" if complete else "referral.matrix_saved",
                     obj=referral, detail={"outcome": outcome})
    return matrix


def matrix_reopen(*, by, referral: Referral) -> Referral:
    with transaction.atomic():
        referral.reopen_matrix()
        referral.save(update_fields=["status"])
        DecisionMatrix.objects.filter(referral=referral).update(completed_on=None, completed_by=None)
        audit_record(by=by, action="referral.matrix_reopened", obj=referral)
    return referral


def learning_question_add(*, by, referral: Referral, question: str, earlier_review: Review | None = None):
    if not question.strip():
        raise ReferralError("Enter the question for the board", "question")
    with transaction.atomic():
        asked = LearningQuestion.objects.create(case=referral.case, referral=referral, question=question.strip(),
                                                earlier_review=earlier_review, asked_by=by)
        audit_record(by=by, action="referral.learning_question_added", obj=referral,
                     detail={"review": earlier_review.reference if earlier_review else ""})
    return asked


# --- the Chair's decision and what follows ---------------------------------------------------------------
def decision_record(*, by, referral: Referral, decision: str, decided_on: date, rationale: str) -> ChairDecision:
    if referral.received_on and decided_on < referral.received_on:
        raise ReferralError(f"The decision date must be on or after the date the board received the referral, "
                            f"{referral.received_on:%-d %B %Y}", "decided_on")
    if decided_on > board_today():
        raise ReferralError("The decision date cannot be in the future", "decided_on")
    if not rationale.strip():
        raise ReferralError("Enter the rationale for your decision", "rationale")
    with transaction.atomic():
        referral.decide()
        referral.save(update_fields=["status"])
        made = ChairDecision.objects.create(referral=referral, decision=decision, decided_on=decided_on,
                                            rationale=rationale.strip(), decided_by=by)
        if made.initiates_scr:
            made.review = review_initiate(by=by, case=referral.case, type=REVIEW_TYPE_FOR[decision],
                                          initiated_on=decided_on, title=referral.case.pseudonym)
            made.save(update_fields=["review"])
        else:
            CirConsideration.objects.create(referral=referral, opened_on=decided_on)
        _notify(by=by, referral=referral,
                users=_people_with_role(referral.board_id, Role.BUSINESS_MANAGER, Role.DCS),
                subject=f"Referral {referral.reference}: the Chair has decided",
                body=f"Decision: {made.get_decision_display()} ({decided_on:%-d %B %Y}). Send the feedback letter "
                     f"to the referrer and tell the National Panel by the date shown: {_link(referral)}")
        audit_record(by=by, action="referral.decided", obj=referral,
                     detail={"decision": decision, "decided_on": decided_on.isoformat(),
                             "review": made.review.reference if made.review else ""})
    return made


def _check_sent_date(referral: Referral, sent_on: date, field: str, what: str) -> None:
    decided_on = referral.decision.decided_on
    if sent_on < decided_on:
        raise ReferralError(f"The date the {what} was sent must be on or after the Chair's decision, "
                            f"{decided_on:%-d %B %Y}", field)
    if sent_on > board_today():
        raise ReferralError(f"The date the {what} was sent cannot be in the future", field)


def feedback_sent(*, by, referral: Referral, sent_on: date) -> ChairDecision:
    if referral.status not in (Referral.Status.DECIDED, Referral.Status.CLOSED) or not hasattr(referral,
                                                                                              "decision"):
        raise ReferralError("Feedback can only be sent once the Chair has decided")
    _check_sent_date(referral, sent_on, "sent_on", "feedback letter")
    with transaction.atomic():
        decision = referral.decision
        decision.feedback_sent_on = sent_on
        decision.feedback_sent_by = by
        decision.save()
        audit_record(by=by, action="referral.feedback_sent", obj=referral, detail={"sent_on": sent_on.isoformat()})
        _maybe_close(by=by, referral=referral)
    return decision


def store_upload(*, referral: Referral, upload) -> tuple[str, str]:
    """Check an uploaded notification (size, real type) and keep it outside the web root."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ReferralError(f"The file must be smaller than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB",
                            "sin_upload")
    data = upload.read()
    try:
        kind = detect_document_type(data, upload.name, max_bytes=settings.UPLOAD_MAX_BYTES)
    except DocumentError as error:
        raise ReferralError(str(error), "sin_upload") from None
    name = default_storage.save(f"referrals/{referral.pk}/sin-{uuid.uuid4().hex}.{kind}", ContentFile(data))
    original = PurePath(upload.name).name[:200]
    return name, original


def panel_notice_record(*, by, referral: Referral, sent_on: date, justification: str = "",
                        anonymised_details: str = "", upload=None, lead_reviewers: str = "",
                        ofsted_told_on: date | None = None) -> PanelNotice:
    if not hasattr(referral, "decision"):
        raise ReferralError("The National Panel is told once the Chair has decided")
    if hasattr(referral, "panel_notice"):
        raise ReferralError("The National Panel notice has already been recorded as sent")
    _check_sent_date(referral, sent_on, "sent_on", "notice")
    decision = referral.decision
    if decision.initiates_scr:
        if not lead_reviewers.strip():
            raise ReferralError("Enter the names of the independent lead reviewers", "lead_reviewers")
        if ofsted_told_on is None:
            raise ReferralError("Enter the date Ofsted was told", "ofsted_told_on")
        if ofsted_told_on < decision.decided_on:
            raise ReferralError("The date Ofsted was told must be on or after the Chair's decision",
                                "ofsted_told_on")
    else:
        if not justification.strip():
            raise ReferralError("Enter why the case does not meet the criteria for a Serious Case Review",
                                "justification")
        if upload is None and not anonymised_details.strip():
            raise ReferralError("Upload the Serious Incident Notification, or enter anonymised details of the case",
                                "sin_upload")
    stored = ("", "")
    if upload is not None:
        stored = store_upload(referral=referral, upload=upload)
    try:
        with transaction.atomic():
            notice = PanelNotice.objects.create(
                referral=referral, sent_on=sent_on, sent_by=by, justification=justification.strip(),
                anonymised_details=anonymised_details.strip(), sin_file=stored[0], sin_filename=stored[1],
                lead_reviewers=lead_reviewers.strip(), ofsted_told_on=ofsted_told_on)
            audit_record(by=by, action="referral.panel_notified", obj=referral,
                         detail={"sent_on": sent_on.isoformat(), "sin_uploaded": bool(stored[0])})
            _maybe_close(by=by, referral=referral)
    except Exception:
        if stored[0]:
            default_storage.delete(stored[0])
        raise
    return notice


def cir_record(*, by, referral: Referral, outcome: str, reason: str, decided_on: date) -> CirConsideration:
    consideration = getattr(referral, "cir_consideration", None)
    if consideration is None or not consideration.is_open:
        raise ReferralError("There is no open Critical Incident Review consideration for this referral")
    if not reason.strip():
        raise ReferralError("Enter the reason for this outcome", "reason")
    if decided_on < consideration.opened_on:
        raise ReferralError(f"The date must be on or after the Chair's decision, {consideration.opened_on:%-d %B %Y}",
                            "decided_on")
    if decided_on > board_today():
        raise ReferralError("The date cannot be in the future", "decided_on")
    with transaction.atomic():
        consideration.outcome = outcome
        consideration.reason = reason.strip()
        consideration.decided_on = decided_on
        consideration.decided_by = by
        if outcome in REVIEW_TYPE_FOR:
            consideration.review = review_initiate(by=by, case=referral.case, type=REVIEW_TYPE_FOR[outcome],
                                                   initiated_on=decided_on, title=referral.case.pseudonym)
        consideration.save()
        audit_record(by=by, action="referral.cir_considered", obj=referral, detail={"outcome": outcome})
        _maybe_close(by=by, referral=referral)
    return consideration


def _maybe_close(*, by, referral: Referral) -> None:
    """Once feedback and the Panel notice are sent and any CIR consideration is settled, the referral closes."""
    decision = ChairDecision.objects.get(referral=referral)
    cir = CirConsideration.objects.filter(referral=referral).first()
    if (decision.feedback_sent_on and PanelNotice.objects.filter(referral=referral).exists()
            and (cir is None or not cir.is_open) and referral.status == Referral.Status.DECIDED):
        referral.close()
        referral.save(update_fields=["status"])
        audit_record(by=by, action="referral.closed", obj=referral)


# --- reminders and chasing -------------------------------------------------------------------------------
CHASE_EVERY_DAYS = 3


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Clock reminders before and on each due date, and chasers for overdue agency returns.

    Run daily by the worker (periodic.py) and by cron through `manage.py send_reminders`; running it twice
    on one day sends nothing twice.
    """
    today = today or board_today()
    counts = {"clock_reminders": 0, "chasers": 0}
    open_referrals = (Referral.objects.exclude(status__in=[Referral.Status.DRAFT, Referral.Status.CLOSED])
                      .select_related("board", "decision", "panel_notice"))
    for referral in open_referrals:
        for view in referral_clocks(referral, today=today):
            kind = reminder_kind(view.status, today)
            if kind is None:
                continue
            roles = [Role.BUSINESS_MANAGER]
            if view.slug in ("scr-decision", "rapid-review"):
                roles.append(Role.INDEPENDENT_CHAIR)
            when = "is due today" if view.status.days_left == 0 else view.days_text
            counts["clock_reminders"] += remind_once(
                board_id=referral.board_id, about=referral, clock=view.slug, due=view.due, kind=kind,
                recipients=_emails(_people_with_role(referral.board_id, *roles)),
                subject=f"Reminder: {view.name} for referral {referral.reference} ({when})",
                body=f"{view.name} for referral {referral.reference} is due on {view.due:%-d %B %Y} ({when}). "
                     f"Waiting on: {view.waiting_on}. {_link(referral)}")
        for req in referral.information_requests.filter(received_on__isnull=True).select_related("agency"):
            counts["chasers"] += _chase(req, today)
    return counts


def _chase(req: InformationRequest, today: date) -> int:
    status = clock_status(req.due_on, today)
    due_soon_or_late = status.days_left <= 2
    recently = req.last_chased_on and (today - req.last_chased_on).days < CHASE_EVERY_DAYS
    if not due_soon_or_late or recently:
        return 0
    referral = req.referral
    leads = _people_with_role(referral.board_id, Role.AGENCY_LEAD).filter(agency_id=req.agency_id)
    recipients = _emails(leads) or _emails(_people_with_role(referral.board_id, Role.BUSINESS_MANAGER))
    late = status.days_left < 0
    with transaction.atomic():
        for to in recipients:
            email_queue(to=to, about=referral, board_id=referral.board_id,
                        subject=f"{'Overdue' if late else 'Due soon'}: {req.agency} summary for referral "
                                f"{referral.reference}",
                        body=f"The board asked {req.agency} for a summary of its involvement by "
                             f"{req.due_on:%-d %B %Y}; it is {'overdue' if late else 'due soon'} and has not "
                             f"been received. Answer in CaseReview: {absolute_url('referrals:answer', req.pk)}")
        InformationRequest.objects.filter(pk=req.pk).update(last_chased_on=today, chase_count=F("chase_count") + 1)
        audit_record(by=None, action="referral.information_chased", obj=referral, board_id=referral.board_id,
                     detail={"agency": req.agency.short_code, "overdue": late})
    return 1
