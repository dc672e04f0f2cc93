"""Every change to a referral: keyword-only, `by=` first, one transaction, audited inside it. Each rule is checked
here (forms only parse), inside the transaction, after locking the referral row."""

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from casereview.audit.services import audit_access, audit_record
from casereview.cases.models import Case, CaseAgency, CasePerson
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError
from casereview.core.links import absolute_url
from casereview.deadlines.services import remind_once, reminder_kind
from casereview.lib.clocks import clock_status
from casereview.lib.dates import now, today
from casereview.lib.formats import long_date
from casereview.lib.uploads import UploadRejected, check_size, describe, open_office_zip, sniff
from casereview.notifications.services import email_queue
from casereview.partnership.models import User
from casereview.partnership.roles import Role
from casereview.partnership.selectors import agency_request_recipients
from casereview.reviews.models import Review, ReviewMember
from casereview.reviews.services import review_initiate

from . import permissions
from .clocks import referral_clocks
from .details import ChildDetails, MatrixAnswer, MatrixDetails, ReferralDetails
from .hooks import recommendation_minuted, run_outcome_handler, run_review_opened
from .models import (
    ChairDecision,
    CirConsideration,
    CriterionAnswer,
    DecisionMatrix,
    InformationRequest,
    LearningQuestion,
    PanelLogEntry,
    PanelNotice,
    ReferenceCounter,
    Referral,
    ThresholdNotice,
)


