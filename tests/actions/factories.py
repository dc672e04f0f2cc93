"""Action plans in each state, built through the services so they are what users would make."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from casereview.actions import services
from casereview.actions.models import ActionPlan
from casereview.lib.dates import today
from casereview.partnership.models import Committee, CommitteeMembership
from casereview.partnership.roles import Role
from casereview.reviews.models import Review
from tests.factories import CommitteeFactory, UserFactory, review_in


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


def review(world, reference="TREV-1", status="published", recommendations=2, approved_days_ago=10,
           type=Review.Type.SCR_TARGETED):
    """A review (a Targeted SCR unless `type` says otherwise) with `recommendations` for agency A, through the
    review services (`review_in`). Asked again for the same reference, the same review."""
    existing = Review.objects.filter(board=world.board, reference=reference).first()
    if existing is not None:
        return existing
    approved = status in (Review.Status.APPROVED, Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED)
    return review_in(world, status, type=type, reference=reference,
                     initiated_on=date(2025, 1, 6), recommendations=recommendations,
                     approved_on=today() - timedelta(days=approved_days_ago) if approved else None)


def draft_plan(world, reference="TREV-1", *, start=date(2026, 1, 5), target=date(2026, 6, 30),
               review_status="published"):
    """A draft plan with one outcome and one action (owned by agency A's author) per recommendation."""
    plan = services.plan_create_from_review(by=world.manager, review=review(world, reference, status=review_status))
    for rec in plan.recommendations.all():
        outcome = services.outcome_add(by=world.manager, recommendation=rec, agency=world.agency_a,
                                       text=f"Outcome for recommendation {rec.number}")
        services.action_propose(by=world.author_a, outcome=outcome, description=f"Do thing {rec.number}",
                                lead_agency=world.agency_a, owner=world.author_a, start_date=start,
                                target_date=target, impact_measure="Audit in six months")
    return plan


def scr_committee(world):
    """The SCR Committee: its chair and two agencies' representatives, so a full meeting is quorate."""
    committee = getattr(world, "_scr_committee", None)
    if committee is None:
        committee = CommitteeFactory(board=world.board, kind=Committee.Kind.SCR, name="Testshire SCR Committee",
                                     meeting_frequency_days=28, quorum_requires_chair=True,
                                     quorum_agency_representatives=2)
        CommitteeMembership.objects.create(committee=committee, user=scr_chair(world), position="chair")
        CommitteeMembership.objects.create(committee=committee, user=world.lead_a, represents=world.agency_a)
        CommitteeMembership.objects.create(committee=committee, user=world.author_b, represents=world.agency_b)
        world._scr_committee = committee
    return committee


def scr_meeting(world, *, days_ago=1, present=None):
    """A held meeting of the SCR Committee, everyone present unless `present` says who was."""
    from casereview.committees import services as meetings
    from casereview.committees.models import Meeting

    committee = scr_committee(world)
    start = timezone.make_aware(datetime.combine(today() - timedelta(days=days_ago), time(10, 0)))
    meeting = meetings.meetings_schedule(by=world.manager, committee=committee, first_starts_at=start, count=1,
                                         location="Room 1", duration_minutes=60, allow_past=True)[0]
    people = present if present is not None else [m.user for m in committee.memberships.all()]
    meetings.attendance_record(by=world.manager, meeting=meeting, statuses={
        m.user_id: "present" if m.user in people else "apologies" for m in committee.memberships.all()})
    return Meeting.objects.get(pk=meeting.pk)


def approve_at_meeting(world, plan, *, by=None, meeting=None):
    """The SCR Committee approves the plan by a decision of a quorate meeting, as it does in the service."""
    from casereview.committees import services as meetings

    meeting = meeting or scr_meeting(world)
    return meetings.decision_record(by=by or scr_chair(world), meeting=meeting, approves_plan=plan,
                                    text=f"Plan for {plan.source_label} approved")


def monitored_plan(world, reference="TREV-1", *, handover=date(2026, 1, 31), **kwargs):
    plan = draft_plan(world, reference, **kwargs)
    services.plan_submit(by=world.manager, plan=plan)
    with time_machine.travel(handover, tick=False):
        approve_at_meeting(world, ActionPlan.objects.get(pk=plan.pk))
    plan = ActionPlan.objects.get(pk=plan.pk)
    services.plan_hand_over(by=world.manager, plan=plan, committee=world.committee, on=handover)
    return plan


def second_committee(world, **kwargs):
    return CommitteeFactory(board=world.board, **kwargs)
