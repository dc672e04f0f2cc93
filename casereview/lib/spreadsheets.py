"""Reading chronology spreadsheets (.xlsx and CSV) safely and cheaply.

Agencies send chronologies in whatever layout their systems export, so this
module (1) refuses anything that is not really a workbook or CSV, or that
would blow up when unpacked, before any parser sees it; (2) streams rows, so
only the current row exists as Python objects (calamine keeps one sheet's
cells in compact native memory, bounded by ZipLimits); and (3) suggests which
column holds which chronology field, for the user to confirm.

Every refusal is a SpreadsheetError whose str() is written for the person who
uploaded the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import IO, Literal

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from .uploads import OLE_MAGIC, UploadRejected, ZipLimits, check_zip_directory

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CellError",
    "CellValue",
    "CheckedFile",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "FileRejected",
    "Source",
    "SpreadsheetError",
    "ZipLimits",
    "cell_text",
    "column_letter",
    "parse_yes_no",
    "read_rows",
    "sniff_and_check",
]

Source = str | os.PathLike[str] | bytes
CellValue = str | float | int | bool | date | datetime | time | timedelta | None

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000

_CHUNK_BYTES = 64 * 1024
_DELIMITER_SAMPLE_CHARS = 64 * 1024


class SpreadsheetError(ValueError):
    """Base for every refusal in this module; str() is for the user."""


class FileRejected(SpreadsheetError):
    """The file as a whole cannot be imported; nothing from it should be stored."""


class CellError(SpreadsheetError):
    """One cell's value cannot be read; the caller adds the row and column."""


@dataclass(frozen=True)
class SheetLimits:
    """How far a sheet's real cells may spread before it is read.

    A reader holds a sheet as a rectangle from its first to its last cell, so
    one stray cell at XFD1048576 would ask for hundreds of gigabytes.  The
    cells' positions are read from the file (not its declared dimension,
    which can lie) and the rectangle is capped before any reader allocates it.
    """

    max_columns: int = 200
    max_cells: int = 6_000_000


_ZIP_LIMITS = ZipLimits()
_SHEET_LIMITS = SheetLimits()
# A reader of an older .xls workbook is tried in a separate process with this much memory: the format holds
# no cell positions that can be read cheaply beforehand, so the worst it can ask for is capped instead.
XLS_PROBE_MEMORY_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """What sniff_and_check found the file really is."""

    kind: Literal["xlsx", "xls", "ods", "csv", "docx"]
    # The codec that decodes every byte of a CSV: "utf-8-sig" (which also
    # reads UTF-8 without a byte-order mark) or "cp1252"; None for xlsx.
    encoding: str | None


# ---------------------------------------------------------------------------
# Checking a file before parsing it
# ---------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an older Excel (.xls) workbook, a Word document, or a password-protected "
        "workbook (remove the password and save it as .xlsx)",
    ),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"{\\rtf", "a Rich Text document"),
    (_ZIP_MAGIC, "a zip file of another kind, such as a Word document"),
)
_REQUIRED_XLSX_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
_REQUIRED_ODS_PARTS = frozenset({"mimetype", "content.xml"})
ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv", ".docx")
_SAVE_AS = ("save it as an Excel workbook (.xlsx, or the older .xls), an OpenDocument spreadsheet (.ods), "
            "CSV (.csv) or a Word document with the chronology in a table (.docx)")


