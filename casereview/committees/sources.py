"""The agenda sources this project ships: completed reviews, action plans awaiting approval, the quarterly
exception report and completed actions awaiting evaluation. Referrals and learning summaries plug in through
`casereview.committees.agenda.register_source` from their own apps."""

from django.urls import reverse
from django.utils import timezone

from casereview.actions.models import Action, ActionPlan
from casereview.partnership.models import Committee
from casereview.reviews.models import Review

from .agenda import Proposal

# The report is finished once the board approves it, whether or not it is then published.
COMPLETED_REVIEW_STATUSES = ("completed", "approved", "published", "not_published")
# Completed reviews and learning go to the Performance and the Learning and Development Committees (seed s.6, 7).
LEARNING_COMMITTEES = (Committee.Kind.PERFORMANCE, Committee.Kind.LEARNING_DEVELOPMENT)


def _completed_on(review):
    """When the review was completed: its own approval or publication date if it records one, otherwise the
    first time its history (simple-history keeps every save) shows a completed status."""
    for field in ("approved_on", "completed_on", "published_on"):
        if getattr(review, field, None):
            return getattr(review, field)
    first = (review.history.filter(status__in=COMPLETED_REVIEW_STATUSES).order_by("history_date")
             .values_list("history_date", flat=True).first())
    return timezone.localtime(first).date() if first else None


def completed_reviews(meeting):
    if meeting.committee.kind not in LEARNING_COMMITTEES:
        return []
    proposals = []
    for review in Review.objects.filter(board_id=meeting.board_id, status__in=COMPLETED_REVIEW_STATUSES):
        proposals.append(Proposal(
            kind="review", source_type="reviews.review", source_id=str(review.pk),
            title=f"Completed review {review.reference}: {review.title} ({review.get_type_display()})",
            paper=(f"{review.get_type_display()} {review.reference}, initiated {review.initiated_on:%-d %B %Y}, "
                   f"status {review.status}. {review.recommendations.count()} recommendations."),
            ready_on=_completed_on(review)))
    return proposals


def plans_awaiting_approval(meeting):
    if meeting.committee.kind != Committee.Kind.SCR:
        return []
    return [Proposal(kind="plan_approval", source_type="actions.actionplan", source_id=str(plan.pk),
                     title=f"Approve {plan.title}",
                     paper=(f"{plan.actions.count()} actions proposed by agencies for {plan.source_label}, "
                            f"sent for approval on {timezone.localtime(plan.submitted_at):%-d %B %Y}.")
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
                     paper=(f"{plans.count()} plans monitored by the committee; {overdue} actions overdue and "
                            f"{off_track} reported red or amber. Agencies present exceptions (seed s.7)."),
                     url=reverse("actions:reports"), recurring=True)]


def completed_actions_to_evaluate(meeting):
    if meeting.committee.kind != Committee.Kind.PERFORMANCE:
        return []
    plans = ActionPlan.objects.filter(board_id=meeting.board_id, state=ActionPlan.State.MONITORING,
                                      monitoring_committee=meeting.committee,
                                      actions__state=Action.State.COMPLETE).distinct()
    return [Proposal(kind="plan_impact", source_type="actions.impact", source_id=f"{plan.pk}-{meeting.pk}",
                     title=f"Impact of completed actions: {plan.source_label}",
                     paper=f"{plan.actions.filter(state='complete').count()} completed actions await an impact "
                           "evaluation (seed s.9).",
                     url=reverse("actions:plan_detail", args=[plan.pk]), recurring=True)
            for plan in plans]
