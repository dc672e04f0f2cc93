"""Word and PDF documents for learning summaries, seven-minute briefings and the annual report.

Both formats are made from one plain structure (``Doc``), so what a Word reader and a PDF reader see is the
same. Word documents start from ``casereview.lib.office.new_word_document`` and PDFs are rendered by
``casereview.lib.pdf.render_pdf``: A4, one font, the board's protective marking on every page, and document
properties naming the board. Text typed into CaseReview is always inserted as text, never as markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from casereview.lib.dates import today
from casereview.lib.formats import long_date, short_date
from casereview.lib.office import DocumentSetup, marking_css, new_word_document
from casereview.lib.pdf import PdfProperties, render_pdf


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    svg: str = ""  # a chart for the PDF; Word shows the same figures in the table


@dataclass
class Doc:
    title: str
    board_name: str
    marking: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    compact: bool = False
    draft: bool = False

    def add(self, heading: str, text: str = "", **kwargs) -> Section:
        section = Section(heading, paragraphs=[p.strip() for p in (text or "").splitlines() if p.strip()], **kwargs)
        self.sections.append(section)
        return section


def _footer() -> str:
    return f"Produced with CaseReview on {long_date(today())}."


def to_word(doc: Doc) -> bytes:
    document = new_word_document(DocumentSetup(title=doc.title, board_name=doc.board_name, marking=doc.marking))
    document.add_heading(doc.title, level=1)
    if doc.subtitle:
        document.add_paragraph(doc.subtitle)
    if doc.draft:
        document.add_paragraph().add_run(DRAFT_NOTE).bold = True
    for section in doc.sections:
        document.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
        if section.rows:
            table = document.add_table(rows=1, cols=len(section.headers) or len(section.rows[0]))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, section.headers, strict=False):
                cell.text = header
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in section.rows:
                for cell, value in zip(table.add_row().cells, row, strict=False):
                    cell.text = str(value)
    document.add_paragraph(_footer())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_CSS = """
body { font-size: 11pt; line-height: 1.35; }
h1 { font-size: 22pt; margin: 0 0 4pt; }
.subtitle { color: #505a5f; margin-top: 0; }
.draft { font-weight: bold; }
h2 { font-size: 14pt; margin: 14pt 0 4pt; }
p { margin: 0 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 9.5pt; }
th, td { border: 1px solid #b1b4b6; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
ul { margin: 0 0 4pt 14pt; padding: 0; }
.chart { margin: 6pt 0; }
.footer { margin-top: 14pt; font-size: 8pt; color: #505a5f; }
@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, sans-serif; } }
"""
_COMPACT_CSS = """
@page { margin: 14mm 12mm; }
body { font-size: 9.5pt; }
h1 { font-size: 17pt; }
h2 { font-size: 11.5pt; margin: 8pt 0 3pt; }
"""


def to_pdf(doc: Doc) -> bytes:
    html = render_to_string("learning/pdf/document.html", {"doc": doc, "footer": _footer(), "draft_note": DRAFT_NOTE})
    sheets = [marking_css(doc.marking), _CSS] + ([_COMPACT_CSS] if doc.compact else [])
    return render_pdf(html, PdfProperties(title=doc.title, author=doc.board_name), stylesheets=sheets)


# --- What goes into a learning summary and its briefing ---------------------------------------------------

DRAFT_NOTE = "Draft: not yet approved."
_NUMBERING = re.compile(r"^\s*(?:\d+[.)]|[-\u2022*])\s*")


def bullet_lines(text: str, limit: int | None = None) -> list[str]:
    """Lines of a numbered or bulleted field as bullet text, without their own "1." or "•" (a list item is
    bulleted once)."""
    lines = [_NUMBERING.sub("", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    return lines[:limit] if limit else lines


def _board(summary):
    board = summary.board
    return {"board_name": board.name, "marking": board.protective_marking}


def summary_document(summary) -> Doc:
    dates = ", ".join(f"{label} {long_date(value)}" for label, value in (
        ("commissioned", summary.commissioned_on), ("completed", summary.completed_on),
        ("published", summary.published_on)) if value)
    doc = Doc(f"Learning summary: {summary.title}", **_board(summary), draft=not summary.is_approved,
              subtitle=summary.review_type + (f" \u00b7 {summary.methodology}" if summary.methodology else ""))
    doc.add("About the review", "\n".join(filter(None, [
        dates[:1].upper() + dates[1:], f"Lead reviewers: {summary.lead_reviewers}" if summary.lead_reviewers else ""])))
    doc.add("Case summary", summary.case_summary)
    doc.add("Why the case was reviewed", summary.why_reviewed)
    doc.add("Key findings", summary.key_findings)
    doc.add("Good practice", summary.good_practice or "None recorded.")
    doc.add("Learning themes", bullets=[str(t) for t in summary.themes.all()])
    doc.add("Recommendations", summary.recommendations or "None.")
    doc.add("Questions for reflection", bullets=bullet_lines(summary.reflection_questions))
    doc.add("Audiences", bullets=bullet_lines(summary.audiences))
    rows = [[d.get_channel_display(), d.audience, short_date(d.date)] for d in summary.disseminations.all()]
    doc.add("Dissemination", "" if rows else "Not yet shared.", headers=["Channel", "Audience", "Date"], rows=rows)
    if summary.evaluation:
        doc.add("Evaluation of use", summary.evaluation)
    return doc


def briefing_document(summary) -> Doc:
    """The seven-minute briefing: what happened, why it was reviewed, the key learning, questions to reflect on."""
    doc = Doc(f"Seven-minute briefing: {summary.title}", **_board(summary), subtitle=summary.review_type,
              compact=True, draft=not summary.is_approved)
    doc.add("What happened", summary.case_summary[:900])
    doc.add("Why it was reviewed", summary.why_reviewed[:500])
    doc.add("Key learning", bullets=bullet_lines(summary.key_findings, 6))
    if summary.good_practice:
        doc.add("Good practice", bullets=bullet_lines(summary.good_practice, 3))
    doc.add("Questions for reflection", bullets=bullet_lines(summary.reflection_questions, 6))
    doc.add("Learning themes", ", ".join(str(t) for t in summary.themes.all()))
    return doc