class ReferralError(ServiceError):
    """A change refused for a reason the user can fix; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


REVIEW_TYPE_FOR = {
    ChairDecision.Decision.SCR_INTENSIVE: Review.Type.SCR_INTENSIVE,
    ChairDecision.Decision.SCR_TARGETED: Review.Type.SCR_TARGETED,
    CirConsideration.Outcome.CIR: Review.Type.CIR,
    CirConsideration.Outcome.LEARNING_REVIEW: Review.Type.LEARNING_REVIEW,
    CirConsideration.Outcome.INDIVIDUAL_AGENCY: Review.Type.INDIVIDUAL_AGENCY,
}


# --- helpers ---------------------------------------------------------------------------------------------
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


def _locked(referral: Referral) -> Referral:
    """Lock the referral's row for the rest of the transaction and bring the instance up to date with it, so
    every check that follows sees what another request may just have committed."""
    Referral.objects.select_for_update(of=("self",)).only("pk").get(pk=referral.pk)
    referral.refresh_from_db()
    return referral


def _pseudonym(full_name: str) -> str:
    initial = next((c for c in full_name.strip() if c.isalpha()), "X").upper()
    return f"Child {initial}"


def referral_next_reference(*, board_id: int, year: int) -> str:
    """The next reference, from the board's counter row for the year, locked until the transaction ends (two
    referrals saved at once never get the same number). Call inside a transaction."""
    prefix = f"REF-{year}-"
    counter, created = ReferenceCounter.objects.select_for_update(of=("self",)).get_or_create(board_id=board_id, year=year)
    if created:
        # A board that raised referrals before the counter existed carries on from its highest number.
        numbers = [int(r.removeprefix(prefix)) for r in Referral.objects.filter(
            board_id=board_id, reference__startswith=prefix).values_list("reference", flat=True)
            if r.removeprefix(prefix).isdigit()]
        counter.last = max(numbers, default=0)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


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


def _future(value: date | None, field: str, label: str) -> list[tuple[str, str]]:
    return [(field, f"{label} cannot be in the future")] if value and value > today() else []


def _not_future(value: date | None, field: str, label: str) -> None:
    for field_name, message in _future(value, field, label):
        raise ReferralError(message, field_name)


def _refuse_first(problems: list[tuple[str | None, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise ReferralError(message, field)


def referral_problems(*, details: ReferralDetails, child: ChildDetails, agencies,
                      no_longer_involved) -> list[tuple[str, str]]:
    """Every rule a referral's content breaks, as (field, message): the service refuses on the first, and the
    form shows them all at once (the rules are written here only)."""
    problems = [
        *_future(details.referred_on, "referred_on", "The date of referral"),
        *_future(details.incident_date, "incident_date", "The date of the incident"),
        *_future(child.date_of_birth, "child_dob", "The child's date of birth"),
        *_future(child.date_of_death, "child_dod", "The date of death"),
    ]
    dob, dod, incident = child.date_of_birth, child.date_of_death, details.incident_date
    if dob and dod and dod < dob:
        problems.append(("child_dod", "The date of death must be on or after the date of birth"))
    if dob and incident and incident < dob:
        problems.append(("incident_date", "The date of the incident must be on or after the child's date of birth"))
    if agencies is not None and not agencies:
        problems.append(("agencies", "Select the agencies involved with the child and family"))
    if {a.pk for a in no_longer_involved or ()} - {a.pk for a in agencies or ()}:
        problems.append(("no_longer_involved", "Only agencies ticked as involved can be marked no longer involved"))
    if (details.purpose or Referral.Purpose.SCR) == Referral.Purpose.SCR and details.criteria is not None \
            and not details.criteria:
        problems.append(("criteria", "Select the criteria you think are met"))
    return problems


def _check_referral(details: ReferralDetails, child: ChildDetails, agencies, no_longer_involved) -> None:
    _refuse_first(referral_problems(details=details, child=child, agencies=agencies,
                                    no_longer_involved=no_longer_involved))


def _new_case_and_referral(*, by, details: ReferralDetails, child: ChildDetails, agencies, no_longer_involved,
                           reference: str | None = None, **extra) -> Referral:
    if reference and (Referral.objects.filter(board_id=by.board_id, reference=reference).exists()
                      or Case.objects.filter(board_id=by.board_id, reference=reference).exists()):
        raise ReferralError(f"The board already has a referral {reference}: choose another reference")
    reference = reference or referral_next_reference(board_id=by.board_id, year=today().year)
    case = Case.objects.create(board_id=by.board_id, reference=reference,
                               pseudonym=_pseudonym(child.full_name), created_by=by)
    CasePerson.objects.create(case=case, relationship=CasePerson.Relationship.SUBJECT_CHILD,
                              anonymised_label=case.pseudonym,
                              **{k: v or _blank(k) for k, v in child.as_fields().items()})
    _set_agencies(case, agencies, no_longer_involved)
    return Referral.objects.create(board_id=by.board_id, case=case, reference=reference, created_by=by,
                                   **details.given(), **extra)


# --- the referral itself ---------------------------------------------------------------------------------
def referral_create(*, by, details: ReferralDetails, child: ChildDetails, agencies, no_longer_involved=(),
                    reference: str | None = None) -> Referral:
    """A draft referral and its case (the child and the agencies involved). `reference` keeps a reference the
    board already uses (a referral carried over from its records, the demo's); otherwise the next one is taken."""
    if by.agency_id is None:
        raise ReferralError("Only someone who works for one of the board's agencies can raise a referral")
    _check_referral(details, child, agencies, no_longer_involved)
    with transaction.atomic():
        referral = _new_case_and_referral(by=by, details=details, child=child, agencies=agencies,
                                          no_longer_involved=no_longer_involved, reference=reference,
                                          referrer_agency_id=by.agency_id)
        audit_record(by=by, action="referral.created", obj=referral)
    return referral


def _store_document(*, referral: Referral, upload, prefix: str, field: str) -> tuple[str, str]:
    """Check an uploaded document (size, then what its bytes prove it is: a PDF or a Word .docx whose zip
    directory is within limits) and keep it under the uploads directory, outside the web root."""
    try:
        check_size(upload.size, settings.UPLOAD_MAX_BYTES, "The file")
        data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
        check_size(len(data), settings.UPLOAD_MAX_BYTES, "The file")
        kind = sniff(data[:8])
        if kind == "zip":
            open_office_zip(data, "The file", ["word/document.xml"], "a Word document (.docx)").close()
            extension = "docx"
        elif kind == "pdf":
            extension = "pdf"
        else:
            raise UploadRejected(f"The file must be a PDF or a Word document (.docx): it looks like "
                                 f"{describe(data[:8])}")
    except UploadRejected as error:
        raise ReferralError(str(error), field) from None
    name = default_storage.save(f"referrals/{referral.pk}/{prefix}-{uuid.uuid4().hex}.{extension}",
                                ContentFile(data))
    return name, PurePath(upload.name).name[:200]


def referral_record_received(*, by, details: ReferralDetails, child: ChildDetails, agencies, no_longer_involved=(),
                             referrer_organisation: str, received_via: str, received_on: date,
                             board_notified_on: date | None, upload=None) -> Referral:
    """The Business Manager records a referral that reached the board outside CaseReview (by secure email, or
    from the child death overview panel) on the referrer's behalf: it is received at once, so its decision
    clock runs from the date the board received it or was notified of the incident, as the rule pack says."""
    if not permissions.can_manage_referrals(by):
        raise ReferralError("Only the Business Manager records a referral received from outside")
    if received_via not in (Referral.ReceivedVia.SECURE_EMAIL, Referral.ReceivedVia.CDOP):
        raise ReferralError("Select how the referral reached the board", "received_via")
    if not referrer_organisation.strip():
        raise ReferralError("Enter the referrer's organisation", "referrer_organisation")
    _check_referral(details, child, agencies, no_longer_involved)
    _not_future(received_on, "received_on", "The date the board received the referral")
    _not_future(board_notified_on, "board_notified_on", "The date the board was notified")
    if details.referred_on and received_on < details.referred_on:
        raise ReferralError(f"The date the board received the referral must be on or after the date of referral, "
                            f"{long_date(details.referred_on)}", "received_on")
    stored = ("", "")
    try:
        with transaction.atomic():
            referral = _new_case_and_referral(
                by=by, details=details, child=child, agencies=agencies, no_longer_involved=no_longer_involved,
                referrer_agency=None, referrer_organisation=referrer_organisation.strip(),
                received_via=received_via, board_notified_on=board_notified_on)
            if upload is not None:
                stored = _store_document(referral=referral, upload=upload, prefix="original", field="upload")
                referral.original_file, referral.original_filename = stored
            referral.submit()
            referral.receive()
            referral.submitted_at = now()
            referral.received_on = received_on
            referral.received_by = by
            referral.save()
            audit_record(by=by, action="referral.recorded_from_outside", obj=referral,
                         detail={"via": received_via, "received_on": received_on.isoformat(),
                                 "original_attached": bool(stored[0])})
            _tell_on_receipt(by=by, referral=referral)
    except Exception:
        if stored[0]:
            default_storage.delete(stored[0])
        raise
    return referral


def _blank(field: str):
    return None if field.startswith("date_") else ""


def referral_update(*, by, referral: Referral, version: int | None, details: ReferralDetails, child: ChildDetails,
                    agencies, no_longer_involved=()) -> Referral:
    _check_referral(details, child, agencies, no_longer_involved)
    with transaction.atomic():
        _locked(referral)
        if not permissions.can_edit_referral(by, referral):
            raise ReferralError("This referral can no longer be changed")
        claim_version(referral, version, "referral")
        given = details.given()
        for key, value in given.items():
            setattr(referral, key, value)
        referral.save(update_fields=list(given))
        person = referral.case.subject_child
        for key, value in child.as_fields().items():
            setattr(person, key, value or _blank(key))
        person.save()
        _set_agencies(referral.case, agencies, no_longer_involved)
        audit_record(by=by, action="referral.updated", obj=referral, detail={"version": referral.version})
    return referral


def referral_person_add(*, by, referral: Referral, relationship: str, full_name: str,
                        date_of_birth: date | None = None, address: str = "") -> CasePerson:
    _not_future(date_of_birth, "date_of_birth", "The date of birth")
    with transaction.atomic():
        _locked(referral)
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
        _locked(referral)
        label = person.anonymised_label
        person.delete()
        audit_record(by=by, action="referral.person_removed", obj=referral, detail={"label": label})


def referral_submit(*, by, referral: Referral, submitted_at: datetime | None = None) -> Referral:
    """The agency's safeguarding lead approves and submits; the Business Manager is told. `submitted_at` records
    a submission made earlier (a referral carried over, the demo's); the audit event says it was back-dated."""
    if submitted_at is not None and submitted_at > now():
        raise ReferralError("The date the referral was submitted cannot be in the future")
    with transaction.atomic():
        _locked(referral)
        if not permissions.can_submit_referral(by, referral):
            raise ReferralError("Only the safeguarding lead of the referrer's agency can approve and submit it, "
                                "once, while it is a draft")
        referral.submit()
        referral.approved_by = by
        referral.submitted_at = submitted_at or now()
        referral.save(update_fields=["status", "approved_by", "submitted_at"])
        sent = _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.BUSINESS_MANAGER),
                       subject=f"New referral {referral.reference} submitted for SCR consideration",
                       body=f"{by} ({referral.referrer_organisation_name}) has approved and submitted referral "
                            f"{referral.reference}. Record its receipt so the decision clock starts: {_link(referral)}")
        audit_record(by=by, action="referral.submitted", obj=referral,
                     detail={"notified": len(sent),
                             **({"submitted_at": submitted_at.isoformat()} if submitted_at else {})})
    return referral


