"""Home page panels: what is waiting for action owners, the Performance Committee and the SCR Committee."""

from django.urls import reverse
from django.utils import timezone

from . import permissions as perms
from . import selectors
from .models import ActionPlan, Rag


def owner_panel(user):
    actions = list(selectors.actions_for_person(user)[:50])
    if not actions:
        return None
    today = timezone.localdate()
    rows = []
    for action in sorted(actions, key=lambda a: (not a.is_overdue_on(today), a.current_target)):
        if action.state == "complete":
            next_step = "Evaluate impact"
        elif action.is_overdue_on(today):
            next_step = f"Overdue since {action.current_target:%-d %b %Y}"
        else:
            next_step = f"Target {action.current_target:%-d %b %Y}"
        rows.append({"cells": [f"{action.plan.source_label} action {action.reference}", action.lead_agency.name,
                               action.rag_label, next_step],
                     "url": reverse("actions:action_detail", args=[action.pk])})
    return {"title": "Your actions", "headings": ["Action", "Lead agency", "RAG", "Next"], "rows": rows[:10],
            "link": {"url": reverse("actions:plan_list"), "text": "All action plans"}}


def performance_panel(user):
    if not perms.monitors_plans(user):
        return None
    today = timezone.localdate()
    live = selectors.actions_visible_to(user).filter(plan__state=ActionPlan.State.MONITORING)
    overdue = list(live.overdue(today)[:10])
    off_track = list(live.open().filter(rag__in=[Rag.RED, Rag.AMBER]).exclude(pk__in=[a.pk for a in overdue])[:10])
    rows = [{"cells": [f"{a.plan.source_label} action {a.reference}", a.lead_agency.name,
                       f"Overdue since {a.current_target:%-d %b %Y}" if a in overdue else a.rag_label],
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
