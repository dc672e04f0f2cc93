"""From referral to decision in the browser, as each role would click through it.

An agency author drafts a referral, their agency's safeguarding lead approves and submits it, the Business
Manager records receipt and calls for information, the lead answers for their agency, the committee (the
Business Manager here) completes the decision matrix, the Independent Chair decides, and the feedback letter
is downloaded. Every distinct page is checked with axe-core for WCAG 2.2 A and AA.
"""

import io
from datetime import timedelta

import docx
import pytest

from casereview.deadlines.services import board_today
from casereview.referrals.models import InformationRequest, Referral
from tests.browser_support import accessible, fill_date, success
from tests.referrals.factories import minute_recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_referral_goes_from_draft_to_the_chairs_decision_and_letter(live_server, world, person):
    today = board_today()

    # The agency author drafts the referral; a missing field is reported in the error summary first.
    author = person(world.author_a)
    author.goto(f"{live_server.url}/referrals/")
    accessible(author)
    author.get_by_role("button", name="Raise a referral").click()
    author.get_by_role("heading", name="Raise a referral").wait_for()
    accessible(author)
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
    author.get_by_role("button", name="Save draft referral").click()
    summary = author.locator(".govuk-error-summary")
    assert "Enter what happened and why you think the criteria are met" in summary.inner_text()
    assert author.title().startswith("Error: ")
    assert not Referral.objects.exists()
    accessible(author)
    author.get_by_label("What happened, and why the criteria are met").fill(
        "A fictional child was seriously injured at home.")
    author.get_by_role("button", name="Save draft referral").click()
    assert "Draft referral" in success(author)
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.DRAFT
    assert author.get_by_text("Only the safeguarding lead of Testshire Police can approve and submit").is_visible()
    accessible(author)
    detail = f"{live_server.url}/referrals/{referral.pk}/"

    # Agency A's safeguarding lead approves and submits it.
    lead = person(world.lead_a)
    lead.goto(detail)
    lead.get_by_role("button", name="Approve and submit to the board").click()
    assert "approved and submitted to the board" in success(lead)

    # The Business Manager records receipt, then calls for information from agency A.
    manager = person(world.manager)
    manager.goto(detail)
    manager.get_by_role("button", name="Record receipt").click()
    manager.get_by_role("heading", name="Record receipt of the referral").wait_for()
    accessible(manager)
    manager.get_by_role("button", name="Record receipt and notify").click()
    assert "Receipt recorded" in success(manager)
    manager.get_by_role("button", name="Call for information").click()
    manager.get_by_role("heading", name="Call for information").wait_for()
    accessible(manager)
    fill_date(manager, "due_on", today + timedelta(days=7))
    manager.get_by_role("button", name="Send the requests").click()
    assert "1 agency asked for a summary" in success(manager)
    assert InformationRequest.objects.get().agency == world.agency_a

    # The lead answers for agency A.
    lead.goto(detail)
    lead.get_by_role("button", name="Answer for Testshire Police").click()
    lead.get_by_role("heading", name="Testshire Police: summary of involvement").wait_for()
    accessible(lead)
    lead.get_by_label("Summary of your agency's involvement").fill("Police attended the home twice in March.")
    lead.get_by_role("group", name="Is your agency still involved with the family?").get_by_label("Yes").check()
    lead.get_by_role("button", name="Send summary").click()
    assert "Testshire Police's summary sent to the board" in success(lead)

    # The committee completes the decision matrix; Met without evidence is refused first.
    # The SCR Committee recommends by a decision of a quorate meeting (the committees journey covers that page).
    minute_recommendation(world, Referral.objects.get())
    manager.goto(detail)
    assert manager.get_by_text("Police attended the home twice in March.").is_visible()
    manager.get_by_role("button", name="Start the decision matrix").click()
    manager.get_by_role("heading", name="Decision matrix").wait_for()
    accessible(manager)
    criteria = {code: manager.get_by_role("group", name=f"{code}. {Referral.Criterion(code).label}")
                for code in Referral.Criterion.values}
    criteria["1"].get_by_label("Met", exact=True).check()
    criteria["2a"].get_by_label("Not met").check()
    criteria["2b"].get_by_label("Met", exact=True).check()
    manager.fill("#id_c2b-evidence", "Hospital report of a life-threatening injury")
    criteria["3"].get_by_label("Not met").check()
    manager.get_by_role("group", name="Recommended outcome").get_by_label(
        "Serious Case Review (Intensive)").check()
    manager.get_by_label("Rationale for the recommendation").fill("Criteria 1 and 2b are met.")
    manager.get_by_role("button", name="Complete and send to the Chair").click()
    summary = manager.locator(".govuk-error-summary")
    assert "Enter the evidence that criterion 1 is met, or change the answer" in summary.inner_text()
    accessible(manager)
    manager.fill("#id_c1-evidence", "Police records of two call-outs")
    manager.get_by_role("button", name="Complete and send to the Chair").click()
    assert "Recommendation sent to the Independent Chair" in success(manager)
    assert Referral.objects.get().status == Referral.Status.RECOMMENDED

    # The Independent Chair decides.
    chair = person(world.chair)
    chair.goto(detail)
    assert chair.get_by_text("Recommended, awaiting the Chair").first.is_visible()
    accessible(chair)
    chair.get_by_role("button", name="Make the decision").click()
    chair.get_by_role("heading", name="Decide whether to initiate a Serious Case Review").wait_for()
    accessible(chair)
    chair.get_by_role("group", name="Your decision").get_by_label(
        "Initiate a Serious Case Review (Intensive)").check()
    chair.get_by_label("Rationale").fill("Agencies did not share their concerns; the threshold is met.")
    chair.get_by_role("button", name="Record the decision").click()
    assert "has been opened" in success(chair)
    accessible(chair)

    # The Business Manager downloads the feedback letter, which quotes the Chair's rationale.
    manager.goto(detail)
    with manager.expect_download() as download_info:
        manager.get_by_role("link", name="Letter (Word)").click()
    download = download_info.value
    assert download.suggested_filename == f"{referral.reference}-feedback.docx"
    letter = docx.Document(io.BytesIO(download.path().read_bytes()))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "Agencies did not share their concerns" in text and referral.reference in text