def _tell_on_receipt(*, by, referral: Referral) -> list[str]:
    """The Independent Chair and the DCS are kept informed; the SCR Committee is told a referral waits for its
    consideration (the decision matrix, or routing for a learning referral)."""
    received = long_date(referral.received_on)
    sent = _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.INDEPENDENT_CHAIR,
                                                                     Role.DCS),
                   subject=f"Referral {referral.reference} received for consideration",
                   body=f"The board received referral {referral.reference} on {received} "
                        f"({referral.get_purpose_display().lower()}). The decision is due by the date shown on the "
                        f"referral: {_link(referral)}")
    step = "the decision matrix" if referral.considers_scr else "where to route it"
    sent += _notify(by=by, referral=referral,
                    users=_people_with_role(referral.board_id, Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER),
                    subject=f"New referral {referral.reference} for the SCR Committee",
                    body=f"The board received referral {referral.reference} on {received} "
                         f"({referral.get_purpose_display().lower()}). The SCR Committee's consideration ({step}) "
                         f"is waiting for you: {_link(referral)}")
    if referral.considers_scr:
        sent += _tell_performance_chair(by=by, referral=referral)
    return sent


def _tell_performance_chair(*, by, referral: Referral) -> list[str]:
    """A case may have reached the threshold for a Serious Case Review: the Performance Committee chair liaises
    with the SCR Committee chair and the Independent Chair. Told by email and on their home page; the email
    names the referral's reference only (never the child), and its link leads to the notice, not the case."""
    sent = []
    for chair in _people_with_role(referral.board_id, Role.PERFORMANCE_CHAIR):
        notice, new = ThresholdNotice.objects.get_or_create(referral=referral, chair=chair,
                                                            defaults={"emailed_to": chair.email})
        if not new or not chair.email:
            continue
        email_queue(to=chair.email, board_id=referral.board_id, about=referral, by=by,
                    subject=f"Referral {referral.reference} may meet the threshold for a Serious Case Review",
                    body=f"The board received referral {referral.reference} on {long_date(referral.received_on)} "
                         "for consideration for a Serious Case Review. As chair of the Performance Committee, "
                         "liaise with the chair of the SCR Committee and the Independent Chair while it is "
                         f"considered, and record that you have: {absolute_url('referrals:threshold_notice', notice.pk)}")
        sent.append(chair.email)
    if sent:
        audit_record(by=by, action="referral.performance_chair_told", obj=referral,
                     detail={"notified": len(sent)})
    return sent


