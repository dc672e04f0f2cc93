"""Demo meetings: the SCR Committee meeting that approved DEMO-4's action plan (quorate, the approval minuted as
a decision), and two of the Performance Committee: the last one (held, not quorate, with a flagged decision and
draft minutes) and the next one, six weeks later, with the agenda the builder proposes (the last meeting's
minutes, the action plan's exception report and completed actions awaiting evaluation)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from casereview.actions import demo as plan_demo
from casereview.actions.models import ActionPlan
from casereview.lib.dates import today as board_today
from casereview.partnership.models import Committee
from casereview.referrals import demo as referral_demo
from casereview.referrals.models import Referral

from . import services
from .agenda import proposals_for
from .models import Meeting
from .selectors import members_of


def approve_demo_plan(*, board, people) -> None:
    """The SCR Committee meets a week before the handover and approves DEMO-4's plan, with everyone present."""
    plan = ActionPlan.objects.filter(board=board, review__reference="DEMO-4",
                                     state=ActionPlan.State.AWAITING_APPROVAL).first()
    committee = Committee.objects.filter(board=board, kind=Committee.Kind.SCR).first()
    if plan is None or committee is None:
        return
    manager = people["manager"]
    day = plan_demo.handover_day(plan.review) - timedelta(days=7)
    meeting = services.meetings_schedule(
        by=manager, committee=committee, first_starts_at=timezone.make_aware(datetime.combine(day, time(14, 0))),
        count=1, location="Riverside Civic Centre, Room 1 (fictional)", duration_minutes=120, allow_past=True)[0]
    services.agenda_add_proposals(by=manager, meeting=meeting, keys=[
        p.key for p in proposals_for(meeting) if p.source_type == "actions.actionplan"])
    services.attendance_record(by=manager, meeting=meeting,
                               statuses={m.user_id: "present" for m in members_of(committee)})
    meeting = Meeting.objects.get(pk=meeting.pk)
    services.decision_record(
        by=people["scr-chair"], meeting=meeting, agenda_item=meeting.agenda_items.first(), approves_plan=plan,
        text="The agencies' actions meet the desired outcomes: the action plan is approved and oversight passes "
             "to the Performance Committee.")
    plan_demo.after_approval(plan=ActionPlan.objects.get(pk=plan.pk), people=people)


def recommend_on_demo_referrals(*, board, people, agencies) -> None:
    """The SCR Committee's quorate meetings that recommended on DEMO-3 and DEMO-4 (a recommendation to the
    Independent Chair rests on such a decision); then the referrals demo completes their matrices."""
    committee = Committee.objects.filter(board=board, kind=Committee.Kind.SCR).first()
    if committee is None:
        return
    for reference, days_ago in referral_demo.RECOMMENDED_AT.items():
        referral = Referral.objects.filter(board=board, reference=reference, status=Referral.Status.RECEIVED,
                                           committee_decisions__isnull=True).first()
        if referral is None:
            continue
        day = board_today() - timedelta(days=days_ago)
        meeting = services.meetings_schedule(
            by=people["manager"], committee=committee, count=1, duration_minutes=90, allow_past=True,
            first_starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
            location="Riverside Civic Centre, Room 1 (fictional)")[0]
        keys = [p.key for p in proposals_for(meeting)
                if p.source_type == "referrals.referral" and p.source_id == str(referral.pk)]
        if keys:
            services.agenda_add_proposals(by=people["manager"], meeting=meeting, keys=keys)
        services.attendance_record(by=people["manager"], meeting=meeting,
                                   statuses={m.user_id: "present" for m in members_of(committee)})
        meeting = Meeting.objects.get(pk=meeting.pk)
        services.decision_record(by=people["scr-chair"], meeting=meeting, agenda_item=meeting.agenda_items.first(),
                                 recommends_on_referral=referral,
                                 text=f"The committee applied the decision matrix to {reference} and recommends "
                                      "to the Independent Chair as the matrix records.")
    referral_demo.complete_considered(board=board, people=people, agencies=agencies)


def load(*, board, people, agencies):
    approve_demo_plan(board=board, people=people)
    recommend_on_demo_referrals(board=board, people=people, agencies=agencies)
    committee = Committee.objects.filter(board=board, kind=Committee.Kind.PERFORMANCE).first()
    if committee is None or Meeting.objects.filter(committee=committee).exists():
        return
    manager = people["manager"]
    frequency = timedelta(days=committee.meeting_frequency_days or 42)
    next_start = timezone.make_aware(datetime.combine(board_today() + timedelta(days=9), time(10, 0)))
    last, upcoming = services.meetings_schedule(
        by=manager, committee=committee, first_starts_at=next_start - frequency, count=2,
        location="Riverside Civic Centre, Room 2 (fictional)", duration_minutes=120,
        allow_past=True)
    services.agenda_add_item(by=manager, meeting=last, title="Terms of reference and work plan",
                             presenter="Performance Committee chair",
                             paper="Annual review of the committee's terms of reference.")
    statuses = {people["perf-chair"].pk: "present", people["police-lead"].pk: "present",
                people["dcs"].pk: "apologies", manager.pk: "present"}
    services.attendance_record(by=manager, meeting=last, statuses=statuses)
    services.decision_record(
        by=manager, meeting=last, agenda_item=last.agenda_items.first(), acknowledge_inquorate=True,
        text="Terms of reference agreed, subject to ratification at the next quorate meeting.")
    services.minutes_save(by=manager, meeting=last, minutes="Apologies from the Director of Children's Services. "
                          "The meeting was not quorate; the decision is to be ratified at the next meeting.")
    services.agenda_add_proposals(by=manager, meeting=upcoming, keys=[p.key for p in proposals_for(upcoming)])
    services.agenda_add_item(by=manager, meeting=upcoming, title="Ratify the terms of reference",
                             presenter="Performance Committee chair")
