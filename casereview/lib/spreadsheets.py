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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import IO, Literal

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from rapidfuzz import fuzz

__all__ = [
    "CellError",
    "CellValue",
    "CheckedFile",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "FIELDS",
    "FIELDS_BY_NAME",
    "FIELD_NAMES",
    "Field",
    "FileRejected",
    "MappingError",
    "Source",
    "SpreadsheetError",
    "ZipLimits",
    "cell_text",
    "column_letter",
    "missing_mandatory",
    "normalise_heading",
    "parse_mapping_override",
    "parse_yes_no",
    "read_rows",
    "sniff_and_check",
    "suggest_mapping",
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


class MappingError(SpreadsheetError):
    """A column-mapping override that cannot be applied."""


class CellError(SpreadsheetError):
    """One cell's value cannot be read; the caller adds the row and column."""


@dataclass(frozen=True)
class ZipLimits:
    """Bounds checked on an .xlsx's zip directory before anything is unpacked.

    Real chronology workbooks are a few dozen entries compressed 5-30 times;
    the limits sit far above that and far below what exhausts the server.
    """

    max_entries: int = 10_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    # Small parts of a genuine workbook (empty styles, shared strings of one
    # repeated word) legitimately compress by more than max_ratio.
    ratio_checked_above_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """What sniff_and_check found the file really is."""

    kind: Literal["xlsx", "csv"]
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
_ACCEPTED_EXTENSIONS = (".xlsx", ".csv")


def sniff_and_check(
    source: Source,
    filename: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    zip_limits: ZipLimits = ZipLimits(),
) -> CheckedFile:
    """Decide from its content what the file is, refusing anything unsafe.

    `filename` is the name the user gave the file: its extension says what
    they think it is, and the messages name it.  Raises FileRejected for a
    wrong extension, an empty or oversized file, content that does not match
    the extension, a zip bomb or an XML bomb.
    """
    extension = PurePath(filename).suffix.casefold()
    if extension not in _ACCEPTED_EXTENSIONS:
        raise FileRejected(
            f"{filename} is not a file CaseReview can import: save it as an Excel "
            "workbook (.xlsx) or as CSV (.csv)"
        )
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
            _check_xlsx(stream, head, filename, zip_limits)
            return CheckedFile("xlsx", None)
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


def _check_xlsx(stream: IO[bytes], head: bytes, filename: str, limits: ZipLimits) -> None:
    not_a_workbook = f"{filename} ends in .xlsx but is not an Excel workbook"
    if not head.startswith(_ZIP_MAGIC):
        raise FileRejected(f"{not_a_workbook}: it looks like {_looks_like(head)}")
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, EOFError) as error:
        raise FileRejected(f"{not_a_workbook}: it is damaged ({error})") from error
    with archive:
        entries = archive.infolist()
        if not _REQUIRED_XLSX_PARTS <= {entry.filename for entry in entries}:
            raise FileRejected(f"{not_a_workbook}: it looks like {_looks_like(_ZIP_MAGIC)}")
        _check_zip_directory(entries, filename, limits)
        for entry in entries:
            _check_no_dtd(archive, entry, filename)


