"""From a review's recommendations to a quarterly progress update, in the browser.

The Business Manager (for the SCR Committee) starts a plan from a published review and adds a desired outcome;
agency A's safeguarding lead proposes an action; the plan is sent for approval, approved and handed over to the
Performance Committee; the lead then reports the action red without saying why (refused, with the error
summary), and again with a narrative. Every distinct page is checked with axe-core for WCAG 2.2 A and AA.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from casereview.actions.models import Action, ActionPlan
from tests.actions.factories import review as published_review
from tests.actions.factories import scr_chair, scr_meeting
from tests.browser_support import accessible, fill_date, success

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_plan_goes_from_recommendations_to_a_red_update(live_server, world, person):
    today = timezone.localdate()
    review = published_review(world, "TREV-1", recommendations=1)

    # The plan starts from the review's recommendations; the committee sets a desired outcome for agency A.
    manager = person(world.manager)
    manager.goto(f"{live_server.url}/actions/")
    accessible(manager)
    manager.get_by_role("button", name="Start an action plan").click()
    manager.get_by_role("heading", name="Start an action plan").wait_for()
    accessible(manager)
    manager.get_by_label("Review", exact=True).select_option(label=str(review))
    manager.get_by_role("button", name="Start plan from review").click()
    assert "Action plan opened for TREV-1" in success(manager)
    plan = ActionPlan.objects.get()
    assert manager.get_by_text("Recommendation text 1").is_visible()
    accessible(manager)
    manager.get_by_role("link", name="Add a desired outcome to recommendation 1").click()
    manager.get_by_role("heading", name="Add a desired outcome").wait_for()
    accessible(manager)
    manager.get_by_label("Agency", exact=True).select_option(label="Testshire Police")
    manager.get_by_label("Desired outcome").fill("Concerns about a home reach every agency within a day.")
    manager.get_by_role("button", name="Add outcome").click()
    assert "Desired outcome added for Testshire Police" in success(manager)
    manager.get_by_role("button", name="Ask the agencies to propose actions").click()
    assert "Asked 1 agency to propose actions" in success(manager)

    # Agency A's lead proposes the action that will get there.
    lead = person(world.lead_a)
    plan_url = f"{live_server.url}/actions/plans/{plan.pk}/"
    lead.goto(plan_url)
    lead.get_by_role("link", name="Propose an action for Testshire Police, recommendation 1").click()
    lead.get_by_role("heading", name="Propose an action").wait_for()
    accessible(lead)
    lead.get_by_label("What will be done").fill("Train every response officer in the new referral route.")
    lead.get_by_label("Named owner").select_option(value=str(world.lead_a.pk))
    fill_date(lead, "start_date", today)
    fill_date(lead, "target_date", today + timedelta(days=180))
    lead.get_by_label("How will we know it has made a difference?").fill("Dip sample of referrals in six months")
    lead.get_by_role("button", name="Propose action").click()
    assert "proposed" in success(lead)
    action = Action.objects.get()

    # The plan is sent for approval, approved and handed over to the Performance Committee.
    manager.goto(plan_url)
    manager.get_by_role("button", name="Send for approval").click()
    assert "Plan sent to the SCR Committee for approval" in success(manager)
    # The SCR Committee approves it as a decision of a quorate meeting.
    meeting = scr_meeting(world)
    scr = person(scr_chair(world))
    scr.goto(f"{live_server.url}/committees/meetings/{meeting.pk}/decisions/new/")
    scr.get_by_role("heading", name="Record a decision").wait_for()
    accessible(scr)
    scr.get_by_label("Decision", exact=True).fill("Plan approved.")
    scr.get_by_label("Does this decision approve an action plan? (optional)").select_option(index=1)
    scr.get_by_role("button", name="Record decision").click()
    assert "Decision recorded" in success(scr)
    manager.goto(plan_url)
    manager.get_by_role("button", name="Record handover to the Performance Committee").click()
    manager.get_by_role("heading", name="Hand over oversight").wait_for()
    accessible(manager)
    manager.get_by_label("Committee taking over oversight").select_option(label=world.committee.name)
    manager.get_by_role("button", name="Record handover").click()
    assert f"Oversight handed to the {world.committee.name}" in success(manager)
    accessible(manager)

    # The lead reports the action red without a narrative: refused, and the error summary says why.
    lead.goto(plan_url)
    lead.get_by_role("link", name=f"Give update for action {action.reference}").click()
    lead.get_by_role("heading", name=f"Progress update for action {action.reference}").wait_for()
    accessible(lead)
    lead.get_by_role("group", name="Status").get_by_label("In progress").check()
    lead.get_by_label("Percentage complete").fill("20")
    lead.get_by_role("group", name="RAG status").get_by_label("Red").check()
    lead.get_by_role("button", name="Save update").click()
    summary = lead.locator(".govuk-error-summary")
    assert "Explain why the action is red or amber" in summary.inner_text()
    assert not action.updates.exists()
    accessible(lead)
    summary.get_by_role("link", name="Explain why the action is red or amber", exact=False).click()
    assert lead.evaluate("document.activeElement.id") == "id_narrative"

    # With a narrative it is saved and shows in the progress log.
    lead.get_by_label("Narrative").fill("Training is delayed: the trainer is off sick until next month.")
    lead.get_by_role("button", name="Save update").click()
    assert f"Update for action {action.reference} saved" in success(lead)
    assert lead.get_by_text("Training is delayed: the trainer is off sick").is_visible()
    accessible(lead)
    action = Action.objects.get()
    assert (action.rag, action.percent_complete) == ("red", 20)
