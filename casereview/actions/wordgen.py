"""Word documents from docxtpl templates that are generated, not shipped.

Each template is described by a small spec (headings, paragraphs, tables with a loop per row, images) and
built with python-docx the first time it is needed, into var/doc-templates/. Nothing binary lives in the
repository, and a template changes by editing its spec (bump TEMPLATE_VERSION). Rendering always uses
autoescape=True, so text typed by users can never inject Word XML.
"""

import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

TEMPLATE_VERSION = 1


def _add_block(doc, block) -> None:
    kind = block[0]
    if kind == "title":
        doc.add_heading(block[1], level=0)
    elif kind == "heading":
        doc.add_heading(block[1], level=block[2] if len(block) > 2 else 1)
    elif kind == "para":
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(block[1])
        if len(block) > 2 and block[2] == "bold":
            run.bold = True
    elif kind == "image":
        doc.add_paragraph(f"{{{{ {block[1]} }}}}")
    elif kind == "table":
        _, loop, headers, cells = block
        table = doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(header).bold = True
        table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        for cell, expr in zip(table.rows[2].cells, cells, strict=True):
            cell.text = expr
        table.rows[3].cells[0].text = "{%tr endfor %}"
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
    elif kind == "loop":
        _, loop, inner = block
        doc.add_paragraph(f"{{%p for {loop} %}}")
        for item in inner:
            _add_block(doc, item)
        doc.add_paragraph("{%p endfor %}")
    elif kind == "if":
        _, condition, inner = block
        doc.add_paragraph(f"{{%p if {condition} %}}")
        for item in inner:
            _add_block(doc, item)
        doc.add_paragraph("{%p endif %}")
    elif kind == "pagebreak":
        doc.add_page_break()
    else:
        raise ValueError(f"Unknown block {kind!r}")


def build_template(spec: list, *, landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(18))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    for block in spec:
        _add_block(doc, block)
    return doc


def template_path(name: str, spec: list, *, landscape: bool = False) -> Path:
    """The generated template, built once per version (written atomically, so two workers never clash)."""
    folder = Path(settings.VAR_DIR) / "doc-templates"
    path = folder / f"{name}-v{TEMPLATE_VERSION}.docx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".docx")
        os.close(handle)
        build_template(spec, landscape=landscape).save(temporary)
        os.replace(temporary, path)
    return path


def render(name: str, spec: list, context: dict, *, images: dict[str, bytes] | None = None,
           image_width_mm: int = 160, landscape: bool = False) -> bytes:
    template = DocxTemplate(str(template_path(name, spec, landscape=landscape)))
    context = dict(context)
    for key, png in (images or {}).items():
        context[key] = InlineImage(template, io.BytesIO(png), width=Mm(image_width_mm))
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def pdf_from_html(html: str) -> bytes:
    """WeasyPrint with every outside fetch refused: a report is self-contained (inline SVG and CSS)."""
    from weasyprint import HTML

    def refuse(url, *args, **kwargs):
        raise ValueError(f"Reports do not load outside resources ({url[:40]})")

    return HTML(string=html, url_fetcher=refuse, base_url="about:blank").write_pdf()