def _check_zip_directory(entries: Sequence[zipfile.ZipInfo], filename: str, limits: ZipLimits) -> None:
    # The sizes in the zip directory can be trusted: both Python's zipfile and
    # calamine's zip reader stop with an error at an entry's declared size.
    bomb = "it may be a 'zip bomb', so it has not been opened"
    if len(entries) > limits.max_entries:
        raise FileRejected(
            f"{filename} holds {len(entries):,} parts, more than the {limits.max_entries:,} "
            f"a workbook needs: {bomb}"
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise FileRejected(
            f"{filename} unpacks to {_megabytes(total)}, over the "
            f"{_megabytes(limits.max_uncompressed_bytes)} limit: {bomb}"
        )
    for entry in entries:
        # Excel never zip-encrypts parts (its passwords make a different file
        # format), but opening such a part would crash rather than explain.
        if entry.flag_bits & 0x1:
            raise FileRejected(f"{filename} is encrypted: remove the password and upload it again")
        if entry.file_size > limits.ratio_checked_above_bytes and entry.file_size > limits.max_ratio * max(
            entry.compress_size, 1
        ):
            raise FileRejected(
                f"{filename} has a part ({entry.filename}) compressed more than "
                f"{limits.max_ratio:g} to 1: {bomb}"
            )


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
        raise FileRejected(
            f"{filename} is saved as Unicode (UTF-16) text: in Excel, save it as "
            "'CSV UTF-8 (Comma delimited)' instead"
        )
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
    zip_limits: ZipLimits = ZipLimits(),
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
    checked = sniff_and_check(source, filename, max_bytes, zip_limits=zip_limits)
    # Only a CSV has an encoding.
    if checked.encoding is None:
        rows = _xlsx_rows(source, sheet, filename)
    else:
        rows = _csv_rows(source, checked.encoding, filename)
    yield from _non_blank_rows(rows, max_rows, filename)


def _non_blank_rows(
    rows: Iterable[tuple[int, list[CellValue]]], max_rows: int, filename: str
) -> Iterator[tuple[int, list[CellValue]]]:
    heading_width: int | None = None
    data_rows = 0
    for number, values in rows:
        if all(_is_blank(value) for value in values):
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
    for delimiter in (",", ";", "\t"):
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


# ---------------------------------------------------------------------------
# Heading mapping
# ---------------------------------------------------------------------------

FieldKind = Literal["text", "date", "time", "yes_no"]


@dataclass(frozen=True)
class Field:
    """A chronology entry field that an import column can fill."""

    name: str
    heading: str
    kind: FieldKind = "text"
    mandatory: bool = False
    synonyms: tuple[str, ...] = ()


# Headings are the template's; synonyms are what agencies' own layouts and
# Chronolator documents use.  Agency is deliberately absent: the system sets it
# from who uploads, never from the file.
FIELDS: tuple[Field, ...] = (
    Field(
        "event_ref",
        "Event ref",
        synonyms=(
            "Ref",
            "Reference",
            "Event reference",
            "Event number",
            "Event no",
            "Entry ref",
            "Entry number",
            "Sequence",
            "ID",
        ),
    ),
    Field(
        "start_date",
        "Start date",
        kind="date",
        mandatory=True,
        synonyms=(
            "Date",
            "Date of event",
            "Event date",
            "Date of contact",
            "Contact date",
            "Incident date",
            "Date from",
            "From date",
            "Date started",
        ),
    ),
    Field(
        "start_time",
        "Start time",
        kind="time",
        synonyms=(
            "Time",
            "Time of event",
            "Event time",
            "Time of contact",
            "Time from",
        ),
    ),
    Field("end_date", "End date", kind="date", synonyms=("Date to", "To date", "Date ended", "Finish date")),
    Field("end_time", "End time", kind="time", synonyms=("Time to", "Finish time")),
    Field(
        "source",
        "Source of information",
        mandatory=True,
        synonyms=(
            "Source",
            "Information source",
            "Source of info",
            "Source document",
            "Record",
            "Record source",
            "Where recorded",
        ),
    ),
    Field(
        "practitioner_role",
        "Practitioner role",
        synonyms=(
            "Practitioner",
            "Role",
            "Professional",
            "Professional role",
            "Worker",
            "Staff member",
            "Job title",
            "Staff role",
        ),
    ),
    Field(
        "people_involved",
        "People involved",
        synonyms=(
            "Persons involved",
            "Who was involved",
            "Family members involved",
            "Involved",
            "Involvement",
            "Subjects",
        ),
    ),
    Field(
        "event_type",
        "Event type",
        synonyms=(
            "Type",
            "Type of event",
            "Type of contact",
            "Contact type",
            "Category",
        ),
    ),
    Field(
        "description",
        "Description",
        mandatory=True,
        synonyms=(
            "What happened",
            "Details",
            "Description of event",
            "Event description",
            "Event details",
            "Event",
            "Summary",
            "Narrative",
            "Details of event",
        ),
    ),
    Field("risk", "Risk presented", synonyms=("Risk", "Risks", "Risk identified", "Risks identified")),
    Field(
        "response",
        "Agency response",
        synonyms=(
            "Action taken",
            "Actions taken",
            "Response",
            "Action",
            "Actions",
            "Outcome",
            "Agency action",
            "Response to risk",
        ),
    ),
    Field(
        "partnership",
        "Partnership considerations",
        synonyms=(
            "Partnership",
            "Multi-agency considerations",
            "Multi-agency working",
            "Partnership working",
        ),
    ),
    Field("learning", "Learning", synonyms=("Learning identified", "Lessons learned", "Lessons learnt")),
    Field(
        "q_assessment",
        "Changed or could have changed the assessment",
        kind="yes_no",
        synonyms=(
            "Changed the assessment",
            "Could have changed the assessment",
            "Changed assessment",
        ),
    ),
    Field("q_pattern", "Part of a pattern", kind="yes_no", synonyms=("Pattern", "Part of pattern")),
    Field("q_statutory", "Statutory event", kind="yes_no", synonyms=("Statutory",)),
    Field(
        "q_child",
        "Significant to the child",
        kind="yes_no",
        synonyms=(
            "Significant to child",
            "Significant for the child",
            "Significant for child",
        ),
    ),
    Field(
        "q_adult",
        "Significant to a significant adult",
        kind="yes_no",
        synonyms=(
            "Significant to adult",
            "Significant to an adult",
            "Significant adult",
        ),
    ),
    Field(
        "q_learning_point",
        "Learning point for agencies",
        kind="yes_no",
        synonyms=(
            "Learning point",
            "Learning point for agency",
        ),
    ),
    Field(
        "good_practice",
        "Good practice",
        kind="yes_no",
        synonyms=(
            "Good practice flag",
            "Example of good practice",
        ),
    ),
    Field("key_practice_episode", "Key practice episode", kind="yes_no", synonyms=("KPE", "Key episode")),
)
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS_BY_NAME)

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")


