"""`manage.py identifier_scan`: the publication check on any file, for boards and the benchmark."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.lib.pdf import PdfProperties, render_pdf

PEOPLE = [
    {
        "label": "Child K",
        "full_name": "Ellie Lacey-Mae Demoson",
        "aliases": ["Ells"],
        "date_of_birth": "2012-03-03",
        "address": "7 Larch Grove, Anytown",
        "postcode": "ZZ9 9ZZ",
        "school": "St Mary's CE Primary School",
    }
]


@pytest.fixture
def people(tmp_path):
    path = tmp_path / "people.json"
    path.write_text(json.dumps(PEOPLE), encoding="utf-8")
    return path


def run(capsys, *args):
    try:
        call_command("identifier_scan", *map(str, args))
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, capsys.readouterr().out.splitlines()


def test_it_prints_each_hit_with_its_offsets_and_exits_1(tmp_path, people, capsys):
    text = "Elie (LaceyMae) was born 3-Mar-2012 at 7 Larchgrove.\nCall 07700 \n900417.\n"
    document = tmp_path / "extract.txt"
    document.write_text(text, encoding="utf-8")

    code, lines = run(capsys, "--people", people, document)

    assert code == 1
    assert lines == [
        "0\t4\tname\tElie",
        "6\t14\tname\tLaceyMae",
        "25\t35\tdate_of_birth\t3-Mar-2012",
        "39\t51\taddress\t7 Larchgrove",
        "58\t71\tphone\t07700 \\n900417",
    ]
    start, end = int(lines[1].split("\t")[0]), int(lines[1].split("\t")[1])
    assert text[start:end] == "LaceyMae"


def test_it_exits_0_and_prints_nothing_for_a_clean_file(tmp_path, people, capsys):
    document = tmp_path / "clean.txt"
    document.write_text("The strategy meeting was held on 4 March 2013.", encoding="utf-8")

    assert run(capsys, "--people", people, document) == (0, [])


def test_it_reads_a_narrow_column_pdf_where_identifiers_break_across_lines(tmp_path, people, capsys):
    html = (
        "<p style='width:32mm;font-size:11pt'>The family's phone number, 07700 900417, and the mother's NI "
        "number JM 48 27 13 C were on the referral for Ellie Lacey-Mae Demoson.</p>"
    )
    document = tmp_path / "narrow.pdf"
    document.write_bytes(render_pdf(html, PdfProperties(title="Extract")))

    code, lines = run(capsys, "--people", people, document)

    kinds = [line.split("\t")[2] for line in lines]
    assert code == 1
    assert kinds == ["phone", "ni_number", "name"]
    assert any("\\n" in line for line in lines)  # the PDF did break an identifier across lines


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "is not valid JSON"), ('{"label": "Child K"}', "must hold a list of people"),
     ('[{"label": "Child K", "date_of_birth": "3rd March"}]', "must be an ISO date")],
)
def test_it_exits_2_on_a_bad_people_file(tmp_path, content, message):
    bad = tmp_path / "people.json"
    bad.write_text(content, encoding="utf-8")
    document = tmp_path / "clean.txt"
    document.write_text("Nothing here.", encoding="utf-8")

    with pytest.raises(CommandError, match=message) as error:
        call_command("identifier_scan", "--people", str(bad), str(document))
    assert error.value.returncode == 2


def test_it_exits_2_on_a_file_it_cannot_read(tmp_path, people):
    fake = tmp_path / "report.docx"
    fake.write_bytes(b"MZ\x90\x00 this is a program")

    with pytest.raises(CommandError, match="not a Word document") as error:
        call_command("identifier_scan", "--people", str(people), str(fake))
    assert error.value.returncode == 2


def test_it_reads_a_word_document_including_what_a_reader_may_not_look_at(tmp_path, people, capsys):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("The review of Child K.")
    document.core_properties.title = "Review of Ellie Demoson"  # a property, still published with the file
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "report.docx"
    path.write_bytes(buffer.getvalue())

    code, lines = run(capsys, "--people", people, path)

    assert code == 1
    assert [line.split("\t")[2:] for line in lines] == [["name", "Ellie Demoson"]]
