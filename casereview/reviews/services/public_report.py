"""The files the public page offers: an accessible PDF made from the checked version, and (only if the board
chooses) the original Word document with its properties cleared.

Whatever the lead reviewer wrote or uploaded (Word, PDF, text written in the service), the public PDF is made
from the version's checked text, tagged (PDF/UA), with the review's title, the board's name and the language
in its properties and nothing else. The publication check then runs again on the text read back out of those
exact bytes, so nothing is published that was not checked.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from django.utils.text import slugify

from casereview.lib.documents import (
    DocumentError,
    clean_word_properties,
    extract_publishable_text,
    extract_text,
)
from casereview.lib.formats import long_date
from casereview.lib.identifiers import Hit
from casereview.lib.pdf import PdfProperties, render_pdf

from .. import selectors
from ..models import ReportVersion, Review, VersionCheck

_STYLE = """
@page { size: A4; margin: 22mm 20mm; @bottom-center { content: counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #0b0c0c; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 8mm 0 2mm; }
p.meta { color: #484949; margin: 0 0 8mm; }
p { margin: 0 0 3mm; white-space: pre-wrap; }
"""


@dataclass(frozen=True)
class PublicFiles:
    file_stem: str
    pdf: bytes
    pdf_text: str
    original: bytes | None
    original_text: str | None


def file_stem(review: Review) -> str:
    """The download name: the review's title, e.g. "child-k-serious-case-review"."""
    return slugify(review.title)[:100].strip("-") or slugify(review.reference) or f"review-{review.pk}"


def _paragraphs(text: str) -> str:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "\n".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def publishable_text(version: ReportVersion) -> str:
    """What the public PDF shows: the report as its reader sees it, never the file's properties, comments or
    tracked deletions (those were checked, but they are not part of the report)."""
    if version.kind in ("docx", "pdf") and version.file:
        with version.file.open("rb") as stored:
            return extract_publishable_text(stored.read(), version.kind)
    return version.text


def public_report_html(review: Review, version: ReportVersion, published_on) -> str:
    statement = ""
    # An SCR must have its statement (publication refuses otherwise); any other review publishes one if written.
    # Either way it goes into the PDF, so the public page's statement is checked with the report.
    if review.is_scr or any(part.strip() for part in (review.statement_actions_taken, review.statement_impact,
                                                      review.statement_what_more)):
        statement = (
            "<h2>What the board has done since the review</h2>"
            "<h3>Actions taken</h3>" + _paragraphs(review.statement_actions_taken)
            + "<h3>Their impact</h3>" + _paragraphs(review.statement_impact)
            + "<h3>What more will be done</h3>" + _paragraphs(review.statement_what_more)
        )
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{html.escape(review.title)}</title></head><body>"
        f"<h1>{html.escape(review.title)}</h1>"
        f"<p class='meta'>{html.escape(review.board.name)}. Published "
        f"{long_date(published_on)}.</p>"
        f"{_paragraphs(publishable_text(version))}{statement}</body></html>"
    )


def build_public_files(review: Review, version: ReportVersion, *, published_on, offer_original: bool) -> PublicFiles:
    pdf = render_pdf(
        public_report_html(review, version, published_on),
        PdfProperties(title=review.title, author=review.board.name, variant="pdf/ua-1"),
        stylesheets=[_STYLE],
    )
    original = original_text = None
    if offer_original and version.kind == "docx" and version.file:
        with version.file.open("rb") as stored:
            original = clean_word_properties(stored.read(), title=review.title, author=review.board.name)
        original_text = extract_text(original, "docx")
    try:
        pdf_text = extract_text(pdf, "pdf")
    except DocumentError:
        pdf_text = ""
    return PublicFiles(file_stem(review), pdf, pdf_text, original, original_text)


def check_public_files(review: Review, version: ReportVersion, files: PublicFiles) -> list[Hit]:
    """Hits not yet accepted in the exact text of the files to be published (stored, so the publication page
    can show them without making the PDF again)."""
    known = selectors.case_known_identifiers(review.case)
    hits = selectors.stored_hits(version, files.pdf_text, known, VersionCheck.Subject.PUBLIC_PDF)
    if files.original_text is not None:
        hits = hits + selectors.stored_hits(version, files.original_text, known, VersionCheck.Subject.ORIGINAL)
    return selectors.check_result(review, hits).open_hits


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
