"""Home page panels: what is waiting for action owners, the Performance Committee and the SCR Committee."""

from django.urls import reverse

from casereview.core.permissions import is_board_member
from casereview.lib.dates import today as board_today
from casereview.lib.formats import short_date
from casereview.partnership.roles import Role

from . import permissions as perms
from . import selectors
from .models import Action, ActionPlan, Rag


def owner_panel(user):
    actions = list(selectors.actions_for_person(user)[:50])
    if not actions:
        return None
    today = board_today()
    rows = []
    for action in sorted(actions, key=lambda a: (not a.is_overdue_on(today), a.current_target)):
        if action.state == Action.State.COMPLETE:
            next_step = "Evaluate impact"
        elif action.is_overdue_on(today):
            next_step = f"Overdue since {short_date(action.current_target)}"
        else:
            next_step = f"Target {short_date(action.current_target)}"
        rows.append({"cells": [f"{action.plan.source_label} action {action.reference}", action.lead_agency.name,
                               action.rag_label, next_step],
                     "url": reverse("actions:action_detail", args=[action.pk])})
    return {"title": "Your actions", "headings": ["Action", "Lead agency", "RAG", "Next"], "rows": rows[:10],
            "link": {"url": reverse("actions:plan_list"), "text": "All action plans"}}


def performance_panel(user):
    if not perms.monitors_plans(user):
        return None
    today = board_today()
    live = selectors.actions_visible_to(user).filter(plan__state=ActionPlan.State.MONITORING)
    overdue = list(live.overdue(today)[:10])
    off_track = list(live.open().filter(rag__in=[Rag.RED, Rag.AMBER]).exclude(pk__in=[a.pk for a in overdue])[:10])
    rows = [{"cells": [f"{a.plan.source_label} action {a.reference}", a.lead_agency.name,
                       f"Overdue since {short_date(a.current_target)}" if a in overdue else a.rag_label],
             "url": reverse("actions:action_detail", args=[a.pk])} for a in overdue + off_track]
    return {"title": "Action plans by exception", "headings": ["Action", "Lead agency", "Why"], "rows": rows[:10],
            "empty": "No monitored action is overdue, red or amber.",
            "link": {"url": reverse("actions:reports"), "text": "Exception report and Executive summary"}}


def approval_panel(user):
    if not perms.manages_plans(user):
        return None
    plans = selectors.plans_visible_to(user).filter(
        state__in=[ActionPlan.State.AWAITING_APPROVAL, ActionPlan.State.APPROVED])
    rows = [{"cells": [plan.title, plan.get_state_display()], "url": reverse("actions:plan_detail", args=[plan.pk])}
            for plan in plans[:10]]
    if not rows:
        return None
    return {"title": "Action plans for the SCR Committee", "headings": ["Plan", "Status"], "rows": rows,
            "link": {"url": reverse("actions:plan_list"), "text": "All action plans"}}


# --- "Waiting for you": each step that waits for this person, with its deadline --------------------------------

def plans_to_approve_waiting(user) -> list[dict]:
    """Plans sent to the SCR Committee, for its chair and the plan managers (never the person who sent it)."""
    if not (perms.manages_plans(user) or (is_board_member(user) and user.has_role(Role.SCR_COMMITTEE_CHAIR))):
        return []
    plans = (selectors.plans_visible_to(user).filter(state=ActionPlan.State.AWAITING_APPROVAL)
             .exclude(submitted_by=user).order_by("submitted_at")[:20])
    return [{"label": f"Approve the action plan for {plan.source_label} at a quorate SCR Committee meeting",
             "url": reverse("actions:plan_detail", args=[plan.pk]), "due": None} for plan in plans]


def updates_due_waiting(user) -> list[dict]:
    """Each action this person answers for whose quarterly update has not been given, due on the quarter's date."""
    today = board_today()
    items = []
    actions = (selectors.actions_for_person(user).filter(
        plan__state=ActionPlan.State.MONITORING, state__in=[Action.State.AGREED, Action.State.IN_PROGRESS])
        .order_by("plan_id", "outcome__recommendation__number", "number")[:50])
    for action in actions:
        cycle = selectors.current_cycle(action.plan, today)
        if cycle is None or action.updates.filter(cycle=cycle).exists():
            continue
        items.append({"label": f"Give the quarter {cycle.number} update for action {action.reference} of "
                               f"{action.plan.source_label}",
                      "url": reverse("actions:action_update", args=[action.pk]), "due": cycle.due_date})
    return items
