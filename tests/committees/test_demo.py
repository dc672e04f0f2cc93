"""The demo: DEMO-4's plan in its third quarter and a Performance Committee meeting with its agenda."""

from django.core.management import call_command
from django.utils import timezone

from casereview.actions.models import Action, ActionPlan, ActionUpdate
from casereview.actions.selectors import current_cycle
from casereview.committees.models import AgendaItem, Decision, Meeting


def _counts():
    return (ActionPlan.objects.count(), Action.objects.count(), ActionUpdate.objects.count(), Meeting.objects.count(),
            AgendaItem.objects.count(), Decision.objects.count())


def test_the_demo_loads_once_and_shows_the_whole_cycle(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first

    today = timezone.localdate()
    plan = ActionPlan.objects.get(review__reference="DEMO-4")
    assert plan.state == "monitoring" and plan.monitoring_committee.name == "Performance Committee"
    assert current_cycle(plan, today).number == 3
    actions = list(plan.actions.all())
    assert {a.rag for a in actions} == {"red", "amber", "green", "blue"}
    assert [a.reference for a in actions if a.is_overdue_on(today)] == ["2.1"]
    evaluated = [a for a in actions if a.state == "evaluated"]
    assert [a.reference for a in evaluated] == ["1.1"] and evaluated[0].evaluation.outcome_improved == "yes"

    upcoming = Meeting.objects.get(committee__name="Performance Committee", state="scheduled")
    titles = list(upcoming.agenda_items.values_list("title", flat=True))
    assert "Action plans: quarterly exception report" in titles
    # DEMO-4 was completed months ago: it belonged on an earlier meeting, so the builder does not offer it now.
    assert not any("DEMO-4" in t for t in titles)
    last = Meeting.objects.get(committee__name="Performance Committee", state="held")
    assert not last.decisions.get().quorate
