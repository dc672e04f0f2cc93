"""Uploading a spreadsheet: safety checks, the column-mapping step, the background import with progress, and
all-or-nothing validation with every problem listed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from casereview.chronology.models import (
    ChronologyEntry,
    ChronologyRequest,
    ChronologyVersion,
    EventType,
    ImportJob,
)
from casereview.lib.chronology_fields import suggest_mapping
from tests.chronology.helpers import GOOD_ROWS, csv_bytes, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    return review


def upload(client, review, name, data):
    return client.post(reverse("chronology:import_upload", args=[review.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def test_csv_in_windows_1252_goes_through_mapping_into_the_draft(world, as_user, review):
    client = as_user(world.author_a)
    rows = [row[:] for row in GOOD_ROWS]
    rows[0][2] = "Yvonne said Zara had a fall at home – café visit"
    response = upload(client, review, "police.csv", csv_bytes(rows, encoding="cp1252"))
    job = ImportJob.objects.get()
    # The upload only stores the file; the headings are read in the worker (run inline by the test settings),
    # and the status page then moves on to the columns.
    assert response.url == reverse("chronology:import_status", args=[review.pk, job.pk])
    response = client.get(response.url)
    assert response.url == reverse("chronology:import_mapping", args=[review.pk, job.pk])
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert "CaseReview recognised 11 of 11 columns" in page
    assert "Column 1: Date of event" in page
    data = {f"column_{i}": field or "" for i, field in suggest_mapping(job.headings).items()}
    response = client.post(response.url, data)
    assert response.url == reverse("chronology:import_status", args=[review.pk, job.pk])
    # The test settings run tasks immediately, so the import has finished.
    page = client.get(response.url).content.decode()
    assert "3 entries imported: your draft now has 3 entries" in page
    version = ChronologyVersion.objects.get()
    assert version.state == "draft" and version.origin == "upload"
    assert ChronologyEntry.objects.get(event_ref="TPOL-0002").description.endswith("café visit")
    assert client.get(reverse("chronology:import_status_json", args=[review.pk, job.pk])).json()["percent"] == 100


def test_mapping_step_requires_mandatory_fields_once(world, as_user, review):
    client = as_user(world.author_a)
    response = upload(client, review, "odd.csv", csv_bytes([["1/2/2014", "x", "y"]], headings=["When", "Blah", "Meh"]))
    response = client.get(response.url)
    page = client.get(response.url).content.decode()
    assert "CaseReview recognised 0 of 3 columns" in page
    response = client.post(response.url, {"column_0": "start_date", "column_1": "start_date", "column_2": ""})
    page = response.content.decode()
    assert "Start date is already chosen for column 1: choose it for one column only" in page
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING


def test_invalid_rows_list_every_problem_and_store_nothing(world, as_user, review):
    client = as_user(world.author_a)
    rows = [GOOD_ROWS[0], ["32/01/2014", "", "x", "", "", "", "", "", "", "", ""]]
    response = upload(client, review, "bad.csv", csv_bytes(rows))
    job = ImportJob.objects.get()
    data = {f"column_{i}": field or "" for i, field in suggest_mapping(job.headings).items()}
    response = client.post(client.get(response.url).url, data)
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page
    assert "row 3: Date of event: 32/01/2014 is not a real date" in page
    assert "row 3: Source: enter the source of information" in page
    assert not ChronologyEntry.objects.exists() and not ChronologyVersion.objects.exists()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 30_000_000 + "</a>")
    return buffer.getvalue()


def _xml_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("bomb.xlsx", _zip_bomb(), "zip bomb"),
    ("bomb.xlsx", _xml_bomb(), "XML bomb"),
    ("notes.xlsx", b"%PDF-1.4 not a workbook", "is not an Excel workbook: it looks like a PDF"),
    ("empty.csv", b"", "The selected file is empty"),
    ("report.pages", b"PK\x03\x04", "is not a file CaseReview can import"),
    ("report.docx", b"PK\x03\x04", "report.docx is not a Word document (.docx): it is damaged"),
    ("headings.csv", b"Date,Details\n", "Choose which column holds Source of information"),
    ("only-headings.csv", b"Date,Details,Source\n", "has headings but no entries under them"),
    ("too-long.csv", b"Date,Details,Source\n" + b"1/1/2014,x,y\n" * 6, "more than 5 rows of entries"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_stored(world, as_user, review, name, data, message,
                                                             settings):
    settings.CHRONOLOGY_IMPORT_MAX_ROWS = 5
    client = as_user(world.author_a)
    response = upload(client, review, name, data)
    if response.status_code == 302:  # stored: the worker reads it, and the status page says what it found
        response = client.get(response.url)
    if response.status_code == 302:  # the heading row is fine: the problem shows at the mapping step
        job = ImportJob.objects.get()
        data = {f"column_{i}": field or "" for i, field in suggest_mapping(job.headings).items()}
        response = client.post(response.url, data, follow=True)
    page = response.content.decode()
    assert message in page
    assert not ChronologyEntry.objects.exists()


def test_template_has_import_headings_and_drop_downs(world, as_user, review):
    response = as_user(world.author_a).get(reverse("chronology:template", args=[review.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[2]]  # under the board's protective marking
    assert sheet.title == "Chronology"
    assert all(field for field in suggest_mapping(headings).values())  # every heading maps by itself
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"Y,N"' in lists and any(formula.startswith("Lists!") for formula in lists)
    assert workbook["Lists"].sheet_state == "hidden"
    instructions = "\n".join(str(row[0]) for row in workbook["Instructions"].values)
    assert "symbolic or indicative of a pattern" in instructions and "Child Q" in instructions


def test_filled_in_template_imports_with_excel_dates(world, as_user, review, tmp_path):
    from datetime import datetime

    from casereview.chronology.importing import import_chronology

    response = as_user(world.author_a).get(reverse("chronology:template", args=[review.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Chronology"]
    headings = [cell.value for cell in sheet[2]]
    row = {h: None for h in headings}
    row.update({"Start date": datetime(2014, 3, 12), "Start time": "09:15", "Source of information": "GP notes",
                "Description": "-2+3 bruises noted", "Event type": "Home visit",
                "Part of a pattern": "Y"})
    sheet.append([row[h] for h in headings])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    import_chronology(by=world.author_a, review=review, agency=world.agency_a, path=path, filename="filled.xlsx",
                      submit=False, origin="upload")
    entry = ChronologyEntry.objects.get()
    assert entry.start.iso() == "2014-03-12" and entry.event_type == "home_visit" and entry.q_pattern
    assert entry.start_time.strftime("%H:%M") == "09:15" and entry.description == "-2+3 bruises noted"


def test_the_templates_carry_the_boards_marking_on_every_sheet_and_page(world, as_user, review):
    import docx

    world.board.protective_marking = "OFFICIAL-SENSITIVE PERSONAL"
    world.board.save(update_fields=["protective_marking"])
    client = as_user(world.author_a)
    response = client.get(reverse("chronology:template", args=[review.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [sheet.title for sheet in workbook.worksheets] == ["Chronology", "Instructions", "Lists"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE PERSONAL" and sheet["A1"].font.bold, sheet.title
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE PERSONAL"
    assert workbook["Chronology"].freeze_panes == "A3"
    assert workbook["Lists"]["A2"].value == EventType.choices[0][1]  # the drop-down's list starts under it
    event_types = [v for v in workbook["Chronology"].data_validations.dataValidation if v.formula1.startswith("Lists!")]
    assert event_types[0].formula1 == f"Lists!$A$2:$A${len(EventType.choices) + 1}"
    response = client.get(reverse("chronology:template_docx", args=[review.pk]))
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    for section in document.sections:
        assert "OFFICIAL-SENSITIVE PERSONAL" in section.header.paragraphs[0].text
        assert "OFFICIAL-SENSITIVE PERSONAL" in section.footer.paragraphs[0].text


def test_a_marking_row_above_the_headings_is_skipped_and_a_file_with_only_a_marking_is_refused(
        world, review, tmp_path):
    from casereview.chronology.importing import ImportFailed, import_chronology

    path = tmp_path / "marked.csv"
    path.write_text("OFFICIAL-SENSITIVE\nDate of event,Source,What happened\n12/03/2014,GP notes,Seen at the surgery\n")
    version = import_chronology(by=world.author_a, review=review, agency=world.agency_a, path=path,
                                filename="marked.csv", submit=False, origin="upload")
    assert version.entry_count == 1 and ChronologyEntry.objects.get().source_row == 3
    path.write_text("OFFICIAL-SENSITIVE\n")
    with pytest.raises(ImportFailed) as failure:
        import_chronology(by=world.author_a, review=review, agency=world.agency_a, path=path,
                          filename="marked.csv", submit=False, origin="upload")
    assert "protective marking but no headings" in str(failure.value.problems[0])


def test_progress_page_works_without_javascript(world, as_user, review):
    job = ImportJob.objects.create(board=world.board, review=review, agency=world.agency_a, stored_name="x.csv",
                                   original_name="big.csv", rows_total=4000, created_by=world.author_a)
    for step in (job.headings_read, job.queue, job.start):
        step()
    job.save()
    from casereview.chronology.importing import progress_clear, progress_write

    progress_write(job.pk, 1000, 4000)
    client = as_user(world.author_a)
    page = client.get(reverse("chronology:import_status", args=[review.pk, job.pk])).content.decode()
    assert "1000 of about 4000 rows done" in page and 'value="25"' in page
    assert "Refresh this page to see progress" in page and "http-equiv" not in page
    state = client.get(reverse("chronology:import_status_json", args=[review.pk, job.pk])).json()
    assert state == {"status": "checking", "label": "Checking rows", "done": 1000, "total": 4000, "percent": 25,
                     "finished": False, "stage": "working", "reading": False}
    progress_clear(job.pk)


def test_the_word_template_filled_in_imports_with_no_questions(world, as_user, review, tmp_path):
    import docx

    from casereview.chronology.importing import import_chronology

    response = as_user(world.author_a).get(reverse("chronology:template_docx", args=[review.pk]))
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "OFFICIAL-SENSITIVE" in document.sections[0].header.paragraphs[0].text
    assert round(document.sections[0].page_width.mm) == 297  # A4 landscape
    table = document.tables[0]
    headings = [cell.text for cell in table.rows[0].cells]
    assert all(field for field in suggest_mapping(headings).values())  # every heading maps by itself
    values = {"Start date": "12/03/2014", "Source of information": "GP notes",
              "Description": "Seen with bruises to the arm", "Event type": "Home visit", "Part of a pattern": "Y"}
    for cell, heading in zip(table.rows[1].cells, headings, strict=True):
        cell.text = values.get(heading, "")
    path = tmp_path / "filled.docx"
    document.save(path)
    import_chronology(by=world.author_a, review=review, agency=world.agency_a, path=path, filename="filled.docx",
                      submit=False, origin="upload")
    entry = ChronologyEntry.objects.get()  # the template's empty rows are skipped
    assert entry.start.iso() == "2014-03-12" and entry.event_type == "home_visit" and entry.q_pattern
