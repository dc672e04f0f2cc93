"""The one shape of every Word document and spreadsheet the service writes.

A board's documents name children and families: each page carries the board's protective marking in its header
and footer, pages are A4 (landscape for wide tables), the text is one font throughout with headings styled like
the PDF versions (no Word default blue), and the document's properties name the board and CaseReview, never
the library that wrote it. Letters, reports, summaries and exports all start from `new_word_document`;
spreadsheets take the marking through `mark_sheet`. PDF versions take the same marking from `marking_css`.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
FONT = "Arial"
TEXT_COLOUR = (0x0B, 0x0C, 0x0C)


@dataclass(frozen=True)
class DocumentSetup:
    title: str
    board_name: str
    marking: str = DEFAULT_MARKING
    landscape: bool = False
    # Body text size in points; tables of many columns read better smaller.
    font_size: float = 11
    subject: str = ""


def new_word_document(setup: DocumentSetup):
    """A python-docx Document: A4, margins of 2 cm (1.5 cm landscape), one font, marked on every page."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if setup.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    margin = Cm(1.5) if setup.landscape else Cm(2)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, margin)

    colour = RGBColor(*TEXT_COLOUR)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "Header", "Footer"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        font = style.font
        font.name = FONT
        font.color.rgb = colour
        # Word's theme fonts override a named font: drop them so headings use the same font as the body.
        fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        if fonts is not None:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
    document.styles["Normal"].font.size = Pt(setup.font_size)
    for name, size in (("Title", 24), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)):
        try:
            document.styles[name].font.size = Pt(size)
            document.styles[name].font.bold = True
        except KeyError:
            continue

    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.text = setup.marking
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.bold = True
            run.font.name = FONT
            run.font.size = Pt(10)

    core = document.core_properties
    core.title = setup.title
    core.author = setup.board_name
    core.last_modified_by = "CaseReview"
    core.comments = f"Made with CaseReview for {setup.board_name}. {setup.marking}."
    core.subject = setup.subject
    core.keywords = setup.marking
    core.category = setup.marking
    return document


def set_column_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: Word otherwise makes every column the same width."""
    from docx.shared import Cm

    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)


def mark_sheet(sheet, marking: str, columns: int) -> None:
    """The marking in the sheet's first row (bold, merged across the table) and in the printed header and
    footer. The caller writes its table from row 2."""
    from openpyxl.styles import Alignment, Font

    sheet.cell(row=1, column=1, value=marking).font = Font(bold=True)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="left")
    if columns > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking


def marking_css(marking: str) -> str:
    """The marking at the top and bottom of every PDF page (WeasyPrint page margin boxes)."""
    safe = marking.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "@page { size: A4; margin: 2cm 2cm 2.2cm 2cm;"
        f' @top-center {{ content: "{safe}"; font: bold 9pt Arial, sans-serif; }}'
        f' @bottom-center {{ content: "{safe}"; font: bold 9pt Arial, sans-serif; }} }}'
        " body { font-family: Arial, 'Liberation Sans', sans-serif; color: #0b0c0c; }"
    )
