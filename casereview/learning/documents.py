"""Word and PDF documents for learning summaries, briefings and the annual report.

Both formats are made from one plain structure (``Doc``), so what a Word reader and a PDF reader see is the
same. The Word template is generated here with python-docx (there is no binary template to keep in step) and
filled by docxtpl with autoescaping on, so text typed into CaseReview can never become Word markup. PDFs are
rendered from a Django template by WeasyPrint; charts are server-rendered SVG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate


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
    subtitle: str = ""
    marking: str = "OFFICIAL-SENSITIVE"
    sections: list[Section] = field(default_factory=list)
    compact: bool = False

    def add(self, heading: str, text: str = "", **kwargs) -> Section:
        section = Section(heading, paragraphs=[p.strip() for p in (text or "").splitlines() if p.strip()], **kwargs)
        self.sections.append(section)
        return section


MAX_COLUMNS = 6


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph("{{ marking }}")
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("{{ subtitle }}")
    document.add_paragraph("{%p for s in sections %}")
    document.add_heading("{{ s.heading }}", level=2)
    document.add_paragraph("{%p for p in s.paragraphs %}")
    document.add_paragraph("{{ p }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for b in s.bullets %}")
    document.add_paragraph("{{ b }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if s.rows %}")
    table = document.add_table(rows=4, cols=MAX_COLUMNS)
    table.style = "Table Grid"
    for col in range(MAX_COLUMNS):
        table.cell(0, col).text = f"{{{{ s.headers[{col}] if s.headers|length > {col} else '' }}}}"
        table.cell(2, col).text = f"{{{{ row[{col}] if row|length > {col} else '' }}}}"
    table.cell(1, 0).text = "{%tr for row in s.rows %}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ footer }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_word(doc: Doc) -> bytes:
    template = DocxTemplate(io.BytesIO(_template_bytes()))
    context = {
        "marking": doc.marking, "title": doc.title, "subtitle": doc.subtitle,
        "sections": [{"heading": s.heading, "paragraphs": s.paragraphs, "bullets": s.bullets,
                      "headers": s.headers[:MAX_COLUMNS], "rows": [r[:MAX_COLUMNS] for r in s.rows]}
                     for s in doc.sections],
        "footer": f"Produced by CaseReview on {timezone.localdate():%-d %B %Y}.",
    }
    template.render(context, autoescape=True)
    rendered = io.BytesIO()
    template.save(rendered)
    # The template has room for MAX_COLUMNS; drop the columns a table did not use.
    document = Document(io.BytesIO(rendered.getvalue()))
    for table in document.tables:
        for col in reversed(range(len(table.columns))):
            if all(not row.cells[col].text.strip() for row in table.rows):
                grid = table._tbl.tblGrid
                grid.remove(grid.gridCol_lst[col])
                for row in table.rows:
                    row._tr.remove(row._tr.tc_lst[col])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(doc: Doc) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_to_string("learning/pdf/document.html", {
        "doc": doc, "today": timezone.localdate()})
    return HTML(string=html).write_pdf()
