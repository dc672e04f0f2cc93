"""Accepting uploads for the publication safety check and reading their text.

Fixtures are built here, at test time, so no binary file is kept in the repository.
"""

import io
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from casereview.lib.documents import DocumentError, detect_document_type, extract_text
from casereview.lib.identifiers import KnownIdentifier, scan


def make_docx(
    *paragraphs: str, table: list[list[str]] | None = None, header: str = "", footer: str = ""
) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(*lines: str) -> bytes:
    """A minimal one-page PDF in Helvetica, one line of text per argument."""
    shown = " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines
    )
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rewrite_part(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, change(content) if entry.filename == name else content)
    return buffer.getvalue()


def test_it_recognises_a_real_word_document():
    assert detect_document_type(make_docx("Overview"), "Child M review.docx") == "docx"


def test_it_recognises_a_real_pdf():
    assert detect_document_type(make_pdf("Overview"), "Child M review.PDF") == "pdf"


def test_it_recognises_plain_text():
    assert detect_document_type("Overview \u2013 Child M".encode(), "summary.txt") == "txt"


def test_it_refuses_a_file_named_docx_that_is_not_a_word_document():
    with pytest.raises(DocumentError, match="^This file ends in .docx but is not a Word document$"):
        detect_document_type(b"MZ\x90\x00 not a document at all", "report.docx")


def test_it_refuses_a_spreadsheet_renamed_to_docx():
    spreadsheet = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})

    with pytest.raises(DocumentError, match="is not a Word document"):
        detect_document_type(spreadsheet, "report.docx")


def test_it_explains_a_password_protected_or_old_word_file():
    with pytest.raises(DocumentError, match="password-protected or old-style Word file"):
        detect_document_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "report.docx")


def test_it_refuses_a_file_named_pdf_that_is_not_a_pdf():
    with pytest.raises(DocumentError, match="^This file ends in .pdf but is not a PDF$"):
        detect_document_type(make_docx("Overview"), "report.pdf")


def test_it_refuses_a_text_file_that_is_not_utf8():
    with pytest.raises(DocumentError, match="not plain text saved as UTF-8"):
        detect_document_type("Caf\u00e9 visit".encode("cp1252"), "notes.txt")


@pytest.mark.parametrize("filename", ["report.doc", "report.rtf", "report.odt", "report", "report.docx.exe"])
def test_it_refuses_other_kinds_of_file(filename):
    with pytest.raises(
        DocumentError, match=r"^Only Word \(\.docx\), PDF or plain text files can be checked$"
    ):
        detect_document_type(b"{\\rtf1 Overview}", filename)


def test_it_refuses_a_file_over_the_default_limit():
    with pytest.raises(DocumentError, match="^The file is larger than 20 MB$"):
        detect_document_type(b"a" * (20 * 1024 * 1024 + 1), "summary.txt")


def test_it_refuses_a_file_over_a_given_limit():
    with pytest.raises(DocumentError, match="^The file is larger than 5 MB$"):
        detect_document_type(
            make_pdf("Overview") + bytes(5 * 1024 * 1024), "report.pdf", max_bytes=5 * 1024 * 1024
        )


def test_it_refuses_an_empty_file():
    with pytest.raises(DocumentError, match="^The file is empty$"):
        detect_document_type(b"", "report.docx")


def test_it_refuses_a_word_file_that_would_unpack_to_far_more_than_it_weighs():
    bomb = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (20 * 1024 * 1024)})

    with pytest.raises(DocumentError, match="compressed more than 100 to 1: it may be a 'zip bomb'"):
        detect_document_type(bomb, "report.docx")


def test_it_refuses_a_word_file_with_too_many_parts():
    crowded = make_zip(
        {"word/document.xml": b"<w:document/>", **{f"word/media/{n}.bin": b"" for n in range(1001)}}
    )

    with pytest.raises(DocumentError, match="more than the 1,000 a real document needs"):
        detect_document_type(crowded, "report.docx")


def test_it_reads_paragraphs_and_tables_from_a_word_document():
    data = make_docx(
        "Learning review concerning Kayden.",
        table=[["Name", "Date of birth"], ["Kayden Marsh-Whitley", "12/03/2014"]],
    )

    text = extract_text(data, "docx")

    assert text.startswith(
        "Learning review concerning Kayden.\nName\nDate of birth\nKayden Marsh-Whitley\n12/03/2014"
    )


def test_it_reads_headers_and_footers_from_a_word_document():
    text = extract_text(make_docx("Body", header="Review of Child M", footer="Kaydon's review"), "docx")

    assert "Review of Child M" in text
    assert "Kaydon's review" in text


def test_it_reads_text_deleted_with_tracked_changes():
    # A tracked deletion is still in the file and shows to anyone who rejects the change.
    document = docx.Document()
    paragraph = document.add_paragraph("The child ")
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "Reviewer")
    run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "Kayden Marsh-Whitley"
    run.append(deleted_text)
    deletion.append(run)
    paragraph._p.append(deletion)
    buffer = io.BytesIO()
    document.save(buffer)

    assert "The child Kayden Marsh-Whitley" in extract_text(buffer.getvalue(), "docx")


def test_it_reads_the_title_of_a_word_document():
    document = docx.Document()
    document.core_properties.title = "Review: Kayden Marsh-Whitley"
    buffer = io.BytesIO()
    document.save(buffer)

    assert "Review: Kayden Marsh-Whitley" in extract_text(buffer.getvalue(), "docx")


def test_it_reads_link_addresses_hidden_behind_text():
    document = docx.Document()
    document.add_paragraph("Contact the family")
    document.part.relate_to("mailto:kayden.test@example.com", RT.HYPERLINK, is_external=True)
    buffer = io.BytesIO()
    document.save(buffer)

    assert "mailto:kayden.test@example.com" in extract_text(buffer.getvalue(), "docx")