def sniff_and_check(
    source: Source,
    filename: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    zip_limits: ZipLimits = _ZIP_LIMITS,
    sheet_limits: SheetLimits = _SHEET_LIMITS,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> CheckedFile:
    """Decide from its content what the file is, refusing anything unsafe.

    `filename` is the name the user gave the file: its extension says what
    they think it is, and the messages name it.  Raises FileRejected for a
    wrong extension, an empty or oversized file, content that does not match
    the extension, a zip bomb or an XML bomb.
    """
    extension = PurePath(filename).suffix.casefold()
    if extension not in ACCEPTED_EXTENSIONS:
        raise FileRejected(f"{filename} is not a file CaseReview can import: {_SAVE_AS}")
    size = len(source) if isinstance(source, bytes) else os.stat(source).st_size
    if size == 0:
        raise FileRejected(f"{filename} is empty")
    if size > max_bytes:
        raise FileRejected(
            f"{filename} is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit: "
            "split it into smaller files"
        )
    with _open_binary(source) as stream:
        head = stream.read(16)
        stream.seek(0)
        if extension == ".xlsx":
            _check_xlsx(stream, head, filename, zip_limits, sheet_limits, max_rows)
            return CheckedFile("xlsx", None)
        if extension == ".ods":
            _check_ods(stream, head, filename, zip_limits, sheet_limits, max_rows)
            return CheckedFile("ods", None)
        if extension == ".xls":
            if not head.startswith(OLE_MAGIC):
                raise FileRejected(f"{filename} ends in .xls but is not an older Excel workbook: it looks like "
                                   f"{_looks_like(head)}")
            return CheckedFile("xls", None)
        if extension == ".docx":
            # Checked in full (zip limits, macros, XML) as it is read: see casereview.lib.wordtables.
            if not head.startswith(_ZIP_MAGIC):
                raise FileRejected(f"{filename} ends in .docx but is not a Word document: it looks like "
                                   f"{_looks_like(head)}")
            return CheckedFile("docx", None)
        return CheckedFile("csv", _check_csv(stream, head, filename))


@contextmanager
def _open_binary(source: Source) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    else:
        with open(source, "rb") as stream:
            yield stream


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _looks_like(head: bytes) -> str:
    for signature, description in _SIGNATURES:
        if head.startswith(signature):
            return description
    if b"\x00" not in head:
        return "text (if it is CSV, name it .csv)"
    return "a format CaseReview does not recognise"


def _open_zip(stream: IO[bytes], head: bytes, filename: str, kind: str, required: frozenset[str],
              limits: ZipLimits) -> zipfile.ZipFile:
    not_one = f"{filename} ends in {PurePath(filename).suffix.casefold()} but is not {kind}"
    if not head.startswith(_ZIP_MAGIC):
        raise FileRejected(f"{not_one}: it looks like {_looks_like(head)}")
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, EOFError) as error:
        raise FileRejected(f"{not_one}: it is damaged ({error})") from error
    try:
        entries = archive.infolist()
        if not required <= {entry.filename for entry in entries}:
            raise FileRejected(f"{not_one}: it looks like {_looks_like(_ZIP_MAGIC)}")
        try:
            check_zip_directory(entries, filename, limits)
        except UploadRejected as error:
            raise FileRejected(str(error)) from error
        if any(entry.filename.casefold().endswith("vbaproject.bin") for entry in entries):
            raise FileRejected(f"{filename} contains macros: save it without macros (as a plain workbook) and "
                               "upload it again")
        for entry in entries:
            _check_no_dtd(archive, entry, filename)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_xlsx(stream: IO[bytes], head: bytes, filename: str, limits: ZipLimits, sheet_limits: SheetLimits,
                max_rows: int) -> None:
    with _open_zip(stream, head, filename, "an Excel workbook", _REQUIRED_XLSX_PARTS, limits) as archive:
        for entry in archive.infolist():
            if _WORKSHEET_PART.fullmatch(entry.filename):
                _check_sheet_extent(archive, entry, filename, sheet_limits, max_rows)


def _check_ods(stream: IO[bytes], head: bytes, filename: str, limits: ZipLimits, sheet_limits: SheetLimits,
               max_rows: int) -> None:
    with _open_zip(stream, head, filename, "an OpenDocument spreadsheet", _REQUIRED_ODS_PARTS,
                   limits) as archive:
        if not archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise FileRejected(f"{filename} ends in .ods but is not an OpenDocument spreadsheet: it is another "
                               "kind of OpenDocument file")
        _check_ods_extent(archive, filename, sheet_limits, max_rows)


# --- How far a sheet's cells spread, before any reader allocates the sheet ---------------------------------

_WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
# Only references of two or more column letters (column AA onwards) or five or more row digits (row 10000
# onwards) can make a sheet large, and genuine chronologies rarely have either, so these rare patterns are
# all the fast path looks for.  Self-closing cells (formatting only, no value) are not read as cells.
# A cheap first look (a literal-prefixed search): most sheets have neither, and then the cells are not parsed.
_ANY_WIDE = re.compile(rb'r="[A-Z]{2,3}[0-9]')
_ANY_TALL = re.compile(rb'r="[A-Z]{1,3}[0-9]{5}')
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{2,3})[0-9]+"[^>]*?(/?)>')
_TALL_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]{1,3}([0-9]{5,})"[^>]*?(/?)>')
# The exact path, for sheets with cells that give no reference (placed after the previous one).
_ROW_OR_CELL = re.compile(rb'<(?:\w+:)?(row|c)(\s[^>]*?)?(/?)>')
_REF_ATTRIBUTE = re.compile(rb'\br="([A-Z]*)([0-9]+)"')
_SCAN_CHUNK = 1024 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_sheet_extent(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, filename: str, limits: SheetLimits,
                        max_rows: int) -> None:
    # Without a wide or tall reference every cell is within Z9999: that bounds the rectangle.
    last_column, last_row = 26, 0
    row = column = 0
    carry = b""
    with archive.open(entry) as part:
        while True:
            chunk = part.read(_SCAN_CHUNK)
            buffer = carry + chunk
            end = buffer.rfind(b">") + 1 if chunk else len(buffer)
            carry, buffer = buffer[end:], buffer[:end]
            unreferenced = (buffer.count(b"<c ") + buffer.count(b"<c>") != buffer.count(b'<c r="')
                            or b":c " in buffer or b":c>" in buffer)
            if unreferenced:
                for tag, attributes, closed in _ROW_OR_CELL.findall(buffer):
                    reference = _REF_ATTRIBUTE.search(attributes or b"")
                    if tag == b"row":
                        row = int(reference.group(2)) if reference else row + 1
                        column = 0
                        continue
                    if reference and reference.group(1):
                        column = _column_number(reference.group(1))
                        row = int(reference.group(2))
                    else:
                        column += 1
                    if not closed:
                        last_column, last_row = max(last_column, column), max(last_row, row)
            else:
                if _ANY_WIDE.search(buffer):
                    for letters, closed in _WIDE_CELL.findall(buffer):
                        if not closed:
                            last_column = max(last_column, _column_number(letters))
                if _ANY_TALL.search(buffer):
                    for digits, closed in _TALL_CELL.findall(buffer):
                        if not closed:
                            last_row = max(last_row, int(digits))
            if not chunk:
                break
    _check_extent(last_column, last_row, filename, limits, max_rows, row_bound=max(last_row, 9_999))