def threshold_contacts(referral: Referral) -> list[tuple[str, str, str]]:
    """Who the Performance Committee chair liaises with: (role, name, email) of the SCR Committee chair and the
    Independent Chair."""
    people = []
    for role in (Role.SCR_COMMITTEE_CHAIR, Role.INDEPENDENT_CHAIR):
        for person in _people_with_role(referral.board_id, role).order_by("last_name", "username"):
            people.append((role.label, person.get_full_name() or person.username, person.email))
    return people


def threshold_liaison_record(*, by, notice: ThresholdNotice, liaised_on: date, note: str = "") -> ThresholdNotice:
    """The Performance Committee chair records that they liaised with the SCR Committee chair and the
    Independent Chair about the referral."""
    _not_future(liaised_on, "liaised_on", "The date you liaised")
    with transaction.atomic():
        notice = ThresholdNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.chair_id != by.pk:
            raise ReferralError("Only the Performance Committee chair this notice was sent to can record it")
        if notice.liaised_on:
            raise ReferralError("You have already recorded that you liaised on this referral")
        received = notice.referral.received_on
        if received and liaised_on < received:
            raise ReferralError(f"The date must be on or after the date the board received the referral, "
                                f"{long_date(received)}", "liaised_on")
        notice.liaised_on = liaised_on
        notice.note = note.strip()
        notice.save(update_fields=["liaised_on", "note"])
        audit_record(by=by, action="referral.threshold_liaison_recorded", obj=notice.referral,
                     detail={"liaised_on": liaised_on.isoformat()})
    return notice


def referral_receive(*, by, referral: Referral, received_on: date, board_notified_on: date | None = None) -> Referral:
    """The board receives it: the decision clock starts; the Chair, the DCS and the SCR Committee are told."""
    _not_future(received_on, "received_on", "The received date")
    _not_future(board_notified_on, "board_notified_on", "The date the board was notified")
    with transaction.atomic():
        _locked(referral)
        if referral.status != Referral.Status.SUBMITTED:
            raise ReferralError("Receipt of this referral has already been recorded")
        submitted = referral.submitted_at.astimezone(now().tzinfo).date() if referral.submitted_at else None
        if submitted and received_on < submitted:
            raise ReferralError(f"The received date must be on or after the date it was submitted, "
                                f"{long_date(submitted)}", "received_on")
        referral.receive()
        referral.received_on = received_on
        referral.received_by = by
        if board_notified_on:
            referral.board_notified_on = board_notified_on
        referral.save(update_fields=["status", "received_on", "received_by", "board_notified_on"])
        sent = _tell_on_receipt(by=by, referral=referral)
        audit_record(by=by, action="referral.received", obj=referral,
                     detail={"received_on": received_on.isoformat(), "notified": len(sent)})
    return referral


def referral_viewed(*, by, referral: Referral, what: str = "referral") -> None:
    audit_access(by=by, action="referral.viewed", obj=referral, detail={"page": what})


# --- call for information --------------------------------------------------------------------------------
def _lead_emails(agency_id: int) -> list[str]:
    """Only a safeguarding lead may answer the call for information, so only leads receive it."""
    return _emails(agency_request_recipients(agency_id, leads_only=True))


def information_request_send(*, by, referral: Referral, agencies, due_on: date,
                             requested_on: date | None = None) -> list[InformationRequest]:
    """Ask each agency for a summary. A request to an agency with nobody to receive it is still recorded (the
    board can chase it by phone, and it is sent once a lead is added) but shows as "Not delivered".
    `requested_on` records a request made earlier (by phone, or the demo's); the audit event says so."""
    if requested_on is None:
        if due_on <= today():
            raise ReferralError("The deadline must be in the future", "due_on")
    else:
        _not_future(requested_on, "requested_on", "The date of the request")
        if due_on <= requested_on:
            raise ReferralError("The deadline must be after the date of the request", "due_on")
    if not agencies:
        raise ReferralError("Select the agencies to ask for information", "agencies")
    created = []
    with transaction.atomic():
        _locked(referral)
        if referral.status not in (Referral.Status.RECEIVED, Referral.Status.RECOMMENDED):
            raise ReferralError("Information can only be requested once the referral has been received")
        for agency in agencies:
            if agency.board_id != referral.board_id:
                raise ReferralError("Choose agencies of this board", "agencies")
            if InformationRequest.objects.filter(referral=referral, agency=agency).exists():
                continue
            CaseAgency.objects.get_or_create(case=referral.case, agency=agency)
            req = InformationRequest.objects.create(referral=referral, agency=agency,
                                                    requested_on=requested_on or today(),
                                                    due_on=due_on, requested_by=by)
            recipients = _lead_emails(agency.pk)
            for to in recipients:
                email_queue(to=to, board_id=referral.board_id, about=referral, by=by,
                            subject=f"Information requested: referral {referral.reference}",
                            body=f"The board asks {agency} for a summary of its involvement with the child and "
                                 f"family in referral {referral.reference} by {long_date(due_on)}. Answer in "
                                 f"CaseReview: {absolute_url('referrals:answer', req.pk)}")
            if recipients:
                req.delivered_to = ", ".join(recipients)
                req.save(update_fields=["delivered_to"])
            created.append(req)
        if not created:
            raise ReferralError("Every agency you chose has already been asked", "agencies")
        audit_record(by=by, action="referral.information_requested", obj=referral,
                     detail={"agencies": [r.agency.short_code for r in created], "due_on": due_on.isoformat(),
                             **({"requested_on": requested_on.isoformat()} if requested_on else {}),
                             "not_delivered": [r.agency.short_code for r in created if not r.delivered]})
    return created


