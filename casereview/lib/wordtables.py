"""Reading the rows of a table in a Word (.docx) document, as a spreadsheet reader would.

Many agencies keep their chronology as a table in Word (the framework's own template is one). A .docx is a
zip of XML like an .xlsx, so it gets the same hostile-file limits (casereview.lib.uploads): the zip directory
is checked before anything is inflated, macros are refused, the bytes actually inflated are budgeted, and the
XML is parsed with defusedxml and no document type declaration allowed.

What counts as the chronology: the first table with at least two columns and two rows; later tables with the
same number of columns continue it (a document split into sections or pages), their first row dropped when it
repeats the headings. Heading rows marked to repeat on each page, or repeated by hand, are read once. Merged
heading cells (a "Significance" cell spanning six question columns above them) take the most specific text
of each column. Cells merged across columns keep the columns of the grid, so column N is the Nth column a
reader of the document sees.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .uploads import ReadBudget, UploadRejected, ZipLimits, open_office_zip

__all__ = ["WordTableRejected", "table_rows"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCUMENT = "word/document.xml"
# A chronology document is a few megabytes of XML at most; the budget stops one whose parts inflate further.
_MAX_INFLATED_BYTES = 64 * 1024 * 1024
_MAX_COLUMNS = 200


class WordTableRejected(UploadRejected):
    """The document cannot be read as a chronology table; str() is for the person who uploaded it."""


@dataclass
class _Row:
    cells: list[str]
    is_heading: bool


_ZIP_LIMITS = ZipLimits()


def table_rows(data: bytes, name: str, *, limits: ZipLimits = _ZIP_LIMITS,
               max_inflated_bytes: int = _MAX_INFLATED_BYTES) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cell texts) for the chronology table's rows, headings first.

    Row numbers count the rows of the table(s) as a reader of the document sees them, from 1. Raises
    UploadRejected (WordTableRejected when the document is safe but has no usable table)."""
    archive = open_office_zip(data, name, [_DOCUMENT], "a Word document (.docx)", limits)
    with archive:
        budget = ReadBudget(max_inflated_bytes, name)
        try:
            xml = budget.read(archive, _DOCUMENT)
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise UploadRejected(f"{name} is not a Word document (.docx): it is damaged") from error
    try:
        root = fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as error:
        raise UploadRejected(f"{name} contains XML with a document type declaration, which Word never writes: "
                             "it may be an 'XML bomb', so it has not been opened") from error
    except ParseError as error:
        raise UploadRejected(f"{name} is not a Word document (.docx): it is damaged") from error
    body = root.find(f"{_W}body")
    tables = [] if body is None else [_read_table(table) for table in _top_level_tables(body)]
    chosen = [rows for rows in tables if len(rows) >= 2 and max(len(r.cells) for r in rows) >= 2]
    if not chosen:
        raise WordTableRejected(f"{name} has no table with headings and entries: put the chronology in a table "
                                "with one heading row and one row per event")
    first = chosen[0]
    width = max(len(r.cells) for r in first)
    if width > _MAX_COLUMNS:
        raise WordTableRejected(f"{name} has a table {width} columns wide, more than a chronology needs")
    heading_rows = _leading_headings(first)
    headings = _merge_headings([r.cells for r in first[:heading_rows]], width)
    number = heading_rows
    yield number, headings
    key = _key(headings)
    for rows in chosen:
        if rows is not first and max(len(r.cells) for r in rows) != width:
            continue
        start = heading_rows if rows is first else 0
        for row in rows[start:]:
            number += 1
            if row.is_heading or _key(row.cells) == key:
                continue
            cells = row.cells + [""] * (width - len(row.cells))
            yield number, cells[:width]


def _top_level_tables(body) -> list:
    # Nested tables (a table inside a cell) are part of their cell's text, not rows of the chronology.
    nested = {id(table) for cell in body.iter(f"{_W}tc") for table in cell.iter(f"{_W}tbl")}
    return [table for table in body.iter(f"{_W}tbl") if id(table) not in nested]


def _read_table(table) -> list[_Row]:
    rows: list[_Row] = []
    for tr in _children(table, "tr"):
        properties = tr.find(f"{_W}trPr")
        heading = properties is not None and properties.find(f"{_W}tblHeader") is not None
        cells: list[str] = []
        for tc in _children(tr, "tc"):
            cell_properties = tc.find(f"{_W}tcPr")
            span = 1
            continued = False
            if cell_properties is not None:
                grid_span = cell_properties.find(f"{_W}gridSpan")
                if grid_span is not None:
                    try:
                        span = max(1, min(int(grid_span.get(f"{_W}val", "1")), _MAX_COLUMNS))
                    except ValueError:
                        span = 1
                merge = cell_properties.find(f"{_W}vMerge")
                # A vertically merged cell's continuation shows nothing of its own.
                continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (span - 1))
            if len(cells) > _MAX_COLUMNS:
                break
        if any(cell.strip() for cell in cells):
            rows.append(_Row(cells, heading))
    return rows


def _children(element, tag: str) -> list:
    """The element's children with the tag, looking inside content controls (a template's fill-in boxes)."""
    found = []
    for child in element:
        if child.tag == f"{_W}{tag}":
            found.append(child)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                found.extend(_children(content, tag))
    return found


def _cell_text(tc) -> str:
    paragraphs = []
    for paragraph in tc.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}tab",):
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


def _leading_headings(rows: list[_Row]) -> int:
    """How many rows at the top are headings: those marked to repeat on each page, else the first."""
    count = 0
    while count < len(rows) - 1 and rows[count].is_heading:
        count += 1
    return max(count, 1)


def _merge_headings(rows: list[list[str]], width: int) -> list[str]:
    """One heading per column from stacked heading rows: the lowest non-empty text in each column."""
    merged = [""] * width
    for row in rows:
        for index, text in enumerate(row[:width]):
            if text.strip():
                merged[index] = text
    return merged


def _key(cells: list[str]) -> tuple[str, ...]:
    return tuple(" ".join(cell.split()).casefold() for cell in cells)
