"""Action plans in each state, built through the services so they are what users would make."""

from datetime import date, timedelta

from casereview.actions import services
from casereview.actions.models import ActionPlan
from casereview.lib.dates import today
from casereview.partnership.roles import Role
from casereview.reviews.models import Recommendation, Review
from tests.factories import CommitteeFactory, UserFactory


def scr_chair(world):
    user = getattr(world, "_scr_chair", None)
    if user is None:
        user = UserFactory(board=world.board, username="scr-chair-t", roles=[Role.SCR_COMMITTEE_CHAIR])
        world._scr_chair = user
    return user


def perf_chair(world):
    user = getattr(world, "_perf_chair", None)
    if user is None:
        user = UserFactory(board=world.board, agency=world.agency_b, username="perf-chair-t",
                           roles=[Role.PERFORMANCE_CHAIR])
        world._perf_chair = user
    return user


def review(world, reference="TREV-1", status="published", recommendations=2, approved_days_ago=3):
    approved = status in (Review.Status.APPROVED, Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED)
    rev = Review.objects.create(board=world.board, case=world.case, reference=reference, title="Child Q",
                                type=Review.Type.SCR_TARGETED, status=status, initiated_on=date(2025, 1, 6),
                                approved_on=today() - timedelta(days=approved_days_ago) if approved else None)
    for number in range(1, recommendations + 1):
        rec = Recommendation.objects.create(review=rev, number=number, level="partnership",
                                            text=f"Recommendation text {number}")
        rec.target_agencies.add(world.agency_a)
    return rev


def draft_plan(world, reference="TREV-1", *, start=date(2026, 1, 5), target=date(2026, 6, 30)):
    """A draft plan with one outcome and one action (owned by agency A's author) per recommendation."""
    plan = services.plan_create_from_review(by=world.manager, review=review(world, reference))
    for rec in plan.recommendations.all():
        outcome = services.outcome_add(by=world.manager, recommendation=rec, agency=world.agency_a,
                                       text=f"Outcome for recommendation {rec.number}")
        services.action_propose(by=world.author_a, outcome=outcome, description=f"Do thing {rec.number}",
                                lead_agency=world.agency_a, owner=world.author_a, start_date=start,
                                target_date=target, impact_measure="Audit in six months")
    return plan


def monitored_plan(world, reference="TREV-1", *, handover=date(2026, 1, 31), **kwargs):
    plan = draft_plan(world, reference, **kwargs)
    services.plan_submit(by=world.manager, plan=plan)
    services.plan_approve(by=scr_chair(world), plan=plan)
    ActionPlan.objects.filter(pk=plan.pk).update(approved_at=None)
    plan = ActionPlan.objects.get(pk=plan.pk)
    services.plan_hand_over(by=world.manager, plan=plan, committee=world.committee, on=handover)
    return plan


def second_committee(world, **kwargs):
    return CommitteeFactory(board=world.board, **kwargs)
