"""The people of a review: the Review Group, the Case Group and the family's involvement."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.cases.permissions import can_view_case
from casereview.cases.services import case_access_grant
from casereview.notifications.services import email_queue

from ..models import (
    CaseGroupMember,
    Review,
    ReviewMember,
)
from .base import ReviewError, _fmt, _not_future


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


