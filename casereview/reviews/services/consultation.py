"""The Case Group consultation on the draft findings."""


from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.notifications.services import email_queue

from ..models import (
    CaseGroupComment,
    CaseGroupMember,
    Finding,
    Review,
)
from .base import ReviewError, _today


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


