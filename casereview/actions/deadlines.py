"""The action plans' quarterly update dates for the board's Deadlines page (registered from apps.py)."""

from datetime import date

from django.urls import reverse

from casereview.deadlines.registry import Deadline
from casereview.deadlines.services import fixed_due_view

from .models import ActionPlan
from .selectors import actions_missing_update, current_cycle


def update_deadlines(board, *, today: date, closures: frozenset[date]):
    """Each monitored plan's quarterly update while an open action has not given it, waiting on the agencies
    that lead those actions."""
    plans = ActionPlan.objects.filter(board=board, state=ActionPlan.State.MONITORING).order_by("pk")
    for plan in plans:
        cycle = current_cycle(plan, today)
        if cycle is None:
            continue
        missing = list(actions_missing_update(cycle))
        if not missing:
            continue
        agencies = tuple(sorted({a.lead_agency.name for a in missing if a.lead_agency_id}))
        count = len(missing)
        waiting = f"{count} action{'s' if count != 1 else ''}: " + (", ".join(agencies) or "their owners")
        yield Deadline(view=fixed_due_view(slug="action-plan-update", name="Quarterly update on an action plan",
                                           start=cycle.period_start, due=cycle.due_date, today=today,
                                           waiting_on=waiting),
                       record=f"Action plan of {plan.source_label} (quarter {cycle.number})",
                       url=reverse("actions:plan_detail", args=[plan.pk]), agencies=agencies)