def information_answer(*, by, request: InformationRequest, summary: str, still_involved: bool,
                       version: int | None = None) -> InformationRequest:
    if not permissions.can_answer_request(by, request):
        raise ReferralError("Only the agency's safeguarding lead can answer for it")
    if not summary.strip():
        raise ReferralError("Enter a summary of your agency's involvement", "summary")
    with transaction.atomic():
        _locked(request.referral)
        claim_version(request, version, "summary")
        request.summary = summary.strip()
        request.still_involved = still_involved
        request.received_on = request.received_on or today()
        request.answered_by = by
        request.save()
        CaseAgency.objects.filter(case=request.referral.case, agency=request.agency).update(
            still_involved=still_involved)
        audit_record(by=by, action="referral.information_received", obj=request.referral,
                     detail={"agency": request.agency.short_code})
    return request


# --- decision matrix -------------------------------------------------------------------------------------
def scr_test(answers: dict[str, str]) -> str | None:
    """The framework's criteria: 1 and (2a or 2b), or 3. True/False when the answers settle it; None while
    Unknowns could still change the result. Three-valued (Kleene) logic, so an Unknown never reads as Not met."""
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


def matrix_problems(*, details: MatrixDetails, answers: Mapping[str, MatrixAnswer],
                    complete: bool) -> list[tuple[str, str]]:
    """Every rule the matrix breaks, as (field, message); a criterion's field is prefixed "c<code>-"."""
    problems = [(f"c{code}-evidence", f"Enter the evidence that criterion {code} is met, or change the answer")
                for code, row in answers.items()
                if row.answer == CriterionAnswer.Answer.MET and not row.evidence.strip()]
    outcome = details.recommended_outcome
    if complete and not outcome:
        problems.append(("recommended_outcome", "Select the recommended outcome"))
    if (complete or outcome) and not details.rationale.strip():
        problems.append(("rationale", "Enter the rationale for the recommended outcome"))
    if outcome == DecisionMatrix.Outcome.SCR_TARGETED and not details.targeted_criteria:
        problems.append(("targeted_criteria", "Select which of the criteria for a Targeted review apply"))
    return problems


def matrix_save(*, by, referral: Referral, version: int | None, details: MatrixDetails,
                answers: Mapping[str, MatrixAnswer], complete: bool) -> DecisionMatrix:
    """Save the committee's matrix (`answers` by criterion code); with complete=True it becomes the
    recommendation to the Chair."""
    _refuse_first(matrix_problems(details=details, answers=answers, complete=complete))
    outcome = details.recommended_outcome
    rationale = details.rationale.strip()
    with transaction.atomic():
        _locked(referral)
        if referral.status != Referral.Status.RECEIVED or not referral.considers_scr:
            raise ReferralError("The decision matrix can only be changed while an SCR referral is under "
                                "consideration")
        if complete and not recommendation_minuted(referral):
            raise ReferralError(NOT_MINUTED, "recommended_outcome")
        claim_version(referral, version, "referral")
        matrix, _ = DecisionMatrix.objects.get_or_create(referral=referral)
        for key, value in details.given().items():
            setattr(matrix, key, value)
        matrix.recommended_outcome = outcome
        matrix.rationale = rationale
        if complete:
            matrix.completed_on = today()
            matrix.completed_by = by
        matrix.save()
        if details.themes is not None:
            matrix.themes.set(details.themes)
        for code, row in answers.items():
            CriterionAnswer.objects.update_or_create(matrix=matrix, criterion=code, defaults={
                "answer": row.answer or CriterionAnswer.Answer.UNKNOWN,
                "evidence": row.evidence.strip(), "source_agency": row.source_agency,
            })
        if complete:
            referral.recommend()
            referral.save(update_fields=["status"])
            _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.INDEPENDENT_CHAIR),
                    subject=f"Referral {referral.reference}: recommendation ready for your decision",
                    body=f"The SCR Committee has completed the decision matrix for referral {referral.reference} "
                         f"and recommends: {matrix.get_recommended_outcome_display()}. Your decision is waiting "
                         f"for you: {_link(referral)}")
        audit_record(by=by, action="referral.matrix_completed" if complete else "referral.matrix_saved",
                     obj=referral, detail={"outcome": outcome})
    return matrix


def matrix_reopen(*, by, referral: Referral) -> Referral:
    with transaction.atomic():
        _locked(referral)
        if referral.status != Referral.Status.RECOMMENDED:
            raise ReferralError("Only a recommendation still waiting for the Chair can be reopened")
        referral.reopen_matrix()
        referral.save(update_fields=["status"])
        matrix = DecisionMatrix.objects.get(referral=referral)
        matrix.completed_on, matrix.completed_by = None, None
        matrix.save(update_fields=["completed_on", "completed_by"])
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


# --- the Chair's decision, or the SCR Committee's routing ------------------------------------------------
def _check_decision_date(referral: Referral, decided_on: date) -> None:
    if referral.received_on and decided_on < referral.received_on:
        raise ReferralError(f"The decision date must be on or after the date the board received the referral, "
                            f"{long_date(referral.received_on)}", "decided_on")
    _not_future(decided_on, "decided_on", "The decision date")


