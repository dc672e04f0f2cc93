"""From setting up a review to its publication, in the browser.

The Chair's decision opens a Serious Case Review; the Business Manager sets it up and appoints the lead
reviewer; the reviewer records a finding
and a recommendation and writes a report that names the child; the publication check shows the name; a fixed
version passes; the SCR Committee signs it off, the Independent Chair approves it, the Business Manager records
the National Panel's copy and publishes it, and the board's public page lists it. Every distinct page is checked
with axe-core for WCAG 2.2 A and AA.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from casereview.partnership.roles import Role
from casereview.reviews.models import Review
from casereview.reviews.services import review_initiate
from tests.browser_support import accessible, fill_date, section, success
from tests.factories import CasePersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_review_goes_from_set_up_to_the_public_page(live_server, world, person):
    today = timezone.localdate()
    CasePersonFactory(case=world.case, full_name="Jayden Demoson", anonymised_label="Child Q")
    qa = UserFactory(board=world.board, username="scr-chair", roles=[Role.SCR_COMMITTEE_CHAIR])

    # The Independent Chair's decision on the referral opened the Serious Case Review (only the Chair starts one);
    # the Business Manager sets it up: terms of reference, lead reviewer, then analysis.
    review = review_initiate(by=world.chair, case=world.case, type=Review.Type.SCR_INTENSIVE,
                             initiated_on=today - timedelta(days=30), title="Child Q",
                             methodology=Review.Methodology.SCIE)
    manager = person(world.manager)
    manager.goto(f"{live_server.url}/reviews/")
    accessible(manager)
    manager.get_by_role("link", name=review.reference, exact=False).first.click()
    section(manager, "Terms of reference")
    accessible(manager)
    fill_date(manager, "period_start", today - timedelta(days=400))
    fill_date(manager, "period_end", today - timedelta(days=35))
    manager.get_by_label("Questions the review will answer").fill("How did agencies share information?")
    manager.get_by_role("button", name="Save terms of reference").click()
    assert "Terms of reference saved" in success(manager)

    section(manager, "Review Group")
    manager.get_by_role("heading", name="Review Group and lead reviewers").wait_for()
    accessible(manager)
    manager.get_by_label("Person").select_option(value=str(world.reviewer.pk))
    manager.get_by_role("group", name="Role in the Review Group").get_by_label("Lead reviewer").check()
    manager.get_by_role("group", name="Have they been involved in the case?").get_by_label("No").check()
    manager.get_by_role("group", name="Have they declared a conflict of interest?").get_by_label("No").check()
    manager.get_by_label("Qualifications and experience").fill("Independent social work consultant")
    fill_date(manager, "independence_declared_on", today - timedelta(days=28))
    manager.get_by_role("button", name="Add to the Review Group").click()
    assert "added to the Review Group" in success(manager)

    section(manager, "Overview")
    accessible(manager)
    manager.get_by_role("button", name="Start information gathering and analysis").click()
    assert "information gathering and analysis" in success(manager)

    # The lead reviewer records a finding and a recommendation.
    reviewer = person(world.reviewer)
    reviewer.goto(f"{live_server.url}/reviews/{review.pk}/")
    section(reviewer, "Findings")
    reviewer.get_by_role("button", name="Add a finding").click()
    reviewer.get_by_role("heading", name="Add a finding").wait_for()
    accessible(reviewer)
    reviewer.get_by_role("group", name="Kind of finding").get_by_label("Area for improvement").check()
    reviewer.get_by_label("Finding", exact=True).fill("Information about the home was not shared")
    reviewer.get_by_label("Narrative").fill("Each agency held part of the picture and nobody joined it up.")
    reviewer.get_by_role("button", name="Save", exact=True).click()
    assert "Finding saved" in success(reviewer)
    reviewer.get_by_role("button", name="Add a recommendation").click()
    reviewer.get_by_role("heading", name="Add a recommendation").wait_for()
    accessible(reviewer)
    reviewer.get_by_label("Recommendation").fill("Agencies agree one route for sharing concerns about a home.")
    reviewer.get_by_role("group", name="Level").get_by_label("Partnership").check()
    reviewer.get_by_role("group", name="Findings it answers").get_by_label(
        "Information about the home was not shared", exact=False).check()
    reviewer.get_by_role("button", name="Save", exact=True).click()
    assert "Recommendation saved" in success(reviewer)
    assert reviewer.get_by_role("cell", name="Agencies agree one route for sharing concerns").is_visible()
    accessible(reviewer)

    # The first version names the child: the publication check shows it in context.
    section(reviewer, "Report")
    reviewer.get_by_role("button", name="Write a version on screen").click()
    reviewer.get_by_role("heading", name="Write a report version").wait_for()
    accessible(reviewer)
    reviewer.get_by_label("Report", exact=True).fill("Jayden was seen at home by three agencies in March.")
    reviewer.get_by_role("button", name="Save and check").click()
    assert "Version 1 saved and checked" in success(reviewer)
    assert "found 1 thing that could identify someone" in reviewer.locator(".govuk-error-summary").inner_text()
    assert reviewer.locator("mark.cr-hit").inner_text() == "Jayden"
    accessible(reviewer)

    # A fixed version passes, and goes to the SCR Committee.
    section(reviewer, "Report")
    reviewer.get_by_role("button", name="Write a version on screen").click()
    reviewer.get_by_label("Report", exact=True).fill("Child Q was seen at home by three agencies in March.")
    reviewer.get_by_label("What changed (optional)").fill("The child's name removed")
    reviewer.get_by_role("button", name="Save and check").click()
    assert "Version 2 saved and checked" in success(reviewer)
    assert reviewer.get_by_role("heading", name="found nothing left to decide in version 2").is_visible()
    section(reviewer, "Report")
    reviewer.get_by_role("button", name="Send version 2 to the SCR Committee for quality assurance").click()
    assert "sent to the SCR Committee" in success(reviewer)

    # The SCR Committee completes the checklist and signs off; the Chair approves.
    committee = person(qa)
    committee.goto(f"{live_server.url}/reviews/{review.pk}/report/")
    accessible(committee)
    committee.get_by_role("link", name="Open version 2: publication check").click()
    for box in ("It gives a sound analysis", "It is written in plain English", "It is suitable for publication",
                "It analyses good practice"):
        committee.get_by_label(box, exact=False).check()
    committee.get_by_role("button", name="Save the checklist").click()
    assert "Quality checklist saved" in success(committee)
    accessible(committee)
    committee.get_by_label("Quality assurance comments (optional)").fill("Clear and balanced.")
    committee.get_by_role("button", name="Sign off for the SCR Committee").click()
    assert "Version 2 signed off by the SCR Committee" in success(committee)

    chair = person(world.chair)
    chair.goto(f"{live_server.url}/reviews/{review.pk}/report/")
    chair.get_by_label("I confirm the board approves version 2 of the report").check()
    chair.get_by_role("button", name="Approve version 2 for the board").click()
    assert "approved by the board" in success(chair)
    accessible(chair)

    # The Business Manager plans publication, records the Panel's copy and publishes.
    section(manager, "Publication")
    manager.get_by_role("heading", name="Publication").wait_for()
    assert manager.get_by_text("The report cannot be published yet").is_visible()
    accessible(manager)
    fill_date(manager, "plan-planned_publication_on", today)
    manager.get_by_role("button", name="Save the planned date").click()
    assert "Planned publication date saved" in success(manager)
    fill_date(manager, "panel-sent_on", today)
    manager.get_by_role("button", name="Record the Panel copy as sent").click()
    assert "Panel copy recorded as sent" in success(manager)
    # An SCR is published with what has been done since: the statement, and the impact checklist.
    manager.get_by_label("Actions already taken").fill("Agencies now share concerns about bruising at once.")
    manager.get_by_label("The impact these actions have had").fill("An audit in May found every case shared.")
    manager.get_by_label("What more will be done").fill("The board will audit again in a year.")
    manager.get_by_role("button", name="Save the statement").click()
    for box in ("The family has been told", "Practitioners involved have been told", "Media lines have been agreed",
                "Court restrictions and any criminal proceedings have been checked"):
        manager.get_by_label(box, exact=False).check()
    manager.get_by_role("button", name="Save the impact checklist").click()
    # The Panel's copy went on the day of approval: the report may be published a week later, not today.
    assert manager.get_by_text("so the report can be published from", exact=False).is_visible()

    with time_machine.travel(timezone.now() + timedelta(days=7)):
        manager = person(world.manager)  # a week later, signed in again
        manager.goto(f"{live_server.url}/reviews/{review.pk}/publication/")
        manager.get_by_label("I confirm the report should be published today", exact=False).check()
        manager.get_by_role("button", name="Publish the report today").click()
        assert "published on the board's public page" in success(manager)
        accessible(manager)
        assert Review.objects.get().status == Review.Status.PUBLISHED

        # Anyone can find it on the board's public page.
        public = person(None)
        public.goto(f"{live_server.url}/reviews/published/{world.board.slug}/")
        assert public.get_by_role("heading", name="Published case reviews").is_visible()
        assert public.get_by_role("link", name="Download the report: Child Q", exact=False).is_visible()
        accessible(public)
