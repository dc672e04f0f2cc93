"""The Excel template agencies fill in: the columns in order, drop-down lists and input hints.

Its headings are exactly the import's headings, so a filled-in template maps itself with no questions.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from casereview.lib.cell_safety import neutralise
from casereview.lib.chronology_fields import FIELDS
from casereview.lib.office import DEFAULT_MARKING

from .models import SIGNIFICANCE_QUESTIONS, SPE_PRINCIPLES, EventType

ROWS = 2000


def _mark(sheet, marking: str) -> None:
    """The board's protective marking in the sheet's first row (bold) and in its printed header and footer."""
    sheet["A1"] = marking
    sheet["A1"].font = Font(bold=True)
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"


def build_template(review, guidance: dict[str, str]) -> bytes:
    """The template's every sheet starts with the board's protective marking (row 1); the headings are in row 2
    (the import skips a marking row above them)."""
    marking = review.board.protective_marking or DEFAULT_MARKING
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    _mark(sheet, marking)
    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    _mark(lists, marking)
    for row, (_, label) in enumerate(EventType.choices, start=2):
        lists.cell(row=row, column=1, value=label)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    for column, field in enumerate(FIELDS, start=1):
        cell = sheet.cell(row=2, column=column, value=field.heading)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        hint = guidance.get(field.name, "")
        if hint:
            cell.comment = Comment(("Required. " if field.mandatory else "") + hint, "CaseReview")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 50 if field.name == "description" else (
            14 if field.kind in ("date", "time", "yes_no") else 24)
        cells = f"{letter}3:{letter}{ROWS + 2}"
        if field.kind == "yes_no":
            validation = DataValidation(type="list", formula1='"Y,N"', allow_blank=True, showErrorMessage=True,
                                        errorTitle="Y or N", error="Enter Y or N (a blank cell counts as N)")
        elif field.name == "event_type":
            validation = DataValidation(type="list", formula1=f"Lists!$A$2:$A${len(EventType.choices) + 1}",
                                        allow_blank=True, showErrorMessage=True, errorTitle="Event type",
                                        error="Choose an event type from the list")
        elif field.kind == "date":
            validation = DataValidation(type="custom", formula1="TRUE", allow_blank=True, showInputMessage=True,
                                        promptTitle=field.heading[:32],
                                        prompt="A date (12/03/2014), a month (March 2014) or a year (2014); put ? "
                                               "in front if uncertain")
        elif field.kind == "time":
            validation = DataValidation(type="time", operator="between", formula1="0", formula2="0.999988426",
                                        allow_blank=True, showErrorMessage=True, errorTitle="Time",
                                        error="Enter a time such as 14:30")
        elif field.mandatory:
            validation = DataValidation(type="textLength", operator="greaterThan", formula1="0", allow_blank=False,
                                        showInputMessage=True, promptTitle=field.heading[:32],
                                        prompt="Required for every entry")
        else:
            continue
        sheet.add_data_validation(validation)
        validation.add(cells)
    sheet.freeze_panes = "A3"
    about = workbook.create_sheet("Instructions")
    _mark(about, marking)
    lines = [
        f"Significant Practice Event chronology for review {review.reference}",
        "Fill in one row for each significant practice event, on the 'Chronology' sheet. Do not rename the "
        "headings. Agency is not a column: CaseReview records it from who uploads the file.",
        "",
        "The four principles: each entry should state",
        *[f"{label}: {text}" for _, label, text in SPE_PRINCIPLES],
        "",
        "The six significance questions (answer Y or N in their columns):",
        *[question for _, _, question in SIGNIFICANCE_QUESTIONS],
        "",
        "People involved: use these glossary labels, separated by commas:",
        *[f"{p.anonymised_label}: {p.get_relationship_display()}" for p in review.case.people.all()],
        "",
        "The columns:",
        *[f"{f.heading}{' (required)' if f.mandatory else ''}: {guidance.get(f.name, '')}" for f in FIELDS],
    ]
    about.column_dimensions["A"].width = 120
    for line in lines:
        about.append([neutralise(line)])
    about["A2"].font = Font(bold=True, size=14)
    # The import reads the first visible sheet, so the chronology stays first.
    workbook.move_sheet("Instructions", offset=-1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_word_template(review, guidance: dict[str, str]) -> bytes:
    """The same template as a Word table, for agencies that keep their chronology in Word: the headings are
    the import's, the heading row repeats on every page, and the instructions follow the table."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    from casereview.lib.office import DocumentSetup, new_word_document, set_column_widths

    board = review.board
    document = new_word_document(DocumentSetup(
        title=f"Chronology template for review {review.reference}", board_name=board.name,
        marking=board.protective_marking or DEFAULT_MARKING, landscape=True, font_size=8,
        subject="Significant Practice Event chronology"))
    document.add_heading(f"Significant Practice Event chronology for review {review.reference}", level=1)
    document.add_paragraph("Fill in one row for each significant practice event. Keep the headings as they are; "
                           "add rows as you need them. Agency is not a column: CaseReview records it from who "
                           "uploads the document.")
    table = document.add_table(rows=3, cols=len(FIELDS))
    table.style = "Table Grid"
    for index, field in enumerate(FIELDS):
        cell = table.rows[0].cells[index]
        cell.text = field.heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(7)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    wide = {"description": 4.0, "risk": 2.2, "response": 2.2, "partnership": 2.0, "learning": 2.0, "source": 1.8}
    widths = [wide.get(field.name, 1.0 if field.kind in ("yes_no", "time") else 1.3) for field in FIELDS]
    scale = 26.7 / sum(widths)
    set_column_widths(table, [round(width * scale, 2) for width in widths])
    document.add_heading("How to fill it in", level=2)
    for label, text in ((label, text) for _, label, text in SPE_PRINCIPLES):
        document.add_paragraph(f"{label}: {text}", style="List Bullet")
    document.add_paragraph("The six significance questions (answer Y or N in their columns):")
    for _, _, question in SIGNIFICANCE_QUESTIONS:
        document.add_paragraph(question, style="List Bullet")
    people = list(review.case.people.all())
    if people:
        document.add_paragraph("People involved: use these glossary labels, separated by commas:")
        for person in people:
            document.add_paragraph(f"{person.anonymised_label}: {person.get_relationship_display()}",
                                   style="List Bullet")
    document.add_heading("The columns", level=2)
    for field in FIELDS:
        document.add_paragraph(f"{field.heading}{' (required)' if field.mandatory else ''}: "
                               f"{guidance.get(field.name, '')}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
