"""Chronologies kept as tables in Word: read like a spreadsheet, and hostile .docx files refused."""

import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement

from casereview.lib.spreadsheets import FileRejected, read_rows

HEADINGS = ["Date of event", "Source", "What happened"]


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(document, rows, *, repeat_heading=False):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if repeat_heading:
        properties = table.rows[0]._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))
    return table


def test_a_table_in_word_reads_as_rows_headings_first():
    document = docx.Document()
    document.add_paragraph("Chronology for the review (fictional)")
    add_table(document, [HEADINGS, ["12/03/2014", "GP record", "Seen at surgery"],
                         ["13/03/2014", "School log", "Absent"]])
    rows = list(read_rows(document_bytes(document), filename="chronology.docx"))
    assert rows == [(1, HEADINGS), (2, ["12/03/2014", "GP record", "Seen at surgery"]),
                    (3, ["13/03/2014", "School log", "Absent"])]


def test_several_tables_continue_the_chronology_and_repeated_headings_are_read_once():
    document = docx.Document()
    add_table(document, [HEADINGS, ["12/03/2014", "GP record", "Seen"]], repeat_heading=True)
    document.add_page_break()
    add_table(document, [HEADINGS, ["14/03/2014", "Police log", "Called out"]])
    add_table(document, [["Prepared by", "Signed"], ["A lead", "Yes"]])
    rows = [values for _, values in read_rows(document_bytes(document), filename="c.docx")]
    assert rows == [HEADINGS, ["12/03/2014", "GP record", "Seen"], ["14/03/2014", "Police log", "Called out"]]


def test_merged_heading_cells_take_the_most_specific_heading_of_each_column():
    document = docx.Document()
    table = add_table(document, [["Event", "", "Significance"], ["Date of event", "What happened",
                                                                  "Statutory event"],
                                 ["12/03/2014", "Child protection conference", "Y"]])
    for row in table.rows[:2]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.cell(0, 0).merge(table.cell(0, 1))
    rows = [values for _, values in read_rows(document_bytes(document), filename="c.docx")]
    assert rows[0] == ["Date of event", "What happened", "Statutory event"]
    assert rows[1] == ["12/03/2014", "Child protection conference", "Y"]


def test_a_document_without_a_table_says_what_to_do():
    document = docx.Document()
    document.add_paragraph("12/03/2014 seen by GP")
    with pytest.raises(FileRejected, match="notes.docx has no table with headings and entries: put the chronology"):
        list(read_rows(document_bytes(document), filename="notes.docx"))


def test_a_docx_of_many_small_parts_is_refused_as_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(190):
            archive.writestr(f"word/media/part{index}.xml", b"\x00" * (1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(FileRejected, match="bomb.docx (has a part|unpacks to).*it may be a 'zip bomb'"):
        list(read_rows(buffer.getvalue(), filename="bomb.docx"))


def test_a_docx_with_an_xml_entity_bomb_is_refused():
    document = docx.Document()
    add_table(document, [HEADINGS, ["12/03/2014", "GP", "Seen"]])
    original = zipfile.ZipFile(io.BytesIO(document_bytes(document)))
    xml = original.read("word/document.xml").decode()
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")
    xml = xml.replace("?>", "?>" + laughs, 1).replace("Seen", "&lol9;")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in original.infolist():
            copy.writestr(entry, xml if entry.filename == "word/document.xml" else original.read(entry))
    with pytest.raises(FileRejected, match="laughs.docx contains XML with a document type declaration"):
        list(read_rows(buffer.getvalue(), filename="laughs.docx"))


def test_a_macro_enabled_document_renamed_docx_is_refused():
    document = docx.Document()
    add_table(document, [HEADINGS, ["12/03/2014", "GP", "Seen"]])
    buffer = io.BytesIO(document_bytes(document))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(FileRejected, match="macros.docx contains macros: save it without macros"):
        list(read_rows(buffer.getvalue(), filename="macros.docx"))


def test_a_spreadsheet_renamed_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(FileRejected, match="sheet.docx is not a Word document"):
        list(read_rows(buffer.getvalue(), filename="sheet.docx"))