def normalise_heading(text: str) -> str:
    """Reduce a heading to lower-case words, so "Date of Event*" matches "date of event".

    Bracketed hints such as "(dd/mm/yyyy)" or "(Y/N)" are dropped unless they
    are the whole heading.
    """
    text = text.casefold().replace("&", " and ")
    unbracketed = _BRACKETED.sub(" ", text)
    if _WORD.search(unbracketed):
        text = unbracketed
    return " ".join(_WORD.findall(text))


_EXACT: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (_field.name.replace("_", " "), _field.heading, *_field.synonyms):
        _EXACT.setdefault(normalise_heading(_alias), _field.name)

# Tuned on real near-misses: "Date of events" and "Practioner role" score
# 93-97, while "End date" against "Start date" or "Event type" against
# "Event time" score 56-80.  Short headings are left to exact matching because
# one letter changes their meaning ("Risk" and "Role").
_FUZZY_THRESHOLD = 88.0
_FUZZY_MARGIN = 5.0
_FUZZY_MIN_LENGTH = 6


def suggest_mapping(headings: Sequence[CellValue]) -> dict[int, str | None]:
    """Guess which field each column holds, None where unsure, for the user to confirm.

    Exact matches (after normalise_heading) are placed first, then a
    conservative fuzzy match fills the remaining columns.  Each field goes to
    at most one column, the leftmost when several match equally.
    """
    keys = [normalise_heading(cell_text(heading)) for heading in headings]
    mapping: dict[int, str | None] = {index: None for index in range(len(keys))}
    taken: set[str] = set()
    for index, key in enumerate(keys):
        field = _EXACT.get(key)
        if field is not None and field not in taken:
            mapping[index] = field
            taken.add(field)
    for index, key in enumerate(keys):
        if mapping[index] is None and key not in _EXACT:
            field = _fuzzy_field(key)
            if field is not None and field not in taken:
                mapping[index] = field
                taken.add(field)
    return mapping


