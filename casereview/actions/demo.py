"""Demo action plan for DEMO-4 (published by the reviews demo), built in two halves around the SCR Committee:

1. `load` (run with this app's demo) drafts the plan with the agencies' actions and sends it for approval;
2. the committees demo approves it at a quorate SCR Committee meeting a week before the handover, then calls
   `after_approval`, which hands it to the Performance Committee seven months ago, so it is in its third
   quarter, with red, amber, green and blue actions, one overdue action and one completed and evaluated.

Dates are relative to the day the demo is loaded."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from casereview.lib.clocks import add_calendar_months
from casereview.lib.dates import today as board_today
from casereview.partnership.models import Committee
from casereview.reviews.models import Review

from . import services
from .models import Action, ActionPlan, ActionUpdate

# (recommendation, agency, outcome, action, owner, start months, target months, quarterly updates)
# months are relative to the handover; each update is (status, %, RAG, narrative) for quarters 1 and 2.
PLAN = [
    (1, "POL", "Intelligence about exploitation reaches every partner within five working days.",
     "Add a standing exploitation item to the weekly multi-agency risk meeting and share police intelligence "
     "through it.", "police-lead", 0, 4,
     [("in_progress", 60, "green", ""), ("complete", 100, "blue", "Weekly item running since month 3.")]),
    (1, "SCH", "Schools recognise and report signs of exploitation.",
     "Train every designated safeguarding lead in Riverside schools on exploitation indicators.", "manager", 0, 9,
     [("in_progress", 30, "green", ""),
      ("in_progress", 50, "amber", "Two of five training dates were cancelled when the trainer was ill; "
                                   "extra dates are booked for next month.")]),
    (1, "CSC", "The front door screens every contact for exploitation risk.",
     "Add exploitation screening questions to the front door contact record.", "csc-author", 1, 8,
     [("in_progress", 40, "green", ""), ("in_progress", 70, "green", "")]),
    (2, "CSC", "Return home interviews look at the pattern of missing episodes.",
     "Revise the return home interview template and brief all interviewers.", "dcs", 0, 5,
     [("in_progress", 20, "amber", "Template drafted; consultation with the youth council took longer."),
      ("in_progress", 40, "red", "The new template is not yet live because the case system change is waiting "
                                 "for the supplier. Escalated to the Director.")]),
    (3, "HSG", "Children's social care knows when a family with a child on a plan moves.",
     "Add an automatic alert to children's social care when a tenancy linked to a child on a plan ends.",
     "manager", 1, 10, [("in_progress", 50, "green", ""), ("in_progress", 80, "green", "")]),
    (4, "HV", "The board knows whether the escalation policy is used well.",
     "Run a multi-agency audit of escalations in the last twelve months.", "perf-chair", 4, 11,
     [("not_started", 0, "green", ""), ("in_progress", 30, "green", "")]),
]


def handover_day(review: Review) -> date:
    """Seven months ago puts the plan in its third quarter; never before a week after the report was approved."""
    handover = add_calendar_months(board_today(), -7)
    if review.approved_on and handover < review.approved_on + timedelta(days=14):
        handover = review.approved_on + timedelta(days=14)
    return handover


def load(*, board, people, agencies):
    review = Review.objects.filter(board=board, reference="DEMO-4").first()
    if review is None or ActionPlan.objects.filter(review=review).exists():
        return
    manager = people["manager"]
    handover = handover_day(review)
    plan = services.plan_create_from_review(by=manager, review=review)
    recs = {r.number: r for r in plan.recommendations.all()}
    for number, code, outcome_text, what, owner, start, target, _updates in PLAN:
        outcome = services.outcome_add(by=people["scr-chair"], recommendation=recs[number], agency=agencies[code],
                                       text=outcome_text)
        services.action_propose(
            by=people["police-lead"] if code == "POL" else manager, outcome=outcome, description=what,
            lead_agency=agencies[code], owner=people[owner], start_date=add_calendar_months(handover, start),
            target_date=add_calendar_months(handover, target),
            impact_measure="Audit of a sample of cases six months after completion.")
    services.plan_submit(by=manager, plan=plan)


def after_approval(*, plan: ActionPlan, people) -> None:
    """Hand the approved plan to the Performance Committee and give two quarters of updates."""
    manager = people["manager"]
    today = board_today()
    handover = handover_day(plan.review)
    committee = Committee.objects.filter(board=plan.board, kind=Committee.Kind.PERFORMANCE).first()
    services.plan_hand_over(by=manager, plan=plan, committee=committee, on=handover,
                            note="Handed over at the SCR Committee meeting; agencies agreed their actions.")
    updates_for = {what: updates for _n, _c, _o, what, _w, _s, _t, updates in PLAN}
    actions = [(action, updates_for[action.description]) for action in plan.actions.order_by("pk")]
    for quarter in (1, 2):
        day = min(add_calendar_months(handover, 3 * quarter) - timedelta(days=3), today)
        for original, updates in actions:
            action = Action.objects.get(pk=original.pk)
            status, percent, rag, narrative = updates[quarter - 1]
            uploads = ([services.Upload("weekly-meeting-terms-of-reference.txt",
                                        b"Terms of reference: weekly exploitation item (fictional demo evidence).")]
                       if rag == "blue" else [])
            update = services.action_update_submit(
                by=action.owner, action=action, status=status, percent_complete=percent, rag=rag,
                narrative=narrative, uploads=uploads, evidence_description="Terms of reference" if uploads else "",
                today=day)
            ActionUpdate.objects.filter(pk=update.pk).update(
                submitted_at=timezone.make_aware(datetime.combine(day, time(9, 0))))
    first = Action.objects.get(pk=actions[0][0].pk)
    services.action_evaluate(
        by=people["perf-chair"], action=first, evaluated_on=min(add_calendar_months(handover, 6) + timedelta(days=10), today),
        method="audit", outcome_improved="yes",
        result="Audit of 20 exploitation cases: police intelligence reached the school and children's social care "
               "within five working days in 18 (90%), against 25% before the review.")