NOT_MINUTED = ("The SCR Committee recommends by a decision of a quorate meeting: record the recommendation on "
               "this referral as a decision of a quorate SCR Committee meeting (Committees, the meeting's "
               "decisions), then complete the decision matrix")
REFUSAL_NOT_MINUTED = ("The SCR Committee's recommendation of a Serious Case Review was not recorded at a quorate "
                       "meeting: record it as a decision of a quorate SCR Committee meeting (Committees, the "
                       "meeting's decisions) before deciding not to initiate the review")


def _refuses_recommended_scr(referral: Referral, decision: str) -> bool:
    matrix = DecisionMatrix.objects.filter(referral=referral).first()
    return (decision == ChairDecision.Decision.NOT_INITIATED and matrix is not None
            and matrix.recommended_outcome in (DecisionMatrix.Outcome.SCR_INTENSIVE,
                                               DecisionMatrix.Outcome.SCR_TARGETED))


def decision_record(*, by, referral: Referral, decision: str, decided_on: date, rationale: str) -> ChairDecision:
    """The Independent Chair's decision: the only way a Serious Case Review is opened."""
    if not rationale.strip():
        raise ReferralError("Enter the rationale for your decision", "rationale")
    with transaction.atomic():
        _locked(referral)
        if not permissions.can_decide_on(by, referral):
            raise ReferralError("The Chair decides once the SCR Committee's recommendation is ready")
        _check_decision_date(referral, decided_on)
        if _refuses_recommended_scr(referral, decision) and not recommendation_minuted(referral):
            raise ReferralError(REFUSAL_NOT_MINUTED, "decision")
        referral.decide()
        referral.save(update_fields=["status"])
        made = ChairDecision.objects.create(referral=referral, decision=decision, decided_on=decided_on,
                                            rationale=rationale.strip(), decided_by=by)
        if made.initiates_scr:
            made.review = review_initiate(by=by, case=referral.case, type=REVIEW_TYPE_FOR[decision],
                                          initiated_on=decided_on, title=referral.case.pseudonym)
            made.save(update_fields=["review"])
            run_review_opened(by=by, referral=referral, review=made.review)
        else:
            CirConsideration.objects.create(referral=referral, opened_on=decided_on)
        _notify(by=by, referral=referral,
                users=_people_with_role(referral.board_id, Role.BUSINESS_MANAGER, Role.DCS),
                subject=f"Referral {referral.reference}: the Chair has decided",
                body=f"Decision: {made.get_decision_display()} ({long_date(decided_on)}). Send the feedback "
                     f"letter to the referrer and tell the National Panel by the date shown: {_link(referral)}")
        audit_record(by=by, action="referral.decided", obj=referral,
                     detail={"decision": decision, "decided_on": decided_on.isoformat(),
                             "review": made.review.reference if made.review else ""})
    return made


def _settle_outcome(*, by, referral: Referral, consideration: CirConsideration, outcome: str) -> None:
    if outcome in REVIEW_TYPE_FOR:
        consideration.review = review_initiate(by=by, case=referral.case, type=REVIEW_TYPE_FOR[outcome],
                                               initiated_on=consideration.decided_on, title=referral.case.pseudonym)
        run_review_opened(by=by, referral=referral, review=consideration.review)
    consideration.follow_up = run_outcome_handler(by=by, referral=referral, outcome=outcome,
                                                  reason=consideration.reason)[:300]
    consideration.save()


def referral_route(*, by, referral: Referral, outcome: str, reason: str, decided_on: date) -> CirConsideration:
    """The SCR Committee routes a referral made for learning or to share good practice: a CIR, an individual
    agency or learning review, an audit, a forum theme or no further action. No Chair's SCR decision and no
    National Panel notice: neither applies where an SCR was not considered."""
    if outcome not in CirConsideration.Outcome.values:
        raise ReferralError("Select where the referral goes", "outcome")
    if not reason.strip():
        raise ReferralError("Enter the reason for this outcome", "reason")
    with transaction.atomic():
        _locked(referral)
        if not permissions.can_route(by, referral):
            raise ReferralError("The SCR Committee routes a learning or good-practice referral once it is received")
        _check_decision_date(referral, decided_on)
        referral.route()
        referral.save(update_fields=["status"])
        consideration = CirConsideration(referral=referral, opened_on=decided_on, outcome=outcome,
                                         reason=reason.strip(), decided_on=decided_on, decided_by=by)
        _settle_outcome(by=by, referral=referral, consideration=consideration, outcome=outcome)
        _notify(by=by, referral=referral, users=_people_with_role(referral.board_id, Role.BUSINESS_MANAGER),
                subject=f"Referral {referral.reference}: routed by the SCR Committee",
                body=f"The SCR Committee routed referral {referral.reference}: {consideration.get_outcome_display()}"
                     f" ({long_date(decided_on)}). Send the feedback to the referrer: {_link(referral)}")
        audit_record(by=by, action="referral.routed", obj=referral, detail={"outcome": outcome})
    return consideration


