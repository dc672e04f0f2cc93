"""The people of a review: the Review Group, the Case Group and the family's involvement."""

from datetime import date

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django_fsm import can_proceed

from casereview.audit.services import audit_record
from casereview.cases.permissions import can_view_case
from casereview.cases.services import case_access_grant
from casereview.core.concurrency import claim_version
from casereview.core.links import absolute_url
from casereview.lib.dates import now
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import User
from casereview.partnership.roles import BOARD_OFFICE_ROLES, Role

from .. import hooks, selectors
from ..models import CaseGroupMember, Review, ReviewMember
from .base import ReviewError, _not_future, lock_review


def _lead_reviewers(review: Review):
    return selectors.review_lead_reviewers(review)


def _board_office(user) -> str:
    """The office of the board this person holds (a role or a committee seat), or ""."""
    held = sorted(set(user.role_set) & BOARD_OFFICE_ROLES)
    if held:
        return Role(held[0]).label
    seat = user.committee_memberships.select_related("committee").first()
    return f"a member of the {seat.committee}" if seat else ""


def independence_problem(*, review: Review, user, involved_in_case: bool = False,
                         scr: bool | None = None) -> str | None:
    """Why this person may not lead this review, or None (seed s.5 Appointing Reviewers, s.14 Review Group).
    `scr` judges the review as a Serious Case Review whatever its type today (a change of type checks it)."""
    if involved_in_case or review.case_group.filter(user=user).exists():
        return (f"{user} has been involved in this case, so cannot lead its review: a lead reviewer must be "
                "independent of the case")
    if review.is_scr if scr is None else scr:
        if user.agency_id:
            return (f"{user} works for {user.agency}, a board agency: the lead reviewer of a Serious Case Review "
                    "must be independent of every agency of the board. Internal lead reviewers are allowed only "
                    "for other reviews, such as a Critical Incident Review")
        office = _board_office(user)
        if office:
            return (f"{user} holds a role on the board ({office}): the lead reviewer of a Serious Case Review must "
                    "be independent of the board. Appoint a reviewer from outside the board")
    return None


def member_add(*, by, review: Review, user, role: str, has_conflict: bool, conflict_details: str,
               involved_in_case: bool, qualifications: str = "",
               independence_declared_on: date | None = None) -> ReviewMember:
    if user.board_id != review.board_id or not user.is_active:
        raise ReviewError("Choose an active person of this board", "user")
    if has_conflict and not conflict_details.strip():
        raise ReviewError("Describe the conflict of interest", "conflict_details")
    scr_lead = role == ReviewMember.Role.LEAD_REVIEWER and review.is_scr
    if role == ReviewMember.Role.LEAD_REVIEWER:
        problem = independence_problem(review=review, user=user, involved_in_case=involved_in_case)
        if problem:
            raise ReviewError(problem, "user")
    elif not user.agency_id:
        raise ReviewError(f"{user} does not belong to an agency: senior managers on the Review Group represent "
                          "an agency. Add an independent person as a lead reviewer instead.", "user")
    if scr_lead and not qualifications.strip():
        raise ReviewError("Record the lead reviewer's qualifications and experience: a Serious Case Review's lead "
                          "reviewer is appointed for them", "qualifications")
    if scr_lead and not independence_declared_on:
        raise ReviewError("Enter the date the lead reviewer signed the declaration of independence",
                          "independence_declared_on")
    _not_future(independence_declared_on, "The date the declaration was signed", "independence_declared_on")
    with transaction.atomic():
        lock_review(review)
        if review.members.filter(user=user, removed_at__isnull=True).exists():
            raise ReviewError(f"{user} is already on the Review Group", "user")
        lead = role == ReviewMember.Role.LEAD_REVIEWER
        member = ReviewMember.objects.create(
            review=review, user=user, role=role, represents=None if lead else user.agency,
            has_conflict=has_conflict, conflict_details=conflict_details.strip() if has_conflict else "",
            involved_in_case=involved_in_case, added_by=by, qualifications=qualifications.strip(),
            independence_declared_on=independence_declared_on if lead else None)
        if not can_view_case(user, review.case):
            case_access_grant(by=by, case=review.case, user=user,
                              reason=f"{member.get_role_display()} of review {review.reference}")
        audit_record(by=by, action="review.member_added", obj=review,
                     detail={"user_id": user.pk, "username": user.username, "role": role,
                             "conflict_declared": has_conflict,
                             "independence_declared": bool(independence_declared_on)})
    return member


def member_remove(*, by, member: ReviewMember) -> ReviewMember:
    with transaction.atomic():
        member.removed_at = now()
        member.save(update_fields=["removed_at"])
        audit_record(by=by, action="review.member_removed", obj=member.review,
                     detail={"user_id": member.user_id, "role": member.role})
    return member


def case_group_candidates(review: Review):
    """Suggested Case Group members: people of the involved agencies who wrote entries in this review's
    chronologies, those who wrote the most first; then the rest of the involved agencies' people."""
    written = hooks.entries_written(review)
    involved = review.case.case_agencies.values("agency_id")
    taken = review.case_group.filter(user__isnull=False).values("user_id")
    leads = review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True).values("user_id")
    entries = Case(*[When(pk=user_id, then=Value(n)) for user_id, n in written.items()], default=Value(0),
                    output_field=IntegerField()) if written else Value(0, output_field=IntegerField())
    return (User.objects.filter(board_id=review.board_id, is_active=True, agency_id__in=involved)
            .exclude(pk__in=taken).exclude(pk__in=leads)
            .annotate(chronology_entries=entries)
            .order_by("-chronology_entries", "first_name", "last_name").select_related("agency"))


