"""Exports fit for a board: the protective marking on every page (Word, PDF) and at the top of every sheet
(Excel), A4, fitted columns, properties naming the board and CaseReview, and Excel dates as real dates."""

import io
from datetime import datetime

import pytest
from django.urls import reverse

from tests.chronology.test_merged import HEALTH, POLICE, merged  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

MARKING = "OFFICIAL-SENSITIVE"


def export(client, review, fmt):
    response = client.get(reverse("chronology:export", args=[review.pk]), {"format": fmt, "names": "named"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_word_export_is_a4_landscape_marked_on_every_page_with_fitted_columns(world, as_user, merged):  # noqa: F811
    import docx

    document = docx.Document(io.BytesIO(export(as_user(world.reviewer), merged, "docx")))
    for section in document.sections:
        assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
        assert MARKING in section.header.paragraphs[0].text and MARKING in section.footer.paragraphs[0].text
    properties = document.core_properties
    assert properties.author == world.board.name and properties.last_modified_by == "CaseReview"
    assert "python-docx" not in (properties.author + properties.last_modified_by + properties.comments)
    table = document.tables[0]
    widths = [column.width for column in table.columns]
    assert round(widths[4].cm, 1) == 11.0 and round(widths[1].cm, 1) == 1.2  # "What happened" wide, "Time" narrow
    assert table.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_pdf_export_is_marked_on_every_page_and_names_the_board(world, as_user, merged, settings):  # noqa: F811
    from pypdf import PdfReader

    world.board.protective_marking = "OFFICIAL-SENSITIVE PERSONAL"
    world.board.save(update_fields=["protective_marking"])
    reader = PdfReader(io.BytesIO(export(as_user(world.reviewer), merged, "pdf")))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        text = page.extract_text()
        assert text.count("OFFICIAL-SENSITIVE PERSONAL") >= 2  # header and footer
        assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595
    assert reader.metadata.title == f"Chronology of review {merged.reference}"
    assert reader.metadata.author == world.board.name


def test_excel_export_marks_every_sheet_and_holds_real_dates_with_their_precision(world, as_user, merged):  # noqa: F811
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export(as_user(world.reviewer), merged, "xlsx")))
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == MARKING and sheet["A1"].font.bold
        assert MARKING in sheet.oddHeader.center.text and MARKING in sheet.oddFooter.center.text
        assert sheet.page_setup.paperSize == 9
    sheet = workbook["Chronology"]
    headings = [cell.value for cell in sheet[2]]
    assert headings[:7] == ["Start date", "Start time", "Agency", "Source", "Event type", "Description",
                            "Duplicate group"]
    start, precision = headings.index("Start date"), headings.index("Start date precision")
    values = {(row[start].value, row[precision].value) for row in sheet.iter_rows(min_row=3)}
    assert (datetime(2014, 3, 12), "Day") in values  # a real date, shown as dd/mm/yyyy
    assert ("2014-03", "Month") in values and ("2014", "Year") in values
    day_cell = next(row[start] for row in sheet.iter_rows(min_row=3) if row[precision].value == "Day")
    assert day_cell.number_format == "dd/mm/yyyy" and day_cell.is_date
    assert workbook.properties.creator == world.board.name and workbook.properties.lastModifiedBy == "CaseReview"
    assert sheet.column_dimensions["F"].width == 60  # the description is wide, the time narrow


@pytest.fixture
def large(world, tmp_path):
    from tests.chronology.helpers import accepted_chronology, make_review

    review = make_review(world, reference="REV-BIG")
    rows = [[f"{day % 28 + 1:02d}/0{day % 9 + 1}/2015", "", f"Contact number {day} with the family", "Police log",
             "", "Contact", "", "", "", "", ""] for day in range(130)]
    accepted_chronology(world, review, world.agency_a, rows, tmp_path)
    return review


def test_an_export_larger_than_a_page_runs_in_the_background_with_progress_and_a_link(world, as_user, large,
                                                                                       monkeypatch):
    from types import SimpleNamespace

    from casereview.chronology import export_jobs, tasks
    from casereview.chronology.models import ExportJob
    from casereview.notifications.models import OutboundEmail

    client = as_user(world.reviewer)
    url = reverse("chronology:export", args=[large.pk])
    page = client.get(url).content.decode()
    assert "larger than a page, so CaseReview prepares it in the background" in page
    queued = []
    monkeypatch.setattr(tasks, "run_export_job", SimpleNamespace(enqueue=queued.append))
    response = client.post(url, {"format": "pdf", "names": "named"})
    job = ExportJob.objects.get()
    assert response.url == reverse("chronology:export_status", args=[large.pk, job.pk])
    # The request wrote nothing: the worker has not started.
    assert queued == [job.pk] and job.status == ExportJob.Status.QUEUED and not job.stored_name
    page = client.get(response.url).content.decode()
    assert "Preparing your export" in page and "0 of about 130 rows done" in page
    assert export_jobs.export_job_run(job.pk) == "exported"
    state = client.get(reverse("chronology:export_status_json", args=[large.pk, job.pk])).json()
    assert state["percent"] == 100 and state["finished"] and state["done"] == 130
    page = client.get(response.url).content.decode()
    assert "Your export is ready" in page
    download = client.get(reverse("chronology:export_download", args=[large.pk, job.pk]))
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) > 1 and all(MARKING in p.extract_text() for p in pdf.pages)
    email = OutboundEmail.objects.get(subject__startswith="Your export of the chronology of review REV-BIG")
    assert email.to == world.reviewer.email and "/export/" in email.body
    # Someone else in the review group cannot see another person's export.
    assert as_user(world.chair).get(response.url).status_code == 404
    # A day later the file is removed.
    from datetime import timedelta

    from casereview.lib.dates import now

    assert export_jobs.export_jobs_sweep(now=now() + timedelta(days=2)) == 1
    assert ExportJob.objects.get().status == ExportJob.Status.EXPIRED