def cir_record(*, by, referral: Referral, outcome: str, reason: str, decided_on: date) -> CirConsideration:
    if not reason.strip():
        raise ReferralError("Enter the reason for this outcome", "reason")
    with transaction.atomic():
        _locked(referral)
        consideration = CirConsideration.objects.filter(referral=referral).first()
        if consideration is None or not consideration.is_open:
            raise ReferralError("There is no open Critical Incident Review consideration for this referral")
        if decided_on < consideration.opened_on:
            raise ReferralError(f"The date must be on or after the Chair's decision, "
                                f"{long_date(consideration.opened_on)}", "decided_on")
        _not_future(decided_on, "decided_on", "The date")
        consideration.outcome = outcome
        consideration.reason = reason.strip()
        consideration.decided_on = decided_on
        consideration.decided_by = by
        _settle_outcome(by=by, referral=referral, consideration=consideration, outcome=outcome)
        audit_record(by=by, action="referral.cir_considered", obj=referral, detail={"outcome": outcome})
        _maybe_close(by=by, referral=referral)
    return consideration


def _outcome_date(referral: Referral) -> date | None:
    decision = ChairDecision.objects.filter(referral=referral).first()
    if decision:
        return decision.decided_on
    routing = CirConsideration.objects.filter(referral=referral).first()
    return routing.decided_on if routing else None


def _check_sent_date(referral: Referral, sent_on: date, field: str, what: str) -> None:
    decided_on = _outcome_date(referral)
    who = "the Chair's" if ChairDecision.objects.filter(referral=referral).exists() else "the SCR Committee's"
    if decided_on and sent_on < decided_on:
        raise ReferralError(f"The date the {what} was sent must be on or after {who} decision, "
                            f"{long_date(decided_on)}", field)
    _not_future(sent_on, field, f"The date the {what} was sent")


def feedback_send(*, by, referral: Referral, sent_on: date, email: bool = False) -> Referral:
    """Record the feedback to the referrer as sent; with email=True the service emails it (the letter's text,
    from the SCR Committee chair, with the letter attached as a PDF) to the referrer and records where it went."""
    from . import letters

    with transaction.atomic():
        _locked(referral)
        if not permissions.can_send_feedback(by, referral):
            raise ReferralError("Feedback is sent once, after the decision")
        _check_sent_date(referral, sent_on, "sent_on", "letter")
        if email and not referral.referrer_email:
            raise ReferralError("There is no email address for the referrer: send the letter by post and record "
                                "it as sent", "email")
        referral.feedback_sent_on = sent_on
        referral.feedback_sent_by = by
        if email:
            referral.feedback_emailed_to = referral.referrer_email
            email_queue(to=referral.referrer_email, board_id=referral.board_id, about=referral, by=by,
                        subject=f"Your referral {referral.reference}: the outcome",
                        body=letters.feedback_text(referral), digest=False,
                        attachments=[(f"feedback-{referral.reference}.pdf", letters.feedback_pdf(referral),
                                      "application/pdf")])
        referral.save(update_fields=["feedback_sent_on", "feedback_sent_by", "feedback_emailed_to"])
        audit_record(by=by, action="referral.feedback_sent", obj=referral,
                     detail={"sent_on": sent_on.isoformat(), "emailed": bool(email)})
        _maybe_close(by=by, referral=referral)
    return referral


def appointed_lead_reviewers(review: Review | None) -> list[str]:
    """The lead reviewers appointed to the review, as the Panel notice names them."""
    if review is None:
        return []
    members = review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True) \
        .select_related("user", "user__agency").order_by("user__last_name", "user__first_name")
    return [f"{m.user.get_full_name() or m.user}" + (f", {m.user.job_title}" if m.user.job_title else "")
            for m in members]


def panel_notice_record(*, by, referral: Referral, sent_on: date, justification: str = "",
                        anonymised_details: str = "", upload=None, ofsted_told_on: date | None = None) -> PanelNotice:
    with transaction.atomic():
        _locked(referral)
        decision = ChairDecision.objects.filter(referral=referral).first()
        if decision is None:
            raise ReferralError("The National Panel is told once the Chair has decided")
        if PanelNotice.objects.filter(referral=referral).exists():
            raise ReferralError("The National Panel notice has already been recorded as sent")
        _check_sent_date(referral, sent_on, "sent_on", "notice")
        lead_reviewers = ""
        if decision.initiates_scr:
            names = appointed_lead_reviewers(decision.review)
            if not names:
                raise ReferralError(f"Appoint the independent lead reviewers to review {decision.review.reference} "
                                    f"first: the notice names them")
            lead_reviewers = "\n".join(names)
            if ofsted_told_on is None:
                raise ReferralError("Enter the date Ofsted was told", "ofsted_told_on")
            if ofsted_told_on < decision.decided_on:
                raise ReferralError("The date Ofsted was told must be on or after the Chair's decision",
                                    "ofsted_told_on")
            _not_future(ofsted_told_on, "ofsted_told_on", "The date Ofsted was told")
        else:
            if not justification.strip():
                raise ReferralError("Enter why the case does not meet the criteria for a Serious Case Review",
                                    "justification")
            if upload is None and not anonymised_details.strip():
                raise ReferralError("Upload the Serious Incident Notification, or enter anonymised details of the "
                                    "case", "sin_upload")
        stored = ("", "")
        try:
            if upload is not None:
                stored = _store_document(referral=referral, upload=upload, prefix="sin", field="sin_upload")
            notice = PanelNotice.objects.create(
                referral=referral, sent_on=sent_on, sent_by=by, justification=justification.strip(),
                anonymised_details=anonymised_details.strip(), sin_file=stored[0], sin_filename=stored[1],
                lead_reviewers=lead_reviewers, ofsted_told_on=ofsted_told_on)
            audit_record(by=by, action="referral.panel_notified", obj=referral,
                         detail={"sent_on": sent_on.isoformat(), "sin_uploaded": bool(stored[0])})
            _maybe_close(by=by, referral=referral)
        except Exception:
            if stored[0]:
                default_storage.delete(stored[0])
            raise
    return notice