def case_group_add(*, by, review: Review, user=None, name: str = "", job_title: str = "", email: str = "",
                   agency=None, involvement: str) -> CaseGroupMember:
    """Add a practitioner to the Case Group: someone with an account (`user`), or someone without one, recorded
    by name, role, agency and email."""
    if user is not None:
        if user.board_id != review.board_id or not user.is_active:
            raise ReviewError("Choose an active person of this board", "user")
        agency = user.agency
        who = str(user)
    else:
        if not name.strip():
            raise ReviewError("Choose a person, or enter the name of a practitioner without an account", "name")
        if not email.strip():
            raise ReviewError(f"Enter {name.strip()}'s email address: the consultation link is sent there", "email")
        if agency is None:
            raise ReviewError(f"Choose the agency {name.strip()} works for", "agency")
        who = name.strip()
    field = "user" if user is not None else "agency"
    if agency is None or agency.board_id != review.board_id or \
            not review.case.case_agencies.filter(agency_id=agency.pk).exists():
        raise ReviewError(f"{who} is not a practitioner of an agency involved in this case: the Case Group is "
                          "made up of practitioners of the involved agencies", field)
    if not involvement.strip():
        raise ReviewError("Describe their part in the significant events", "involvement")
    with transaction.atomic():
        lock_review(review)
        if user is not None and review.case_group.filter(user=user).exists():
            raise ReviewError(f"{user} is already in the Case Group", "user")
        if user is None and review.case_group.filter(user__isnull=True, email__iexact=email.strip()).exists():
            raise ReviewError(f"{email.strip()} is already in the Case Group", "email")
        if user is not None and review.members.filter(user=user, role=ReviewMember.Role.LEAD_REVIEWER,
                                                      removed_at__isnull=True).exists():
            raise ReviewError(f"{user} leads this review, so cannot also be in its Case Group", "user")
        member = CaseGroupMember.objects.create(
            review=review, user=user, agency=agency, involvement=involvement.strip(), added_by=by,
            name="" if user else name.strip(), job_title="" if user else job_title.strip(),
            email="" if user else email.strip())
        audit_record(by=by, action="review.case_group_added", obj=review,
                     detail={"user_id": user.pk if user else None, "agency": agency.short_code,
                             "account": user is not None})
    return member


_CASE_GROUP_MOVES = {
    CaseGroupMember.Status.INVITED: "invite",
    CaseGroupMember.Status.ACCEPTED: "accept",
    CaseGroupMember.Status.DECLINED: "decline",
    CaseGroupMember.Status.CONTRIBUTED: "contribute",
}


def case_group_update(*, by, member: CaseGroupMember, status: str, on: date) -> CaseGroupMember:
    _not_future(on, "The date", "on")
    if on < member.review.initiated_on:
        raise ReviewError(f"The date must be on or after the review started ({long_date(member.review.initiated_on)})",
                          "on")
    if member.invited_on and status != CaseGroupMember.Status.INVITED and on < member.invited_on:
        raise ReviewError(f"The date must be on or after the invitation ({long_date(member.invited_on)})", "on")
    move = _CASE_GROUP_MOVES.get(status)
    if move is None or not can_proceed(getattr(member, move)):
        raise ReviewError(f"{member.display_name} is {member.get_status_display().lower()}, so cannot be marked "
                          f"{CaseGroupMember.Status(status).label.lower()}", "status")
    with transaction.atomic():
        lock_review(member.review)
        getattr(member, move)()
        member.status_on = on
        review = member.review
        if status == CaseGroupMember.Status.INVITED:
            member.invited_on = on
            if member.contact_email:
                where = (f"at {absolute_url('reviews:consultation', review.pk)}" if member.user_id else
                         "through a link sent to this address")
                email_queue(to=member.contact_email, board_id=review.board_id, about=review, by=by,
                            subject=f"You are invited to the Case Group of review {review.reference}",
                            body=(f"You have been invited to the Case Group of review {review.reference} "
                                  "because of your part in the significant practice events. The Business Manager "
                                  "will be in touch about how you can contribute, and you will be asked for your "
                                  f"comments on the draft findings {where} once they are ready."))
        member.save()
        audit_record(by=by, action="review.case_group_updated", obj=review,
                     detail={"member_id": member.pk, "user_id": member.user_id, "status": status})
    return member


def family_update(*, by, review: Review, version: int | None = None, family_status: str,
                  family_invited_on: date | None, family_how: str, family_expectations: str,
                  family_contributions: str) -> Review:
    invited_states = {Review.FamilyStatus.INVITED, Review.FamilyStatus.CONTRIBUTING, Review.FamilyStatus.DECLINED}
    if family_status in invited_states and not family_invited_on:
        raise ReviewError("Enter the date the family was invited", "family_invited_on")
    _not_future(family_invited_on, "The date the family was invited", "family_invited_on")
    if family_status == Review.FamilyStatus.NOT_APPROPRIATE and not family_how.strip():
        raise ReviewError("Explain why the family is not being invited", "family_how")
    with transaction.atomic():
        review = lock_review(review)
        claim_version(review, version, "review")
        review.family_status, review.family_invited_on = family_status, family_invited_on
        review.family_how, review.family_expectations = family_how.strip(), family_expectations.strip()
        review.family_contributions = family_contributions.strip()
        review.save()
        # No family member's name goes into the audit trail: only the status.
        audit_record(by=by, action="review.family_updated", obj=review, detail={"status": family_status})
    return review
