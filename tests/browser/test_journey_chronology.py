"""An agency's chronology from spreadsheet to the review's merged chronology, in the browser.

Agency A's author uploads their own spreadsheet layout and confirms its columns (forgetting one first), then adds
one more event by hand; the agency's safeguarding lead checks and submits; the lead reviewer accepts it, filters
the merged chronology and exports the filtered view as CSV. Every distinct page is checked with axe-core for
WCAG 2.2 A and AA.
"""

import csv
import io
from datetime import datetime

import openpyxl
import pytest

from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion
from tests.browser_support import accessible, success
from tests.chronology.helpers import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The agency's own layout: the date and type are recognised, the source and description columns are not.
HEADINGS = ["Date of event", "Info from", "Account of the contact", "Type", "Risk"]
ROWS = [
    ["12/03/2014", "Police log", "Officers attended after a neighbour heard shouting", "Incident",
     "Injury to a child"],
    [datetime(2014, 4, 2), "School record", "Zara's school raised concerns about her attendance", "Contact", ""],
]


def workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def test_an_agency_chronology_is_imported_submitted_merged_filtered_and_exported(
        live_server, world, person, settings, tmp_path):
    # Uploads go to this test's own folder, never var/.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "uploads"}}}
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    spreadsheet = workbook(tmp_path / "police-chronology.xlsx")
    base = f"{live_server.url}/chronology/{review.pk}"

    # The author uploads the agency's spreadsheet.
    author = person(world.author_a)
    author.goto(f"{live_server.url}/chronology/")
    accessible(author)
    author.get_by_role("link", name=review.reference).click()
    author.get_by_role("heading", name="Testshire Police: chronology").wait_for()
    author.get_by_role("button", name="Upload a file").click()
    author.get_by_role("heading", name="Upload a file").wait_for()
    accessible(author)
    author.get_by_label("Upload a file").set_input_files(spreadsheet)
    author.get_by_role("button", name="Upload", exact=True).click()

    # The column mapping step: the unrecognised columns must be matched before anything is imported.
    author.get_by_role("heading", name="Confirm the columns").wait_for()
    assert author.get_by_text("CaseReview recognised 3 of 5 columns").is_visible()
    accessible(author)
    author.get_by_role("button", name="Import the rows").click()
    summary = author.locator(".govuk-error-summary")
    assert "Choose which column holds Source of information" in summary.inner_text()
    assert not ChronologyEntry.objects.exists()
    accessible(author)
    author.get_by_label("Column 2: Info from").select_option(label="Source of information (required)")
    author.get_by_label("Column 3: Account of the contact").select_option(label="Description (required)")
    author.get_by_role("button", name="Import the rows").click()
    author.get_by_role("heading", name="Imported").wait_for()
    assert author.get_by_text("2 entries imported: your draft now has 2 entries").is_visible()
    accessible(author)

    # The author adds one more event by hand, to the imported draft.
    author.get_by_role("link", name="Check the entries and the quality checklist").click()
    assert author.get_by_text("Officers attended after a neighbour heard shouting").is_visible()
    accessible(author)
    author.get_by_role("button", name="Add an entry").click()
    author.get_by_role("heading", name="Add an entry", exact=False).first.wait_for()
    accessible(author)
    author.fill("#id_start_0", "20")
    author.fill("#id_start_1", "5")
    author.fill("#id_start_2", "2014")
    author.get_by_label("Source of information").fill("Case record")
    author.get_by_label("Event type").select_option("home_visit")
    author.get_by_label("What happened").fill("Zara seen at home with Yvonne; the flat was cold.")
    author.get_by_label("Risk presented").fill("Cold home")
    author.get_by_role("button", name="Save entry").click()
    assert "added to your draft" in success(author)
    assert ChronologyEntry.objects.filter(version__state=ChronologyVersion.State.DRAFT).count() == 3

    # The agency's safeguarding lead checks and submits.
    lead = person(world.lead_a)
    lead.goto(f"{base}/agency/")
    lead.get_by_role("button", name="Check and submit").click()
    accessible(lead)
    lead.get_by_label("I have checked these entries").check()
    lead.get_by_role("button", name="Submit chronology").click()
    assert "Chronology submitted for review REV-T1: 3 entries" in success(lead)

    # The lead reviewer accepts it and works on the merged chronology.
    reviewer = person(world.reviewer)
    reviewer.goto(f"{base}/")
    accessible(reviewer)
    reviewer.get_by_role("button", name="Accept Testshire Police's chronology").click()
    assert "it is now in the merged chronology" in success(reviewer)
    reviewer.get_by_role("link", name="Merged chronology").click()
    reviewer.get_by_role("heading", name="Merged chronology").wait_for()
    assert reviewer.get_by_text("3 entries", exact=False).first.is_visible()
    reviewer.get_by_text("Filter entries").click()
    reviewer.get_by_label("Words in the entry").fill("school")
    reviewer.get_by_role("button", name="Apply filters").click()
    reviewer.get_by_text("1 entry matches your filters").wait_for()
    assert reviewer.get_by_text("Zara's school raised concerns").is_visible()
    assert not reviewer.get_by_text("the flat was cold").is_visible()
    accessible(reviewer)

    # The filtered view is exported as CSV.
    reviewer.get_by_role("link", name="Export this view").click()
    reviewer.get_by_role("heading", name="Export the chronology").wait_for()
    assert reviewer.get_by_text("The filtered view: 1 entry").is_visible()
    accessible(reviewer)
    reviewer.get_by_label("CSV (.csv)").check()
    with reviewer.expect_download() as download_info:
        reviewer.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Zara's school raised concerns about her attendance" in cell for row in rows for cell in row)
    assert not any("the flat was cold" in cell for row in rows for cell in row)