def _check_extent(columns: int, rows: int, filename: str, limits: SheetLimits, max_rows: int, *,
                  row_bound: int | None = None) -> None:
    fix = ("delete the cells outside the chronology (or copy the table into a new workbook) and upload it "
           "again")
    if columns > limits.max_columns:
        raise FileRejected(f"{filename} has a cell in column {column_letter(columns - 1)}, far to the right of "
                           f"any chronology (at most {limits.max_columns} columns): {fix}")
    # Heading rows, notes and blank rows sit above and between entries; allow for them generously.
    if rows > max_rows + max(1_000, max_rows // 10):
        raise FileRejected(f"{filename} has a cell in row {rows:,}, more rows than one import can take "
                           f"({max_rows:,} entries): {fix}, or split it into smaller files")
    if (row_bound or rows) * columns > limits.max_cells:
        raise FileRejected(f"{filename} spreads over {row_bound or rows:,} rows and {columns} columns, more than one import "
                           f"can take: {fix}, or split it into smaller files")


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _check_ods_extent(archive: zipfile.ZipFile, filename: str, limits: SheetLimits, max_rows: int) -> None:
    """The widest and longest table in content.xml, counting repeated rows and cells that hold something."""
    row_tag, cell_tag, covered_tag = (f"{{{_ODS_TABLE}}}table-row", f"{{{_ODS_TABLE}}}table-cell",
                                      f"{{{_ODS_TABLE}}}covered-table-cell")
    table_tag = f"{{{_ODS_TABLE}}}table"
    rows_repeated, columns_repeated = (f"{{{_ODS_TABLE}}}number-rows-repeated",
                                       f"{{{_ODS_TABLE}}}number-columns-repeated")
    value_type = f"{{{_ODS_OFFICE}}}value-type"
    widest = longest = 0
    row = column = row_last_column = 0
    try:
        with archive.open("content.xml") as part:
            for event, element in iterparse(part, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag == table_tag:
                        row = 0
                    elif tag == row_tag:
                        column = row_last_column = 0
                    continue
                if tag in (cell_tag, covered_tag):
                    repeat = _repeat(element.get(columns_repeated))
                    column += repeat
                    if element.get(value_type) or len(element):
                        row_last_column = column
                    element.clear()
                elif tag == row_tag:
                    repeat = _repeat(element.get(rows_repeated))
                    row += repeat
                    if row_last_column:
                        widest = max(widest, row_last_column)
                        longest = max(longest, row)
                    element.clear()
                    if widest > limits.max_columns or longest > max_rows * 2 + 1_000:
                        break
    except DefusedXmlException as error:
        raise FileRejected(f"{filename} contains XML with a document type declaration, which spreadsheet "
                           "programs never write: it may be an 'XML bomb', so it has not been opened") from error
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise FileRejected(f"{filename} is not an OpenDocument spreadsheet: it is damaged ({error})") from error
    _check_extent(widest, longest, filename, limits, max_rows)


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def _check_no_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, filename: str) -> None:
    """Refuse any XML part with a document type declaration.

    Entity declarations, which XML bombs need, are only allowed in a DTD, and
    XML only allows a DTD before the root element; so parsing up to the first
    start tag finds them all without reading whole sheets twice.  Excel never
    writes a DTD, so refusing every one costs genuine users nothing.
    """
    try:
        with archive.open(entry) as part:
            for _event in iterparse(part, events=("start",), forbid_dtd=True):
                break
    except DefusedXmlException as error:
        raise FileRejected(
            f"{filename} contains XML with a document type declaration ({entry.filename}), "
            "which Excel never writes: it may be an 'XML bomb', so it has not been opened"
        ) from error
    except ParseError:
        # Not XML (an image, a printer setting): calamine never parses it as XML.
        return
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise FileRejected(
            f"{filename} ends in .xlsx but is not an Excel workbook: it is damaged ({error})"
        ) from error


def _check_csv(stream: IO[bytes], head: bytes, filename: str) -> str:
    if head.startswith(_ZIP_MAGIC):
        raise FileRejected(
            f"{filename} ends in .csv but is an Excel workbook or another zip file: "
            "if it is a workbook, rename it to end in .xlsx"
        )
    if head.startswith(_UTF16_BOMS):
        # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-delimited.
        decoder = codecs.getincrementaldecoder("utf-16")()
        try:
            while chunk := stream.read(_CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", True)
        except UnicodeDecodeError as error:
            raise FileRejected(f"{filename} is damaged Unicode (UTF-16) text: in Excel, save it as "
                               "'CSV UTF-8 (Comma delimited)' and upload it again") from error
        return "utf-16"
    for signature, description in _SIGNATURES:
        if head.startswith(signature):
            raise FileRejected(f"{filename} ends in .csv but is not a CSV file: it looks like {description}")
    # Decode everything now, so that a bad byte in row 90,000 is refused
    # before any row is imported, and so read_rows knows the codec up front.
    utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()
    cp1252: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("cp1252")()
    while chunk := stream.read(_CHUNK_BYTES):
        if b"\x00" in chunk:
            raise FileRejected(f"{filename} ends in .csv but contains binary data, so it is not a CSV file")
        utf8 = _still_decodes(utf8, chunk)
        cp1252 = _still_decodes(cp1252, chunk)
    if _still_decodes(utf8, b"", final=True) is not None:
        return "utf-8-sig"
    if cp1252 is not None:
        return "cp1252"
    raise FileRejected(
        f"{filename} is not in a text encoding CaseReview can read: in Excel, save it as "
        "'CSV UTF-8 (Comma delimited)'"
    )


def _still_decodes(
    decoder: codecs.IncrementalDecoder | None, chunk: bytes, *, final: bool = False
) -> codecs.IncrementalDecoder | None:
    if decoder is None:
        return None
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return None
    return decoder


# ---------------------------------------------------------------------------
# Streaming rows
# ---------------------------------------------------------------------------


def read_rows(
    source: Source,
    max_rows: int = DEFAULT_MAX_ROWS,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    zip_limits: ZipLimits = _ZIP_LIMITS,
    sheet_limits: SheetLimits = _SHEET_LIMITS,
) -> Iterator[tuple[int, list[CellValue]]]:
    """Yield (row number, cell values) for each non-blank row, headings first.

    Runs sniff_and_check first, so nothing unsafe is parsed.  Row numbers are
    the ones the user sees in Excel, and column i is Excel column
    column_letter(i), so error messages can point at the cell.  Data rows are
    padded with "" to the heading row's width.  Raises FileRejected once there
    are more than `max_rows` data rows: the caller must store nothing until
    the generator is exhausted.

    `filename` is the user's name for the file (required for bytes); `sheet`
    names the worksheet to read, by default the first visible one.
    """
    if filename is None:
        if isinstance(source, bytes):
            raise TypeError("read_rows needs a filename when reading bytes")
        filename = PurePath(os.fspath(source)).name
    checked = sniff_and_check(source, filename, max_bytes, zip_limits=zip_limits, sheet_limits=sheet_limits,
                              max_rows=max_rows)
    rows: Iterable[tuple[int, list[CellValue]]]
    if checked.kind == "csv":
        rows = _csv_rows(source, checked.encoding or "utf-8-sig", filename)
    elif checked.kind == "docx":
        rows = _docx_rows(source, filename, zip_limits)
    else:
        if checked.kind == "xls":
            _probe_xls(source, filename, sheet, sheet_limits, max_rows)
        rows = _xlsx_rows(source, sheet, filename)
    yield from _non_blank_rows(rows, max_rows, filename)


def _docx_rows(source: Source, filename: str, limits: ZipLimits) -> Iterator[tuple[int, list[CellValue]]]:
    from .wordtables import table_rows

    data = source if isinstance(source, bytes) else open(source, "rb").read()  # noqa: SIM115 - size checked
    try:
        for number, cells in table_rows(data, filename, limits=limits):
            row: list[CellValue] = list(cells)
            yield number, row
    except UploadRejected as error:
        raise FileRejected(str(error)) from error


def _probe_xls(source: Source, filename: str, sheet: str | None, limits: SheetLimits, max_rows: int) -> None:
    """Open the workbook in a child process with capped memory; refuse it if that fails or it is too big."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_xls_extent, args=(source, sheet, XLS_PROBE_MEMORY_BYTES, sender),
                            daemon=True)
    child.start()
    sender.close()
    try:
        result = receiver.recv() if receiver.poll(120) else None
    except EOFError:
        result = None
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if result is None:
        raise FileRejected(f"{filename} could not be opened within the memory one import may use: delete the "
                           "cells outside the chronology (or copy the table into a new workbook) and upload it "
                           "again")
    if isinstance(result, str):
        raise FileRejected(f"{filename} could not be read as an Excel workbook: {result}")
    columns, rows = result
    _check_extent(columns, rows, filename, limits, max_rows)


def _xls_extent(source: Source, sheet: str | None, memory: int, sender) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        if isinstance(source, bytes):
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(source))
        with workbook:
            found = _pick_sheet(workbook, sheet, "the file")
            end = found.end or (0, 0)
            sender.send((end[1] + 1, end[0] + 1))
    except (FileRejected, python_calamine.CalamineError) as error:
        sender.send(str(error))
    finally:
        sender.close()


def _non_blank_rows(
    rows: Iterable[tuple[int, list[CellValue]]], max_rows: int, filename: str
) -> Iterator[tuple[int, list[CellValue]]]:
    heading_width: int | None = None
    data_rows = 0
    for number, values in rows:
        # Most rows start with a filled cell: only a row whose first cell is blank is looked at in full.
        first = values[0] if values else None
        if (first is None or (isinstance(first, str) and not first.strip())) and all(
                _is_blank(value) for value in values):
            continue
        if heading_width is None:
            heading_width = len(values)
        else:
            data_rows += 1
            if data_rows > max_rows:
                raise FileRejected(
                    f"{filename} has more than {max_rows:,} rows of entries, the most one "
                    "import can take: split it into smaller files"
                )
            if len(values) < heading_width:
                values.extend([""] * (heading_width - len(values)))
        yield number, values
    if heading_width is None:
        raise FileRejected(f"{filename} has no headings or entries in it")


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _xlsx_rows(
    source: Source, sheet_name: str | None, filename: str
) -> Iterator[tuple[int, list[CellValue]]]:
    try:
        if isinstance(source, bytes):
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(source))
        with workbook:
            sheet = _pick_sheet(workbook, sheet_name, filename)
            start = sheet.start
            # calamine's iterator panics on a sheet without cells, and pyo3's
            # PanicException slips past `except Exception` in callers.
            if start is None:
                raise FileRejected(f"The sheet '{sheet.name}' in {filename} is empty")
            # iter_rows pads the rows above the first used one but not the
            # columns left of it; padding both keeps indices equal to Excel's.
            left_padding: list[CellValue] = [""] * start[1]
            for index, row in enumerate(sheet.iter_rows(), start=1):
                yield index, left_padding + row if left_padding else row
    except python_calamine.CalamineError as error:
        raise FileRejected(f"{filename} could not be read as an Excel workbook: {error}") from error


def _pick_sheet(
    workbook: python_calamine.CalamineWorkbook, sheet_name: str | None, filename: str
) -> python_calamine.CalamineSheet:
    if sheet_name is not None:
        if sheet_name not in workbook.sheet_names:
            raise FileRejected(
                f"{filename} has no sheet called '{sheet_name}'; its sheets are "
                + ", ".join(f"'{name}'" for name in workbook.sheet_names)
            )
        return workbook.get_sheet_by_name(sheet_name)
    # A template keeps its drop-down lists on a hidden sheet; "the first sheet"
    # means the first tab the user can see.
    for metadata in workbook.sheets_metadata:
        if (
            metadata.typ == python_calamine.SheetTypeEnum.WorkSheet
            and metadata.visible == python_calamine.SheetVisibleEnum.Visible
        ):
            return workbook.get_sheet_by_name(metadata.name)
    raise FileRejected(f"{filename} has no visible worksheet")


def _csv_rows(source: Source, encoding: str, filename: str) -> Iterator[tuple[int, list[CellValue]]]:
    with _open_binary(source) as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        delimiter = _sniff_delimiter(text.read(_DELIMITER_SAMPLE_CHARS))
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        # Excel shows each CSV record as one row, even when a quoted cell
        # spans several lines, so rows are counted by record, not by line.
        number = 0
        try:
            for number, values in enumerate(reader, start=1):
                row: list[CellValue] = list(values)
                yield number, row
        except csv.Error as error:
            raise FileRejected(f"{filename} could not be read as CSV at row {number + 1}: {error}") from error


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the heading row into the most columns.

    Headings, unlike descriptions, almost never contain commas or semicolons,
    so the heading row is a reliable witness; csv.Sniffer is misled by
    punctuation in free text.
    """
    best, best_width = ",", 1
    for delimiter in (",", ";", "\t", "|"):
        try:
            heading = next(
                (
                    row
                    for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
                    if any(c.strip() for c in row)
                ),
                [],
            )
        except csv.Error:
            continue
        if len(heading) > best_width:
            best, best_width = delimiter, len(heading)
    return best


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------

_YES = frozenset({"y", "yes", "true", "1", "x", "✓", "✔"})
_NO = frozenset({"n", "no", "", "false", "0"})


def parse_yes_no(value: CellValue) -> bool:
    """Read a yes/no cell such as a significance question; blank means no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        answer = value.strip().casefold()
        if answer in _YES:
            return True
        if answer in _NO:
            return False
    raise CellError(f"'{cell_text(value)}' is not yes or no: use Y or N (a blank cell counts as no)")


def cell_text(value: CellValue) -> str:
    """A cell as the text a user would expect to see, e.g. 12 rather than 12.0."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def column_letter(index: int) -> str:
    """Excel's name for the zero-based column index, e.g. 27 -> "AB"."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
