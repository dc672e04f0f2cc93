"""In the browser: an agency author enters an event, the safeguarding lead submits, the lead reviewer
accepts, filters the merged chronology, switches to anonymised, flags an entry and opens the analysis and
timeline. Every chronology page visited is checked with axe-core for WCAG 2.2 A and AA."""

import pytest
from playwright.sync_api import expect

from casereview.chronology.models import ChronologyEntry, ChronologyRequest
from tests.browser_support import axe_violations
from tests.chronology.helpers import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_enters_lead_submits_reviewer_accepts_and_works_on_the_merged_chronology(
        browser, live_server, world, sign_in):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    base = f"{live_server.url}/chronology/{review.pk}"

    author = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(author, world.author_a)
    author.goto(f"{live_server.url}/chronology/")
    author.get_by_role("link", name=review.reference).click()
    expect(author.get_by_role("heading", name="Testshire Police: chronology")).to_be_visible()
    assert axe_violations(author) == []
    author.get_by_role("button", name="Add an entry").click()
    assert axe_violations(author) == []
    # A mistake first: no source of information.
    author.locator("#id_start_1").fill("3")
    author.locator("#id_start_2").fill("2014")
    author.get_by_label("Event type").select_option("home_visit")
    author.get_by_label("What happened").fill("Zara seen at home with Yvonne; the flat was cold.")
    author.get_by_role("button", name="Save entry").click()
    summary = author.locator(".govuk-error-summary")
    assert "Enter the source of information" in summary.inner_text()
    assert axe_violations(author) == []
    author.get_by_label("Source of information").fill("Case record")
    author.get_by_label("Risk presented").fill("Cold home")
    author.get_by_label("Is this event symbolic or indicative of a pattern").check()
    author.get_by_role("button", name="Save entry").click()
    expect(author.get_by_text("Entry TPOL-0001 added to your draft")).to_be_visible()
    expect(author.get_by_role("cell", name="March 2014")).to_be_visible()
    assert axe_violations(author) == []

    lead = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(lead, world.lead_a)
    lead.goto(f"{base}/agency/")
    lead.get_by_role("button", name="Check and submit").click()
    expect(lead.get_by_text("1 entry does not state all four principles")).to_be_visible()
    assert axe_violations(lead) == []
    lead.get_by_label("I have checked these entries").check()
    lead.get_by_role("button", name="Submit chronology").click()
    expect(lead.get_by_text("Chronology submitted")).to_be_visible()

    reviewer = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(reviewer, world.reviewer)
    reviewer.goto(f"{base}/")
    assert axe_violations(reviewer) == []
    reviewer.get_by_role("button", name="Accept Testshire Police's chronology").click()
    expect(reviewer.get_by_text("it is now in the merged chronology")).to_be_visible()
    reviewer.get_by_role("link", name="Merged chronology").click()
    expect(reviewer.get_by_text("Zara seen at home with Yvonne")).to_be_visible()
    assert axe_violations(reviewer) == []
    reviewer.get_by_text("Filter entries").click()
    reviewer.get_by_label("Words in the entry").fill("cold")
    reviewer.get_by_label("Part of a pattern").check()
    reviewer.get_by_role("button", name="Apply filters").click()
    assert "q=cold" in reviewer.url and "question=q_pattern" in reviewer.url
    expect(reviewer.get_by_text("1 entry matches your filters")).to_be_visible()
    assert axe_violations(reviewer) == []
    reviewer.get_by_role("link", name="Anonymised").click()
    expect(reviewer.get_by_text("Child Q seen at home with Mother")).to_be_visible()
    assert "q=cold" in reviewer.url  # the filters stay
    reviewer.get_by_role("link", name="Open entry TPOL TPOL-0001").click()
    assert axe_violations(reviewer) == []
    reviewer.get_by_role("button", name="Flag this entry").click()
    expect(reviewer.get_by_text("Flagged entry TPOL-0001")).to_be_visible()
    reviewer.goto(f"{base}/analysis/")
    expect(reviewer.get_by_role("heading", name="Duplicates", exact=True)).to_be_visible()
    assert axe_violations(reviewer) == []
    reviewer.goto(f"{base}/timeline/")
    expect(reviewer.locator("svg.cr-timeline")).to_be_visible()
    assert axe_violations(reviewer) == []
    reviewer.goto(f"{base}/export/")
    assert axe_violations(reviewer) == []
    with reviewer.expect_download() as download:
        reviewer.get_by_label("CSV (.csv)").check()
        reviewer.get_by_label("Anonymised: people shown").check()
        reviewer.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert ChronologyEntry.objects.get(current_accepted=True).stars.count() == 1


