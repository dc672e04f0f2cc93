"""Word documents from docxtpl templates that are generated, not shipped.

Each template is described by a small spec (headings, paragraphs, tables with a loop per row, images) and
built the first time it is needed, into var/doc-templates/, on the service's one document shape
(`casereview.lib.office.new_word_document`: A4, one font, no blue headings, the board's protective marking in
header and footer, properties naming the board). A template is built per board shape (its name and marking),
so the marking is part of the page, not of the text. Nothing binary lives in the repository, and a template
changes by editing its spec (bump TEMPLATE_VERSION). Rendering always uses autoescape=True, so text typed by
users can never inject Word XML.
"""

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from casereview.lib.office import DocumentSetup, new_word_document

TEMPLATE_VERSION = 2


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


def build_template(spec: list, setup: DocumentSetup):
    doc = new_word_document(setup)
    for block in spec:
        _add_block(doc, block)
    return doc


def template_path(name: str, spec: list, setup: DocumentSetup) -> Path:
    """The generated template, built once per version and document shape (written atomically, so two workers
    never clash)."""
    folder = Path(settings.VAR_DIR) / "doc-templates"
    shape = hashlib.sha256(repr(setup).encode("utf-8")).hexdigest()[:16]
    path = folder / f"{name}-v{TEMPLATE_VERSION}-{shape}.docx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".docx")
        os.close(handle)
        build_template(spec, setup).save(temporary)
        os.replace(temporary, path)
    return path


def render(name: str, spec: list, context: dict, *, setup: DocumentSetup, images: dict[str, bytes] | None = None,
           image_width_mm: int = 160) -> bytes:
    template = DocxTemplate(str(template_path(name, spec, setup)))
    context = dict(context)
    for key, png in (images or {}).items():
        context[key] = InlineImage(template, io.BytesIO(png), width=Mm(image_width_mm))
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
