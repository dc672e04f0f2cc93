"""The agenda sources this project ships: completed reviews, referrals awaiting the SCR Committee, action plans
awaiting approval, the quarterly exception report, completed actions awaiting evaluation and the last meeting's
minutes. Learning summaries plug in from the learning app through `casereview.committees.agenda.register_source`.
"""

from django.urls import reverse
from django.utils import timezone

from casereview.actions.models import Action, ActionPlan
from casereview.lib.formats import count, long_date
from casereview.partnership.models import Committee
from casereview.referrals.models import Referral
from casereview.reviews.models import Review

from .agenda import Proposal
from .services import minutes_waiting_for_approval

# The report is finished once the board approves it, whether or not it is then published.
COMPLETED_REVIEW_STATUSES = (Review.Status.APPROVED, Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED)
# Completed reviews and learning go to the Performance and the Learning and Development Committees.
LEARNING_COMMITTEES = (Committee.Kind.PERFORMANCE, Committee.Kind.LEARNING_DEVELOPMENT)


def completed_reviews(meeting):
    """Reviews completed (approved by the board) since the committee last met; the agenda builder drops those
    completed before that meeting. A review with no approval date was completed before the board used
    CaseReview and is not proposed."""
    if meeting.committee.kind not in LEARNING_COMMITTEES:
        return []
    proposals = []
    for review in Review.objects.filter(board_id=meeting.board_id, status__in=COMPLETED_REVIEW_STATUSES):
        completed_on = review.approved_on or review.published_on
        if completed_on is None:
            continue
        proposals.append(Proposal(
            kind="review", source_type="reviews.review", source_id=str(review.pk),
            title=f"Completed review {review.reference}: {review.title} ({review.get_type_display()})",
            paper=(f"{review.get_type_display()} {review.reference}, initiated {long_date(review.initiated_on)}, "
                   f"completed {long_date(completed_on)} ({review.get_status_display().lower()}). "
                   f"{count(review.recommendations.count(), 'recommendation')}."),
            ready_on=completed_on))
    return proposals


def referrals_awaiting_consideration(meeting):
    """Referrals received and waiting for the SCR Committee's decision matrix and recommendation."""
    if meeting.committee.kind != Committee.Kind.SCR:
        return []
    return [Proposal(kind="referral", source_type="referrals.referral", source_id=str(referral.pk),
                     title=f"Referral {referral.reference}: decision matrix and recommendation to the Chair",
                     paper=(f"Received {long_date(referral.received_on)}." if referral.received_on else ""),
                     url=reverse("referrals:detail", args=[referral.pk]))
            for referral in Referral.objects.filter(board_id=meeting.board_id, status=Referral.Status.RECEIVED)
            .order_by("received_on", "pk")]


def minutes_of_the_last_meeting(meeting):
    """The last meeting's draft minutes, to approve as a true record."""
    previous = minutes_waiting_for_approval(meeting)
    if previous is None:
        return []
    return [Proposal(kind="other", source_type="committees.minutes", source_id=str(previous.pk),
                     title=f"Minutes of the meeting of {long_date(previous.starts_at)}: to approve",
                     url=reverse("committees:meeting_detail", args=[previous.pk]))]


def plans_awaiting_approval(meeting):
    if meeting.committee.kind != Committee.Kind.SCR:
        return []
    return [Proposal(kind="plan_approval", source_type="actions.actionplan", source_id=str(plan.pk),
                     title=f"Approve {plan.title}",
                     paper=(f"{count(plan.actions.count(), 'action')} proposed by agencies for {plan.source_label}, "
                            f"sent for approval on {long_date(plan.submitted_at)}.")
                     if plan.submitted_at else "",
                     url=reverse("actions:plan_detail", args=[plan.pk]))
            for plan in ActionPlan.objects.filter(board_id=meeting.board_id,
                                                  state=ActionPlan.State.AWAITING_APPROVAL)]


def exception_report(meeting):
    if meeting.committee.kind != Committee.Kind.PERFORMANCE:
        return []
    plans = ActionPlan.objects.filter(board_id=meeting.board_id, state=ActionPlan.State.MONITORING,
                                      monitoring_committee=meeting.committee)
    if not plans.exists():
        return []
    day = timezone.localtime(meeting.starts_at).date()
    actions = Action.objects.filter(plan__in=plans)
    overdue = actions.overdue(day).count()
    off_track = actions.open().filter(rag__in=["red", "amber"]).count()
    return [Proposal(kind="exception_report", source_type="actions.exception_report", source_id=str(meeting.pk),
                     title="Action plans: quarterly exception report",
                     paper=(f"{count(plans.count(), 'plan')} monitored by the committee; {count(overdue, 'action')} overdue and "
                            f"{off_track} reported red or amber. Agencies present their exceptions."),
                     url=reverse("actions:reports"), recurring=True)]


def completed_actions_to_evaluate(meeting):
    if meeting.committee.kind != Committee.Kind.PERFORMANCE:
        return []
    plans = ActionPlan.objects.filter(board_id=meeting.board_id, state=ActionPlan.State.MONITORING,
                                      monitoring_committee=meeting.committee,
                                      actions__state=Action.State.COMPLETE).distinct()
    return [Proposal(kind="plan_impact", source_type="actions.impact", source_id=f"{plan.pk}-{meeting.pk}",
                     title=f"Impact of completed actions: {plan.source_label}",
                     paper=f"{count(plan.actions.filter(state=Action.State.COMPLETE).count(), 'completed action')} "
                           "awaiting an impact evaluation.",
                     url=reverse("actions:plan_detail", args=[plan.pk]), recurring=True)
            for plan in plans]