def test_author_adds_a_word_table_to_typed_entries_reviewer_decides_duplicates_and_exports_in_the_background(
        browser, live_server, world, sign_in, tmp_path):
    import docx

    from casereview.cases.models import CaseAgency
    from casereview.chronology import services
    from casereview.chronology.models import ChronologyVersion
    from tests.chronology.helpers import accepted_chronology

    review = make_review(world)
    CaseAgency.objects.create(case=world.case, agency=world.agency_b)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    # The other agency's accepted chronology: two records of events the police also recorded, and enough
    # other entries for the merged chronology to run past a page.
    health = [["12/03/2014", "", "Police told us they attended the home after a fall; Zara's arm hurt", "ED notes",
               "X-ray", "Health appointment", "Child Q", "", "", "", ""],
              ["20/05/2014", "", "Zara seen at home; the flat was cold and damp", "HV notes", "", "Home visit",
               "", "", "", "", ""]]
    health += [[f"{n % 28 + 1:02d}/0{n % 9 + 1}/2017", "", f"Routine growth check number {n}", "HV notes", "",
                "Health appointment", "", "", "", "", ""] for n in range(110)]
    accepted_chronology(world, review, world.agency_b, health, tmp_path, name="health.csv")
    base = f"{live_server.url}/chronology/{review.pk}"

    author = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(author, world.author_a)
    for day, text in (("3", "Zara seen at home with Yvonne; the flat was cold."),
                      ("4", "Yvonne phoned to say the heating was fixed.")):
        author.goto(f"{base}/agency/entries/new/")
        author.locator("#id_start_0").fill(day)
        author.locator("#id_start_1").fill("2")
        author.locator("#id_start_2").fill("2014")
        author.get_by_label("Event type").select_option("home_visit")
        author.get_by_label("Source of information").fill("Case record")
        author.get_by_label("What happened").fill(text)
        author.get_by_role("button", name="Save entry").click()
        expect(author.get_by_text("added to your draft")).to_be_visible()
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Date of event", "Source", "What happened"],
                             ["12/03/2014", "Police log", "Officers attended after Zara had a fall at home"],
                             ["20/05/2014", "Police log", "Welfare check: flat cold and damp, Zara at home"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "police.docx"
    document.save(path)
    author.goto(f"{base}/agency/import/")
    author.get_by_label("Upload a file").set_input_files(str(path))
    author.get_by_role("button", name="Upload", exact=True).click()
    expect(author.get_by_role("heading", name="Confirm the columns")).to_be_visible()
    author.get_by_label("Add these entries to your draft").check()
    assert axe_violations(author) == []
    author.get_by_role("button", name="Import the rows").click()
    expect(author.get_by_text("2 entries imported: your draft now has 4 entries")).to_be_visible()
    author.get_by_role("link", name="Check the entries").click()
    for text in ("the flat was cold.", "heating was fixed", "Zara had a fall", "flat cold and damp"):
        expect(author.get_by_text(text, exact=False)).to_be_visible()

    draft = ChronologyVersion.objects.get(review=review, agency=world.agency_a, state="draft")
    services.version_submit(by=world.lead_a, version=draft)
    services.version_accept(by=world.manager, version=ChronologyVersion.objects.get(pk=draft.pk))

    reviewer = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    sign_in(reviewer, world.reviewer)
    reviewer.goto(f"{base}/analysis/")
    assert axe_violations(reviewer) == []
    suggestions = reviewer.locator(".cr-suggestion")
    assert suggestions.count() >= 2
    reviewer.get_by_role("button", name="Same event").first.click()
    expect(reviewer.locator(".govuk-notification-banner__heading")).to_contain_text("marked as the same event")
    reviewer.get_by_role("button", name="Different events").first.click()
    expect(reviewer.locator(".govuk-notification-banner__heading")).to_contain_text("marked as different events")
    expect(reviewer.get_by_text("Group D1: 2 entries")).to_be_visible()

    reviewer.goto(f"{base}/export/")
    expect(reviewer.get_by_text("prepares it in the background")).to_be_visible()
    reviewer.get_by_label("PDF, with the timeline").check()
    reviewer.get_by_role("button", name="Prepare the export").click()
    expect(reviewer.get_by_role("heading", name="Your export is ready")).to_be_visible()
    assert axe_violations(reviewer) == []
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.endswith(".pdf")