def test_it_reads_a_text_box_once_although_word_saves_it_twice():
    text_box = (
        b'<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        b'<mc:Choice Requires="wps"><w:t>Kayden in a text box</w:t></mc:Choice>'
        b"<mc:Fallback><w:t>Kayden in a text box</w:t></mc:Fallback>"
        b"</mc:AlternateContent></w:r></w:p>"
    )
    data = rewrite_part(
        make_docx("Body"), "word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body>" + text_box)
    )

    assert extract_text(data, "docx").count("Kayden in a text box") == 1


def test_it_reads_text_from_a_pdf():
    text = extract_text(make_pdf("Learning review (Child M)", "Kayden's school raised a concern."), "pdf")

    assert text.splitlines() == ["Learning review (Child M)", "Kayden's school raised a concern."]


def test_it_refuses_a_pdf_with_no_text_it_could_read():
    with pytest.raises(DocumentError, match="If it is a scanned image"):
        extract_text(make_pdf(), "pdf")


def test_it_refuses_a_damaged_pdf():
    with pytest.raises(DocumentError, match="This PDF is damaged"):
        extract_text(b"%PDF-1.4\nthe rest is missing", "pdf")


def test_it_reads_plain_text_with_any_line_endings():
    assert (
        extract_text("\ufeffLine one\r\nLine two\rLine three".encode(), "txt")
        == "Line one\nLine two\nLine three"
    )


def test_a_word_report_naming_the_child_three_ways_is_caught_three_times():
    report = make_docx(
        "Kayden lived with his mother.",
        "The school noticed Kayden's bruising in March.",
        "Kaydon was later seen at the hospital.",
    )
    child = [KnownIdentifier("name", "Kayden Marsh-Whitley", "Child M")]

    hits = scan(extract_text(report, detect_document_type(report, "overview.docx")), child)

    assert [hit.matched_text for hit in hits] == ["Kayden", "Kayden's", "Kaydon"]


# --- many small parts (issue G6, item 2) -------------------------------------------------------


def many_parts_bomb(parts: int = 190, part_bytes: int = 1024 * 1024, filler: Callable[[int], bytes] | None = None):
    """A Word file of many 1 MB headers: each under the old 1 MB ratio threshold, 190 MB in all."""
    filler = filler or (lambda n: b"<hdr>" + b"A" * (part_bytes - 12) + b"</hdr>")
    return make_zip({
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<document/>",
        **{f"word/header{n}.xml": filler(n) for n in range(1, parts + 1)},
    })


def test_it_refuses_the_many_small_parts_bomb_before_reading_it():
    bomb = many_parts_bomb()
    assert len(bomb) < 1024 * 1024  # about 0.6 MB on the wire

    with pytest.raises(DocumentError, match="zip bomb"):
        detect_document_type(bomb, "report.docx")


def test_it_stops_reading_once_the_text_parts_add_up_to_more_than_a_real_report(monkeypatch):
    import base64
    import random

    from casereview.lib import documents

    # Parts that compress only about 2 to 1 pass the ratio check; the budget on what is actually read stops them.
    rng = random.Random(5)
    noisy = lambda n: b"<hdr>" + base64.b16encode(rng.randbytes(32 * 1024)) + b"</hdr>"  # noqa: E731
    monkeypatch.setattr(documents, "MAX_DOCX_TEXT_BYTES", 1024 * 1024)
    bomb = many_parts_bomb(parts=40, filler=noisy)

    with pytest.raises(DocumentError, match="unpacks to more than a real document would"):
        extract_text(bomb, detect_document_type(bomb, "report.docx"))


def test_it_refuses_a_word_file_with_more_text_parts_than_a_real_report():
    crowded = many_parts_bomb(parts=201, filler=lambda n: b"<hdr/>")

    with pytest.raises(DocumentError, match="more than 200 headers, footers"):
        extract_text(crowded, detect_document_type(crowded, "report.docx"))


# --- what a public PDF is made from -----------------------------------------------------------


def test_the_publishable_text_of_a_word_report_leaves_out_deletions_and_properties():
    from casereview.lib.documents import extract_publishable_text

    document = docx.Document()
    paragraph = document.add_paragraph("The child ")
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "Reviewer")
    run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "Kayden Marsh-Whitley"
    run.append(deleted_text)
    deletion.append(run)
    paragraph._p.append(deletion)
    document.add_paragraph("was known to three agencies.")
    document.core_properties.author = "Rosalind Marsh-Whitley"
    buffer = io.BytesIO()
    document.save(buffer)

    text = extract_publishable_text(buffer.getvalue(), "docx")

    assert "The child" in text and "was known to three agencies." in text
    assert "Marsh-Whitley" not in text


def test_clean_word_properties_name_only_the_board():
    from casereview.lib.documents import clean_word_properties

    document = docx.Document()
    document.add_paragraph("An anonymised report.")
    document.core_properties.author = "Rosalind Marsh-Whitley"
    document.core_properties.title = "Kayden's review"
    buffer = io.BytesIO()
    document.save(buffer)

    cleaned = clean_word_properties(buffer.getvalue(), title="Child M review", author="Testshire SCB")

    properties = docx.Document(io.BytesIO(cleaned)).core_properties
    assert (properties.title, properties.author, properties.last_modified_by) == (
        "Child M review", "Testshire SCB", "Testshire SCB")
    assert "Marsh-Whitley" not in extract_text(cleaned, "docx")
    assert "An anonymised report." in extract_text(cleaned, "docx")