def _fuzzy_field(key: str) -> str | None:
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    best_by_field: dict[str, float] = {}
    for alias, field in _EXACT.items():
        score = fuzz.token_sort_ratio(key, alias)
        if score > best_by_field.get(field, 0.0):
            best_by_field[field] = score
    ranked = sorted(best_by_field.items(), key=lambda item: item[1], reverse=True)
    best_field, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score >= _FUZZY_THRESHOLD and best_score - runner_up >= _FUZZY_MARGIN:
        return best_field
    return None


_IGNORE_WORDS = frozenset({"", "-", "none", "ignore"})


def parse_mapping_override(
    text: str,
    headings: Sequence[CellValue],
    base: Mapping[int, str | None] | None = None,
) -> dict[int, str | None]:
    """Apply "Heading=field,Other heading=field" to a mapping, for the command line.

    Starts from `base` (by default suggest_mapping(headings)) and returns the
    whole mapping.  A heading containing a comma can be quoted:
    '"Date, time"=start_date'.  "Heading=ignore" unmaps a column.  Raises
    MappingError naming the unknown heading or field.
    """
    keys = [normalise_heading(cell_text(heading)) for heading in headings]
    mapping = dict(base) if base is not None else suggest_mapping(headings)
    assigned: dict[str, str] = {}
    for item in next(csv.reader([text], skipinitialspace=True), []):
        if not item.strip():
            continue
        heading_text, equals, field_text = item.rpartition("=")
        heading_text, field_text = heading_text.strip(), field_text.strip()
        if not equals or not heading_text:
            raise MappingError(f"'{item}' is not in the form Heading=field")
        index = _column_headed(heading_text, keys, headings)
        field = _override_field(field_text)
        if field is not None:
            if field in assigned:
                raise MappingError(
                    f"{field} is given to both '{assigned[field]}' and '{heading_text}': "
                    "a field can come from one column only"
                )
            assigned[field] = heading_text
            for other, mapped in mapping.items():
                if mapped == field:
                    mapping[other] = None
        mapping[index] = field
    return mapping


def _column_headed(heading_text: str, keys: Sequence[str], headings: Sequence[CellValue]) -> int:
    key = normalise_heading(heading_text)
    matches = [index for index, candidate in enumerate(keys) if candidate == key and key]
    if not matches:
        shown = ", ".join(f"'{cell_text(h)}'" for h in headings if cell_text(h))
        raise MappingError(f"There is no column headed '{heading_text}'; the headings are {shown}")
    if len(matches) > 1:
        columns = ", ".join(column_letter(index) for index in matches)
        raise MappingError(
            f"{len(matches)} columns ({columns}) are headed '{heading_text}': rename them so they "
            "can be told apart"
        )
    return matches[0]


def _override_field(field_text: str) -> str | None:
    name = field_text.casefold()
    if name in _IGNORE_WORDS:
        return None
    if name not in FIELDS_BY_NAME:
        raise MappingError(
            f"'{field_text}' is not a chronology field: use one of "
            + ", ".join(FIELD_NAMES)
            + ", or 'ignore' to leave the column out"
        )
    return name


def missing_mandatory(mapping: Mapping[int, str | None]) -> dict[str, str]:
    """The mandatory fields no column is mapped to, each with a message for the user."""
    mapped = set(mapping.values())
    return {
        field.name: (
            f"No column holds {field.heading}, which every entry needs: add a column headed "
            f"'{field.heading}', or say which column holds it"
        )
        for field in FIELDS
        if field.mandatory and field.name not in mapped
    }
