"""Seed s.8: the statement published with a report is drafted from the review's action plan."""

from datetime import date

import time_machine
from django.urls import reverse

from casereview.actions import services
from casereview.actions.models import Action, ImpactEvaluation
from casereview.actions.selectors import publication_statement
from tests.actions.factories import monitored_plan


def test_the_statement_is_drafted_from_the_action_plan(world, as_user):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        # Approved and not yet published: an SCR is published with its statement, so this is when it is drafted.
        plan = monitored_plan(world, start=date(2026, 2, 1), target=date(2026, 6, 30), review_status="approved")
    done, pending = list(plan.actions.order_by("number", "pk"))[:2]
    services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=done.pk), status="complete",
                                  percent_complete=100, rag="green", narrative="")
    ImpactEvaluation.objects.create(action=Action.objects.get(pk=done.pk), evaluated_on=date(2026, 7, 1),
                                    method="audit", result="Escalations doubled", outcome_improved="yes",
                                    recorded_by=world.manager)
    statement = publication_statement(plan.review)
    assert statement["actions_taken"] == "- Do thing 1 (Testshire Police)"
    assert "Escalations doubled" in statement["impact"] and "improved: yes" in statement["impact"]
    assert statement["what_more"] == "- Do thing 2 (Testshire Police), due 30 June 2026"
    page = as_user(world.manager).get(reverse("reviews:publication", args=[plan.review.pk])).text
    assert "Do thing 2 (Testshire Police), due 30 June 2026" in page
    assert pending.description == "Do thing 2"
