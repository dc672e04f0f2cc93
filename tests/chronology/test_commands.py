"""The command contract of issue F3: chronology_import and chronology_export."""

import csv
import io

import pytest
from django.core.management import call_command

from casereview.audit.models import AuditEvent
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion
from tests.chronology.helpers import GOOD_ROWS, csv_bytes, make_review
from tests.factories import BoardFactory, CaseFactory, review_in

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_import_then_export_csv_has_the_contract_columns(world, tmp_path):
    review = make_review(world)
    source = tmp_path / "police.csv"
    source.write_bytes(csv_bytes(GOOD_ROWS))
    code, out, _ = run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(source))
    assert code == 0, out
    assert "Imported 3 entries" in out
    version = ChronologyVersion.objects.get(review=review, agency=world.agency_a)
    assert version.state == "submitted"
    assert ChronologyRequest.objects.get(review=review, agency=world.agency_a).status == "submitted"

    target = tmp_path / "merged.csv"
    code, out, _ = run("chronology_export", "--review", review.reference, "--format", "csv", "--output", str(target))
    assert code == 0
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:7] == ["Start date", "Start time", "Agency", "Source", "Event type", "Description",
                           "Duplicate group"]
    # Ordered by start date: the month-precision date sorts before the days of that month.
    assert [r[0] for r in rows[1:]] == ["2014-03", "2014-03-12", "?2015"]
    assert rows[2][1] == "14:30" and rows[1][1] == ""
    assert rows[2][2] == "Testshire Police"
    assert rows[2][4] == "Incident"
    assert AuditEvent.objects.filter(action="chronology.exported").count() == 1


def test_anonymised_export_replaces_names_and_aliases(world, tmp_path):
    review = make_review(world)
    source = tmp_path / "police.csv"
    source.write_bytes(csv_bytes(GOOD_ROWS))
    run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(source))
    target = tmp_path / "anon.csv"
    run("chronology_export", "--review", review.reference, "--format", "csv", "--output", str(target), "--anonymised")
    text = target.read_text(encoding="utf-8")
    assert "Zara" not in text and "Yvonne" not in text
    assert "Mother said Child Q had a fall at home" in text
    assert "Child Q's school raised concerns" in text


def test_invalid_rows_store_nothing_and_list_every_problem(world, tmp_path):
    review = make_review(world)
    rows = [
        GOOD_ROWS[0],
        ["31/02/2014", "", "Something", "Police log", "", "", "", "", "", "", ""],
        ["yesterday", "25:99", "", "", "", "", "", "", "", "", "maybe"],
    ]
    source = tmp_path / "bad.csv"
    source.write_bytes(csv_bytes(rows))
    code, out, err = run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name,
                         str(source))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("row 3: Date of event: 31/02/2014 is not a real date")
    assert any(line.startswith("row 4: Date of event: 'yesterday' is not a date") for line in lines)
    assert any(line.startswith("row 4: Time: ") for line in lines)
    assert any(line.startswith("row 4: Source: enter the source") for line in lines)
    assert any(line.startswith("row 4: What happened: enter a description") for line in lines)
    assert any(line.startswith("row 4: Key practice episode: 'maybe' is not yes or no") for line in lines)
    assert "Nothing was imported" in err
    assert not ChronologyEntry.objects.exists()
    assert not ChronologyVersion.objects.exists()


def test_missing_mandatory_column_is_reported(world, tmp_path):
    review = make_review(world)
    source = tmp_path / "nosource.csv"
    source.write_bytes(csv_bytes([["12/03/2014", "Something"]], headings=["Date", "Details"]))
    code, out, _ = run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(source))
    assert code == 1
    assert "row 1: Source of information: No column holds Source of information" in out


def test_map_override(world, tmp_path):
    review = make_review(world)
    source = tmp_path / "odd.csv"
    source.write_bytes(csv_bytes([["12/03/2014", "A visit", "GP notes"]], headings=["When", "Narrative text", "Origin"]))
    code, out, _ = run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name,
                       "--map", "When=start_date,Narrative text=description,Origin=source", str(source))
    assert code == 0, out
    entry = ChronologyEntry.objects.get()
    assert entry.description == "A visit" and entry.source == "GP notes"


def test_reimport_replaces_previous_and_keeps_history(world, tmp_path):
    review = make_review(world)
    first = tmp_path / "v1.csv"
    first.write_bytes(csv_bytes(GOOD_ROWS))
    second = tmp_path / "v2.csv"
    second.write_bytes(csv_bytes(GOOD_ROWS[:1]))
    run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(first))
    run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(second))
    versions = ChronologyVersion.objects.filter(review=review).order_by("number")
    assert [v.state for v in versions] == ["superseded", "submitted"]
    assert versions[0].entries.count() == 3  # history kept
    target = tmp_path / "merged.csv"
    run("chronology_export", "--review", review.reference, "--format", "csv", "--output", str(target))
    assert len(target.read_text().strip().splitlines()) == 2


