"""Hand-offs (issue G1): each step that waits for a person is on their "Waiting for you" list with its deadline."""

from datetime import date

import time_machine
from django.urls import reverse

from casereview.actions import services
from casereview.actions.dashboard import plans_to_approve_waiting, updates_due_waiting
from casereview.actions.models import Action
from tests.actions.factories import draft_plan, monitored_plan, scr_chair


def test_a_plan_sent_for_approval_waits_for_the_scr_committee_chair_not_the_sender(world):
    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    assert plans_to_approve_waiting(scr_chair(world)) == [{
        "label": "Approve the action plan for TREV-1 at a quorate SCR Committee meeting",
        "url": reverse("actions:plan_detail", args=[plan.pk]), "due": None}]
    assert plans_to_approve_waiting(world.manager) == []
    assert plans_to_approve_waiting(world.author_a) == []
    assert plans_to_approve_waiting(world.outsider) == []


def test_a_quarterly_update_waits_for_the_owner_until_given(world):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 9, 30))
    first = plan.actions.order_by("outcome__recommendation__number").first()
    with time_machine.travel(date(2026, 3, 2), tick=False):
        waiting = updates_due_waiting(world.author_a)
        assert [(w["label"], w["due"]) for w in waiting] == [
            ("Give the quarter 1 update for action 1.1 of TREV-1", date(2026, 4, 30)),
            ("Give the quarter 1 update for action 2.1 of TREV-1", date(2026, 4, 30))]
        assert waiting[0]["url"] == reverse("actions:action_update", args=[first.pk])
        services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=first.pk),
                                      status="in_progress", percent_complete=10, rag="green", narrative="")
        assert [w["label"] for w in updates_due_waiting(world.author_a)] == [
            "Give the quarter 1 update for action 2.1 of TREV-1"]
        assert updates_due_waiting(world.author_b) == []
