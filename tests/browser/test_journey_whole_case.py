"""One case from referral to a committee meeting: the product, end to end, as the people who use it.

Read top to bottom, this test is the product's story:

1. Referral. An agency author (Testshire Police) drafts a referral about a child who was seriously harmed; the
   agency's safeguarding lead approves and submits it; the Business Manager records receipt and calls for
   information; the lead answers for the agency.
2. Decision. The SCR Committee (the Business Manager here) completes the decision matrix and the Independent
   Chair decides to initiate a Serious Case Review, which opens the review.
3. Review. The Business Manager writes the terms of reference and appoints the lead reviewer, and starts
   information gathering and analysis. The lead reviewer's Report tab says what is missing (no findings yet);
   they record a good-practice finding, an area for improvement and a recommendation.
4. Report. The lead reviewer starts the report from the template (filled in with the terms of reference,
   findings and recommendations), edits it and saves it: the publication check finds nothing to decide. The SCR
   Committee's chair completes the quality checklist and signs it off; the Independent Chair approves it.
5. Publication. The Business Manager plans publication, records the National Panel's copy, writes the statement
   of what has been done since, completes the impact checklist and publishes; anyone finds it on the board's
   public page.
6. Action plan. The Business Manager starts the plan from the review's recommendation and sets a desired
   outcome; the police lead proposes an action; the SCR Committee approves the plan at a meeting, and oversight
   is handed to the Performance Committee.
7. Committee. The Performance Committee's chair schedules its next meeting, finds the completed review waiting
   for it, puts it on the agenda, records who attended and records the committee's decision.

Set up with services or factories rather than clicked (each is clicked through in its own journey in this
folder): the people, agencies and committee seats of a board (test_journey_set_up_a_board.py); the SCR
Committee's meeting that approves the plan, scheduled and attended (test_journey_committee.py); and the months a
review takes (its start moved back) and the moment the Performance Committee's meeting starts (the clock moved
on, as in test_journey_committee.py). Every distinct
page is checked with axe-core for WCAG 2.2 A and AA.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from casereview.actions.models import ActionPlan
from casereview.committees.models import Meeting
from casereview.deadlines.services import board_today
from casereview.partnership.models import CommitteeMembership
from casereview.partnership.roles import Role
from casereview.referrals.models import Referral
from casereview.reviews.models import ReportVersion, Review
from tests.actions.factories import scr_chair, scr_meeting
from tests.browser_support import accessible, fill_date, section, success
from tests.committees.factories import seat
from tests.factories import AgencyFactory, UserFactory
from tests.referrals.factories import minute_recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_case_from_referral_to_publication_action_plan_and_committee(live_server, world, person):
    today = board_today()
    committee_chair = scr_chair(world)  # chairs the SCR Committee: quality assurance and plan approval
    performance = world.committee
    perf_chair = UserFactory(board=world.board, agency=world.agency_a, username="perf-chair", first_name="Petra",
                             last_name="Chairperson", roles=[Role.PERFORMANCE_CHAIR])
    CommitteeMembership.objects.create(committee=performance, user=perf_chair, position="chair",
                                       represents=world.agency_a)
    members = [seat(performance, agency=world.agency_b, username="member-health")] + [
        seat(performance, agency=AgencyFactory(board=world.board, name=f"Testshire {name}", short_code=code),
             username=f"member-{name.lower()}") for name, code in (("Schools", "TSCH"), ("Housing", "THSG"))]

    # 1. Referral: the police author drafts it, their safeguarding lead approves and submits it.
    author = person(world.author_a)
    author.goto(f"{live_server.url}/referrals/")
    author.get_by_role("button", name="Raise a referral").click()
    author.get_by_role("heading", name="Raise a referral").wait_for()
    author.get_by_label("Your role").fill("Detective Sergeant")
    author.get_by_label("Your telephone number").fill("01632 960001")
    author.get_by_label("Your email address").fill("author-a@testshire.example")
    author.get_by_label("Child's full name").fill("Zara Fictionperson")
    fill_date(author, "child_dob", today - timedelta(days=900))
    fill_date(author, "incident_date", today - timedelta(days=2))
    author.get_by_role("group", name="Agencies involved with the child and family").get_by_label(
        "Testshire Police").check()
    author.get_by_role("group", name="Which criteria do you think are met?").get_by_label(
        Referral.Criterion.ABUSE_NEGLECT.label).check()
    author.get_by_label("What happened, and why the criteria are met").fill(
        "A fictional child was seriously injured at home.")
    author.get_by_role("button", name="Save draft referral").click()
    assert "Draft referral" in success(author)
    referral = Referral.objects.get()
    detail = f"{live_server.url}/referrals/{referral.pk}/"

    lead = person(world.lead_a)
    lead.goto(detail)
    lead.get_by_role("button", name="Approve and submit to the board").click()
    assert "approved and submitted to the board" in success(lead)

    # The Business Manager records receipt and asks the police for a summary of their involvement.
    manager = person(world.manager)
    manager.goto(detail)
    manager.get_by_role("button", name="Record receipt").click()
    manager.get_by_role("button", name="Record receipt and notify").click()
    assert "Receipt recorded" in success(manager)
    manager.get_by_role("button", name="Call for information").click()
    fill_date(manager, "due_on", today + timedelta(days=7))
    manager.get_by_role("button", name="Send the requests").click()
    assert "1 agency asked for a summary" in success(manager)
    lead.goto(detail)
    lead.get_by_role("button", name="Answer for Testshire Police").click()
    lead.get_by_label("Summary of your agency's involvement").fill("Police attended the home twice in March.")
    lead.get_by_role("group", name="Is your agency still involved with the family?").get_by_label("Yes").check()
    lead.get_by_role("button", name="Send summary").click()
    assert "Testshire Police's summary sent to the board" in success(lead)

    # 2. Decision: the committee's decision matrix recommends an SCR; the Independent Chair initiates one.
    # The SCR Committee recommends by a decision of a quorate meeting (the committees journey covers that page).
    minute_recommendation(world, Referral.objects.get())
    manager.goto(detail)
    manager.get_by_role("button", name="Start the decision matrix").click()
    manager.get_by_role("heading", name="Decision matrix").wait_for()
    criteria = {code: manager.get_by_role("group", name=f"{code}. {Referral.Criterion(code).label}")
                for code in Referral.Criterion.values}
    criteria["1"].get_by_label("Met", exact=True).check()
    manager.fill("#id_c1-evidence", "Police records of two call-outs")
    criteria["2a"].get_by_label("Not met").check()
    criteria["2b"].get_by_label("Met", exact=True).check()
    manager.fill("#id_c2b-evidence", "Hospital report of a life-threatening injury")
    criteria["3"].get_by_label("Not met").check()
    manager.get_by_role("group", name="Recommended outcome").get_by_label("Serious Case Review (Intensive)").check()
    manager.get_by_label("Rationale for the recommendation").fill("Criteria 1 and 2b are met.")
    manager.get_by_role("button", name="Complete and send to the Chair").click()
    assert "Recommendation sent to the Independent Chair" in success(manager)

    chair = person(world.chair)
    chair.goto(detail)
    chair.get_by_role("button", name="Make the decision").click()
    chair.get_by_role("group", name="Your decision").get_by_label("Initiate a Serious Case Review (Intensive)").check()
    chair.get_by_label("Rationale").fill("Agencies did not share their concerns; the threshold is met.")
    chair.get_by_role("button", name="Record the decision").click()
    assert "has been opened" in success(chair)
    review = Review.objects.get()
    # A review takes months; rather than wait, the test moves its start back (see the docstring), so the
    # National Panel can have its copy seven days before publication.
    Review.objects.filter(pk=review.pk).update(initiated_on=today - timedelta(days=150))
    review_url = f"{live_server.url}/reviews/{review.pk}/"

    # 3. Review: terms of reference and the lead reviewer, then information gathering and analysis.
    manager.goto(review_url)
    section(manager, "Terms of reference")
    manager.get_by_role("group", name="Methodology").get_by_label("SCIE Learning Together").check()
    fill_date(manager, "period_start", today - timedelta(days=550))
    fill_date(manager, "period_end", today - timedelta(days=152))
    manager.get_by_label("Questions the review will answer").fill("How did agencies share information?")
    manager.get_by_role("group", name="Agencies in scope").get_by_label("Testshire Police").check()
    manager.get_by_role("group", name="Agencies in scope").get_by_label("Testshire Health").check()
    manager.get_by_role("button", name="Save terms of reference").click()
    assert "Terms of reference saved" in success(manager)
    section(manager, "Review Group")
    manager.get_by_label("Person").select_option(value=str(world.reviewer.pk))
    manager.get_by_role("group", name="Role in the Review Group").get_by_label("Lead reviewer").check()
    manager.get_by_role("group", name="Have they been involved in the case?").get_by_label("No").check()
    manager.get_by_role("group", name="Have they declared a conflict of interest?").get_by_label("No").check()
    manager.get_by_label("Qualifications and experience").fill("Independent social work consultant")
    fill_date(manager, "independence_declared_on", today)
    manager.get_by_role("button", name="Add to the Review Group").click()
    assert "added to the Review Group" in success(manager)
    section(manager, "Overview")
    manager.get_by_role("button", name="Start information gathering and analysis").click()
    assert "information gathering and analysis" in success(manager)

    # Before any finding, the lead reviewer's Report tab says what the report still needs.
    reviewer = person(world.reviewer)
    reviewer.goto(review_url)
    section(reviewer, "Report")
    assert reviewer.get_by_text("Before the report can be written").is_visible()
    assert reviewer.get_by_text("No findings have been recorded yet", exact=False).is_visible()
    accessible(reviewer)
    section(reviewer, "Findings")
    for kind, title, narrative in (
            ("Good practice", "The health visitor kept visiting",
             "When the family missed appointments the health visitor called again within the week."),
            ("Area for improvement", "Information about the home was not shared",
             "Each agency held part of the picture and nobody joined it up.")):
        reviewer.get_by_role("button", name="Add a finding").click()
        reviewer.get_by_role("group", name="Kind of finding").get_by_label(kind).check()
        reviewer.get_by_label("Finding", exact=True).fill(title)
        reviewer.get_by_label("Narrative").fill(narrative)
        reviewer.get_by_role("button", name="Save", exact=True).click()
        assert "Finding saved" in success(reviewer)
    reviewer.get_by_role("button", name="Add a recommendation").click()
    reviewer.get_by_label("Recommendation").fill("Agencies agree one route for sharing concerns about a home.")
    reviewer.get_by_role("group", name="Level").get_by_label("Partnership").check()
    reviewer.get_by_role("group", name="Findings it answers").get_by_label(
        "Information about the home was not shared", exact=False).check()
    reviewer.get_by_role("button", name="Save", exact=True).click()
    assert "Recommendation saved" in success(reviewer)

    # 4. Report: started from the template, edited, saved as version 1 and checked for publication.
    section(reviewer, "Report")
    assert reviewer.get_by_text("Before the report can be written").count() == 0
    reviewer.get_by_role("button", name="Start the report from the template").click()
    reviewer.get_by_role("heading", name="Write a report version from the template").wait_for()
    accessible(reviewer)
    report = reviewer.get_by_label("Report", exact=True)
    draft = report.input_value()
    assert "How did agencies share information?" in draft and "Agencies in scope: Testshire Health" in draft
    assert draft.index("The health visitor kept visiting") < draft.index("Information about the home")
    assert "Recommendation 1 (partnership): Agencies agree one route" in draft
    # The lead reviewer writes the parts in square brackets (a version still holding them can be saved as a draft,
    # but not sent for quality assurance).
    for prompt, written in (
            ("[Describe why the review was held and who took part.]",
             "The review was held because agencies had not shared what they knew. Practitioners took part."),
            ("[Describe how it was applied.]", "Practitioners met in two learning events."),
            ("[What the review concluded.]", "Agencies now share concerns about a home at once.")):
        assert prompt in draft
        draft = draft.replace(prompt, written)
    report.fill(draft)
    reviewer.get_by_role("button", name="Save and check").click()
    assert "Version 1 saved and checked" in success(reviewer)
    assert ReportVersion.objects.get().note == "Started from the report template"
    section(reviewer, "Report")
    reviewer.get_by_role("button", name="Send version 1 to the SCR Committee for quality assurance").click()
    assert "sent to the SCR Committee" in success(reviewer)

    qa = person(committee_chair)
    qa.goto(f"{review_url}report/")
    qa.get_by_role("link", name="Open version 1: publication check").click()
    for box in ("It gives a sound analysis", "It is written in plain English", "It is suitable for publication",
                "It analyses good practice"):
        qa.get_by_label(box, exact=False).check()
    qa.get_by_role("button", name="Save the checklist").click()
    assert "Quality checklist saved" in success(qa)
    qa.get_by_role("button", name="Sign off for the SCR Committee").click()
    assert "Version 1 signed off by the SCR Committee" in success(qa)
    chair.goto(f"{review_url}report/")
    chair.get_by_label("I confirm the board approves version 1 of the report").check()
    chair.get_by_role("button", name="Approve version 1 for the board").click()
    assert "approved by the board" in success(chair)

    # 5. Publication, and the board's public page.
    manager.goto(review_url)
    section(manager, "Publication")
    fill_date(manager, "plan-planned_publication_on", today)
    manager.get_by_role("button", name="Save the planned date").click()
    assert "Planned publication date saved" in success(manager)
    fill_date(manager, "panel-sent_on", today)  # on the day of approval: the Panel has it a week before publication
    manager.get_by_role("button", name="Record the Panel copy as sent").click()
    assert "Panel copy recorded as sent" in success(manager)
    manager.get_by_label("Actions already taken").fill("Agencies now share concerns about a home at once.")
    manager.get_by_label("The impact these actions have had").fill("An audit found every concern shared.")
    manager.get_by_label("What more will be done").fill("The board will audit again in a year.")
    manager.get_by_role("button", name="Save the statement").click()
    for box in ("The family has been told", "Practitioners involved have been told", "Media lines have been agreed",
                "Court restrictions and any criminal proceedings have been checked"):
        manager.get_by_label(box, exact=False).check()
    manager.get_by_role("button", name="Save the impact checklist").click()
    with time_machine.travel(timezone.now() + timedelta(days=7)):  # a week later, signed in again
        publisher = person(world.manager)
        publisher.goto(f"{review_url}publication/")
        publisher.get_by_label("I confirm the report should be published today", exact=False).check()
        publisher.get_by_role("button", name="Publish the report today").click()
        assert "published on the board's public page" in success(publisher)
        review.refresh_from_db()
        assert review.status == Review.Status.PUBLISHED
        public = person(None)
        public.goto(f"{live_server.url}/reviews/published/{world.board.slug}/")
        assert public.get_by_role("link", name=f"Download the report: {review.title}", exact=False).is_visible()

    # 6. Action plan: from the recommendation, with a desired outcome and the police's action.
    manager.goto(f"{live_server.url}/actions/")
    manager.get_by_role("button", name="Start an action plan").click()
    manager.get_by_label("Review", exact=True).select_option(label=str(review))
    manager.get_by_role("button", name="Start plan from review").click()
    assert f"Action plan opened for {review.reference}" in success(manager)
    plan = ActionPlan.objects.get()
    plan_url = f"{live_server.url}/actions/plans/{plan.pk}/"
    manager.get_by_role("link", name="Add a desired outcome to recommendation 1").click()
    manager.get_by_label("Agency", exact=True).select_option(label="Testshire Police")
    manager.get_by_label("Desired outcome").fill("Concerns about a home reach every agency within a day.")
    manager.get_by_role("button", name="Add outcome").click()
    assert "Desired outcome added for Testshire Police" in success(manager)
    lead.goto(plan_url)
    lead.get_by_role("link", name="Propose an action for Testshire Police, recommendation 1").click()
    lead.get_by_label("What will be done").fill("Train every response officer in the new referral route.")
    lead.get_by_label("Named owner").select_option(value=str(world.lead_a.pk))
    fill_date(lead, "start_date", today)
    fill_date(lead, "target_date", today + timedelta(days=180))
    lead.get_by_label("How will we know it has made a difference?").fill("Dip sample of referrals in six months")
    lead.get_by_role("button", name="Propose action").click()
    assert "proposed" in success(lead)
    manager.goto(plan_url)
    manager.get_by_role("button", name="Send for approval").click()
    assert "Plan sent to the SCR Committee for approval" in success(manager)
    meeting = scr_meeting(world)  # held yesterday, quorate (see the docstring)
    qa.goto(f"{live_server.url}/committees/meetings/{meeting.pk}/decisions/new/")
    qa.get_by_label("Decision", exact=True).fill("The action plan is approved.")
    qa.get_by_label("Does this decision approve an action plan? (optional)").select_option(index=1)
    qa.get_by_role("button", name="Record decision").click()
    assert "Decision recorded" in success(qa)
    manager.goto(plan_url)
    manager.get_by_role("button", name="Record handover to the Performance Committee").click()
    manager.get_by_label("Committee taking over oversight").select_option(label=performance.name)
    manager.get_by_role("button", name="Record handover").click()
    assert f"Oversight handed to the {performance.name}" in success(manager)

    # 7. Committee: the Performance Committee's next meeting takes the completed review.
    perf = person(perf_chair)
    perf.goto(f"{live_server.url}/committees/")
    perf.get_by_role("button", name="Schedule meetings").click()
    perf.get_by_label("Committee", exact=True).select_option(label=performance.name)
    fill_date(perf, "first_date", today + timedelta(days=1))
    perf.get_by_label("Start time").fill("10:00")
    perf.get_by_label("Where").fill("Room 2, Testshire House")
    perf.get_by_role("button", name="Schedule").click()
    assert f"1 meeting of the {performance.name} scheduled" in success(perf)
    item = f"Completed review {review.reference}: {review.title}"
    assert perf.get_by_role("group", name="Waiting for this meeting").get_by_label(item, exact=False).is_checked()
    perf.get_by_role("button", name="Add selected to the agenda").click()
    assert "added to the agenda" in success(perf)
    meeting = Meeting.objects.get(committee=performance)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))  # the day comes
    perf.reload()
    perf.get_by_role("link", name="Record attendance").click()
    for member in (perf_chair, *members):
        perf.get_by_role("group", name=str(member), exact=False).get_by_label("Present", exact=True).check()
    perf.get_by_role("button", name="Save attendance").click()
    assert "Quorate" in success(perf)
    perf.get_by_role("link", name="Record a decision").click()
    options = perf.get_by_label("Agenda item (optional)").locator("option").all_inner_texts()
    perf.get_by_label("Agenda item (optional)").select_option(label=next(o for o in options if item in o))
    perf.get_by_label("Decision", exact=True).fill("The committee takes the review's learning to the next "
                                                   "practitioner forum.")
    perf.get_by_role("button", name="Record decision").click()
    assert "Decision recorded" in success(perf)
    decision = Meeting.objects.get(pk=meeting.pk).decisions.get()
    assert decision.quorate and decision.agenda_item.title.startswith(item)