def test_shared_reference_needs_board(world, tmp_path):
    review = make_review(world)
    other_board = BoardFactory(slug="second")
    review_in(world, case=CaseFactory(board=other_board), reference=review.reference, title="x",
              initiated_on=review.initiated_on, lead_reviewer=None)
    target = tmp_path / "merged.csv"
    with pytest.raises(Exception, match="--board SLUG"):
        call_command("chronology_export", "--review", review.reference, "--format", "csv", "--output", str(target))
    call_command("chronology_export", "--review", review.reference, "--board", "testshire", "--format", "csv",
                 "--output", str(target), stdout=io.StringIO())
    assert target.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_other_formats(world, tmp_path, fmt):
    review = make_review(world)
    source = tmp_path / "police.csv"
    source.write_bytes(csv_bytes(GOOD_ROWS))
    run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name, str(source))
    target = tmp_path / f"merged.{fmt}"
    code, out, _ = run("chronology_export", "--review", review.reference, "--format", fmt, "--output", str(target))
    assert code == 0
    data = target.read_bytes()
    assert data[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")


def test_chronology_duplicates_lists_suggestions_then_records_decisions(world, tmp_path):
    from casereview.cases.models import CaseAgency
    from tests.chronology.helpers import accepted_chronology
    from tests.chronology.test_merged import HEALTH, POLICE

    review = make_review(world)
    CaseAgency.objects.create(case=world.case, agency=world.agency_b)
    accepted_chronology(world, review, world.agency_a, POLICE, tmp_path, name="pol.csv")
    accepted_chronology(world, review, world.agency_b, HEALTH, tmp_path, name="hlt.csv")
    code, out, _ = run("chronology_duplicates", "--review", review.reference)
    assert code == 0
    ref_a, ref_b, score, reason = out.strip().split("\t")
    assert {ref_a, ref_b} == {"TPOL-0002", "THLT-0002"} and int(score) >= 50 and reason.startswith("Similar words")

    code, out, err = run("chronology_duplicates", "--review", review.reference, "--confirm", "TPOL-0002",
                         "THLT-0002", "--by", world.author_a.username)
    assert code == 2 and "is not in the review group" in err
    code, out, _ = run("chronology_duplicates", "--review", review.reference, "--confirm", "TPOL-0002",
                       "THLT-0002", "--by", world.reviewer.username)
    assert code == 0 and "marked as the same event" in out
    event = AuditEvent.objects.get(action="chronology.duplicate_confirmed")
    assert event.actor_id == world.reviewer.pk
    code, out, _ = run("chronology_duplicates", "--review", review.reference)
    assert out == ""  # decided pairs are not listed

    target = tmp_path / "merged.csv"
    run("chronology_export", "--review", review.reference, "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    grouped = {row["Event ref"]: row["Duplicate group"] for row in rows if row["Duplicate group"]}
    assert grouped == {"TPOL-0002": "D1", "THLT-0002": "D1"}


@pytest.mark.parametrize("args, message", [
    (["--review", "NOPE-1"], "There is no review with reference NOPE-1"),
    (["--review", "REV-T1", "--dismiss", "TPOL-0404", "X", "--by", "nobody-here"], "There is no active user"),
])
def test_chronology_duplicates_exits_2_on_unknown_names(world, args, message):
    make_review(world)
    code, _, err = run("chronology_duplicates", *args)
    assert code == 2 and message in err


def test_chronology_duplicates_exits_2_on_an_unknown_reference(world):
    review = make_review(world)
    code, _, err = run("chronology_duplicates", "--review", review.reference, "--dismiss", "TPOL-0404", "X",
                       "--by", world.reviewer.username)
    assert code == 2 and "no entry with the event reference TPOL-0404" in err


@pytest.mark.parametrize("name", ["police.docx", "police.ods", "police.xls"])
def test_chronology_import_takes_every_format_with_the_same_messages(world, tmp_path, name):
    import docx
    import xlwt

    from tests.lib.test_spreadsheet_formats import ods_bytes, ods_row

    review = make_review(world)
    rows = [["Date of event", "Source", "What happened"], ["12/03/2014", "Police log", "Officer attended"],
            ["31/02/2014", "Police log", "Second visit"]]
    path = tmp_path / name
    if name.endswith(".docx"):
        document = docx.Document()
        table = document.add_table(rows=3, cols=3)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        document.save(path)
    elif name.endswith(".ods"):
        path.write_bytes(ods_bytes("".join(ods_row(*row) for row in rows)))
    else:
        book = xlwt.Workbook()
        sheet = book.add_sheet("Chronology")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        book.save(str(path))
    code, out, err = run("chronology_import", "--review", review.reference, "--agency", world.agency_a.name,
                         str(path))
    assert code == 1 and "row 3: Date of event: 31/02/2014 is not a real date" in out, out
    assert "Nothing was imported" in err and not ChronologyEntry.objects.exists()