def panel_log_add(*, by, referral: Referral, kind: str, on: date, due_on: date | None = None,
                  notes: str = "") -> PanelLogEntry:
    """Record a dealing with the National Panel (or DfE): a notification, its advice, or a request to answer."""
    if kind not in PanelLogEntry.Kind.values:
        raise ReferralError("Select what happened", "kind")
    _not_future(on, "on", "The date")
    is_request = kind in PanelLogEntry.REQUESTS
    if is_request and due_on is None:
        raise ReferralError("Enter when the Panel expects an answer", "due_on")
    if due_on and due_on < on:
        raise ReferralError("The answer cannot be due before the request was made", "due_on")
    with transaction.atomic():
        _locked(referral)
        if referral.status in (Referral.Status.DRAFT, Referral.Status.SUBMITTED):
            raise ReferralError("The Panel log starts once the board has received the referral")
        entry = PanelLogEntry.objects.create(referral=referral, kind=kind, on=on,
                                             due_on=due_on if is_request else None, notes=notes.strip(),
                                             recorded_by=by)
        audit_record(by=by, action="referral.panel_logged", obj=referral, detail={"kind": kind})
    return entry


def panel_request_answered(*, by, entry: PanelLogEntry, answered_on: date) -> PanelLogEntry:
    if not entry.is_request:
        raise ReferralError("Only a Panel request is answered")
    if answered_on < entry.on:
        raise ReferralError("The answer cannot come before the request", "answered_on")
    _not_future(answered_on, "answered_on", "The date answered")
    with transaction.atomic():
        _locked(entry.referral)
        entry.answered_on = answered_on
        entry.save(update_fields=["answered_on"])
        audit_record(by=by, action="referral.panel_request_answered", obj=entry.referral,
                     detail={"kind": entry.kind})
    return entry


def _maybe_close(*, by, referral: Referral) -> None:
    """Once feedback is sent, the Panel told where an SCR was considered, and any CIR consideration settled, the
    referral closes."""
    referral.refresh_from_db()
    if referral.status != Referral.Status.DECIDED or not referral.feedback_sent_on:
        return
    cir = CirConsideration.objects.filter(referral=referral).first()
    if cir is not None and cir.is_open:
        return
    if referral.considers_scr and not PanelNotice.objects.filter(referral=referral).exists():
        return
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
    from casereview.lib.dates import today as board_today

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
                body=f"{view.name} for referral {referral.reference} is due on {long_date(view.due)} ({when}). "
                     f"Waiting on: {view.waiting_on}. {_link(referral)}")
        for req in referral.information_requests.filter(received_on__isnull=True).select_related("agency"):
            counts["chasers"] += _chase(req, today)
    return counts


def _chase(req: InformationRequest, today: date) -> int:
    """Chase an outstanding return as its deadline nears or passes. A request nobody received goes to the
    agency's lead once one has been added (it is then delivered), and meanwhile to the Business Manager."""
    status = clock_status(req.due_on, today)
    due_soon_or_late = status.days_left <= 2
    recently = req.last_chased_on and (today - req.last_chased_on).days < CHASE_EVERY_DAYS
    if not due_soon_or_late or recently:
        return 0
    referral = req.referral
    leads = _lead_emails(req.agency_id)
    recipients = leads or _emails(_people_with_role(referral.board_id, Role.BUSINESS_MANAGER))
    late = status.days_left < 0
    with transaction.atomic():
        for to in recipients:
            email_queue(to=to, about=referral, board_id=referral.board_id,
                        subject=f"{'Overdue' if late else 'Due soon'}: {req.agency} summary for referral "
                                f"{referral.reference}",
                        body=(f"The board asked {req.agency} for a summary of its involvement by "
                              f"{long_date(req.due_on)}; it is {'overdue' if late else 'due soon'} and has not "
                              f"been received. Answer in CaseReview: {absolute_url('referrals:answer', req.pk)}")
                        if leads else
                        (f"The request to {req.agency} for referral {referral.reference} has not been delivered: "
                         f"nobody at the agency is set up to receive it. Add a safeguarding lead for the agency "
                         f"so it can be sent: {absolute_url('partnership:person_create')}"))
        changes = {"last_chased_on": today, "chase_count": F("chase_count") + 1}
        if leads and not req.delivered:
            changes["delivered_to"] = ", ".join(leads)
        InformationRequest.objects.filter(pk=req.pk).update(**changes)
        audit_record(by=None, action="referral.information_chased", obj=referral, board_id=referral.board_id,
                     detail={"agency": req.agency.short_code, "overdue": late, "delivered": bool(leads)})
    return 1
