"""Two people changing one action at once: the second save is refused, the first one's words stay."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casereview.actions import services
from casereview.actions.models import Action
from tests.actions.factories import draft_plan, monitored_plan, perf_chair
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def _action_data(world, description):
    return {"description": description, "lead_agency": world.agency_a.pk, "owner": world.author_a.pk,
            "start_date_0": "5", "start_date_1": "1", "start_date_2": "2026",
            "target_date_0": "30", "target_date_1": "6", "target_date_2": "2026",
            "impact_measure": "Audit in six months"}


def test_a_stale_change_to_an_action_is_refused(world, as_user):
    action = draft_plan(world).actions.order_by("pk").first()
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(world.author_a), url=reverse("actions:action_edit", args=[action.pk]),
        a_data=_action_data(world, "Train every health visitor"),
        b_data=_action_data(world, "Write a leaflet"), what="action")
    assert Action.objects.get(pk=action.pk).description == "Train every health visitor"


def test_a_second_impact_evaluation_opened_at_the_same_time_is_refused(world, as_user):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))
    action = plan.actions.order_by("pk").first()
    services.action_update_submit(by=world.author_a, action=action, status="complete", percent_complete=100,
                                  rag="green", narrative="")
    today = date.today()
    when = {"evaluated_on_0": today.day, "evaluated_on_1": today.month, "evaluated_on_2": today.year,
            "outcome_improved": "yes"}
    second_save_is_refused(
        a=as_user(perf_chair(world)), b=as_user(world.manager),
        url=reverse("actions:action_evaluate", args=[action.pk]),
        a_data={**when, "method": "audit", "result": "The re-audit found every referral escalated"},
        b_data={**when, "method": "survey", "result": "Practitioners feel more confident"}, what="action")
    evaluation = Action.objects.get(pk=action.pk).evaluation
    assert (evaluation.method, evaluation.result) == ("audit", "The re-audit found every referral escalated")
