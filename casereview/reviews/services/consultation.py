"""The Case Group consultation on the draft findings.

Practitioners with an account comment on their own consultation page. A practitioner without one is sent a
link of their own: it opens only this review's draft findings, expires, stops working when the consultation
closes, and every use of it is audited. Only a hash of the link's secret is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django_fsm import can_proceed

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version
from casereview.core.links import absolute_url
from casereview.lib.dates import now, today
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue

from ..models import CaseGroupComment, CaseGroupMember, Finding, Review
from .base import ReviewError, lock_review

# How long a consultation link works (it also stops when the consultation closes).
CONSULTATION_LINK_DAYS = 28
CONSULTED_STATES = (CaseGroupMember.Status.INVITED, CaseGroupMember.Status.ACCEPTED,
                    CaseGroupMember.Status.CONTRIBUTED)


def link_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _invite_by_link(*, by, review: Review, member: CaseGroupMember) -> None:
    secret = secrets.token_urlsafe(32)
    member.link_hash = link_hash(secret)
    member.link_expires_on = today() + timedelta(days=CONSULTATION_LINK_DAYS)
    member.save(update_fields=["link_hash", "link_expires_on"])
    email_queue(to=member.email, board_id=review.board_id, about=review, by=by,
                subject=f"Draft findings of review {review.reference}: your comments",
                body=(f"Dear {member.name},\n\nThe Review Group of review {review.reference} would like your comments "
                      "and any corrections on its draft findings. This link opens them, and only them, until "
                      f"{long_date(member.link_expires_on)}; please do not forward it:\n\n"
                      f"{absolute_url('reviews:consultation_link', secret)}\n"))


def consultation_open(*, by, review: Review) -> Review:
    with transaction.atomic():
        review = lock_review(review)
        if not review.findings.exists():
            raise ReviewError("Record the draft findings before consulting the Case Group")
        invited = review.case_group.filter(status__in=CONSULTED_STATES).select_related("user")
        if not invited.exists():
            raise ReviewError("Invite the Case Group before consulting them on the findings")
        review.consultation_opened_on, review.consultation_closed_on = today(), None
        review.save(update_fields=["consultation_opened_on", "consultation_closed_on"])
        for member in invited:
            if member.user_id is None:
                _invite_by_link(by=by, review=review, member=member)
            elif member.user.email:
                email_queue(to=member.user.email, board_id=review.board_id, about=review, by=by,
                            subject=f"Draft findings of review {review.reference}: your comments",
                            body=("The Review Group would like your comments and any corrections on the draft "
                                  f"findings of review {review.reference}. Sign in to CaseReview and open "
                                  f"{absolute_url('reviews:consultation', review.pk)}"))
        audit_record(by=by, action="review.consultation_opened", obj=review, detail={"invited": invited.count()})
    return review


def consultation_close(*, by, review: Review) -> Review:
    with transaction.atomic():
        review = lock_review(review)
        review.consultation_closed_on = today()
        review.save(update_fields=["consultation_closed_on"])
        # Links stop working the moment the consultation closes.
        review.case_group.exclude(link_hash="").update(link_hash="", link_expires_on=None)
        audit_record(by=by, action="review.consultation_closed", obj=review)
    return review


def comment_add(*, by, member: CaseGroupMember, finding: Finding, kind: str, text: str) -> CaseGroupComment:
    """A Case Group member's comment. `by` is the signed-in member, or None for a member using their link (the
    view has already matched the link to `member`)."""
    if member.user_id and (by is None or member.user_id != by.pk):
        raise ReviewError("Only the Case Group member can comment in their own name")
    if finding.review_id != member.review_id:
        raise ReviewError("Choose a finding of this review", "finding")
    if not text.strip():
        raise ReviewError("Enter your comment or correction", "text")
    with transaction.atomic():
        review = lock_review(member.review)
        if not review.consultation_opened_on or review.consultation_closed_on:
            raise ReviewError("The consultation on the draft findings is not open")
        comment = CaseGroupComment.objects.create(finding=finding, member=member, kind=kind, text=text.strip())
        if member.status != CaseGroupMember.Status.CONTRIBUTED and can_proceed(member.contribute):
            member.contribute()
            member.status_on = today()
            member.save(update_fields=["status", "status_on"])
        audit_record(by=by, action="review.case_group_commented", obj=review,
                     detail={"finding": finding.number, "kind": kind, "member_id": member.pk,
                             "through_link": member.user_id is None})
    return comment


def comment_respond(*, by, comment: CaseGroupComment, version: int | None = None, outcome: str,
                    response: str) -> CaseGroupComment:
    if not response.strip():
        raise ReviewError("Enter the Review Group's response", "response")
    with transaction.atomic():
        lock_review(comment.finding.review)
        claim_version(comment, version, "response")
        comment.outcome, comment.response = outcome, response.strip()
        comment.responded_by, comment.responded_at = by, now()
        comment.save()
        audit_record(by=by, action="review.case_group_answered", obj=comment.finding.review,
                     detail={"finding": comment.finding.number, "outcome": outcome})
    return comment
