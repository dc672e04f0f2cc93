import io
import struct
import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from casereview.lib.chrono_dates import DateParseError, FuzzyDate, parse_event_date
from casereview.lib.chronology_fields import (
    FIELD_NAMES,
    FIELDS,
    MappingError,
    missing_mandatory,
    normalise_heading,
    parse_mapping_override,
    suggest_mapping,
)
from casereview.lib.spreadsheets import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    CellError,
    CheckedFile,
    FileRejected,
    ZipLimits,
    cell_text,
    column_letter,
    parse_yes_no,
    read_rows,
    sniff_and_check,
)

HEADINGS = ["Date of event", "Source", "What happened"]

# --- fixture builders ---------------------------------------------------------


def write_xlsx(path: Path, rows: list[list[object]], *, first_cell: str = "A1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    start = sheet[first_cell]
    for row_offset, row in enumerate(rows):
        for column_offset, value in enumerate(row):
            if value is not None:
                sheet.cell(start.row + row_offset, start.column + column_offset, value)
    workbook.save(path)
    return path


def rewrite_zip(source: Path, target: Path, replacements: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in original.infolist():
            copy.writestr(entry.filename, replacements.get(entry.filename, original.read(entry)))
    return target


def minimal_workbook_parts(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
    archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + ']>\n<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
    "</row></sheetData></worksheet>"
)


def rows_of(source, **kwargs) -> list[tuple[int, list[object]]]:
    return list(read_rows(source, **kwargs))


# --- sniff_and_check: file types ------------------------------------------------


def test_it_recognises_a_real_workbook(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS])

    assert sniff_and_check(path, "chronology.xlsx") == CheckedFile("xlsx", None)


def test_it_recognises_a_utf8_csv(tmp_path):
    path = tmp_path / "chronology.csv"
    path.write_text("Date,Source,Description\n12/03/2014,GP record,Seen – well\n", encoding="utf-8")

    assert sniff_and_check(path, "chronology.csv") == CheckedFile("csv", "utf-8-sig")


def test_it_recognises_a_windows_1252_csv(tmp_path):
    path = tmp_path / "chronology.csv"
    path.write_bytes("Date,Source,Description\n12/03/2014,Café,Paid £20\n".encode("cp1252"))

    assert sniff_and_check(path, "chronology.csv") == CheckedFile("csv", "cp1252")


def test_it_checks_bytes_as_well_as_paths():
    assert sniff_and_check(b"Date,Source\n", "upload.csv").kind == "csv"


def test_it_rejects_an_extension_it_cannot_import(tmp_path):
    with pytest.raises(FileRejected, match=r"notes.pages is not a file CaseReview can import.*\.xlsx.*\.ods.*\.csv.*\.docx"):
        sniff_and_check(b"anything", "notes.pages")


def test_it_accepts_an_older_xls_workbook_by_its_content_not_its_name():
    assert sniff_and_check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls").kind == "xls"
    with pytest.raises(FileRejected, match="old.xls ends in .xls but is not an older Excel workbook: it looks like a PDF"):
        sniff_and_check(b"%PDF-1.7\n", "old.xls")


def test_it_rejects_a_pdf_named_xlsx():
    with pytest.raises(FileRejected) as error:
        sniff_and_check(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "chronology.xlsx")
    assert (
        str(error.value) == "chronology.xlsx ends in .xlsx but is not an Excel workbook: it looks like a PDF"
    )


def test_it_rejects_plain_text_named_xlsx():
    with pytest.raises(FileRejected, match="ends in .xlsx but is not an Excel workbook: it looks like text"):
        sniff_and_check(b"Date,Source,Description\n12/03/2014,GP,Seen\n", "chronology.xlsx")


def test_it_rejects_a_password_protected_workbook_with_advice():
    with pytest.raises(FileRejected, match="password-protected"):
        sniff_and_check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "chronology.xlsx")


def test_it_rejects_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(FileRejected, match="ends in .xlsx but is not an Excel workbook: it looks like a zip"):
        sniff_and_check(buffer.getvalue(), "chronology.xlsx")


def test_it_rejects_a_truncated_workbook(tmp_path):
    whole = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS]).read_bytes()

    with pytest.raises(FileRejected, match="not an Excel workbook: it is damaged"):
        sniff_and_check(whole[: len(whole) // 2], "chronology.xlsx")


def test_it_rejects_a_workbook_named_csv(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS])

    with pytest.raises(FileRejected, match="ends in .csv but is an Excel workbook"):
        sniff_and_check(path.read_bytes(), "chronology.csv")


def test_it_rejects_a_pdf_named_csv():
    with pytest.raises(FileRejected, match="ends in .csv but is not a CSV file: it looks like a PDF"):
        sniff_and_check(b"%PDF-1.4\n", "chronology.csv")


def test_it_rejects_a_csv_with_nul_bytes():
    with pytest.raises(FileRejected, match="contains binary data"):
        sniff_and_check(b"Date,Source\n" + b"\x00\x01\x02" * 10, "chronology.csv")


def test_it_reads_a_utf16_csv_as_excel_saves_unicode_text():
    assert sniff_and_check("Date\tSource\n".encode("utf-16"), "chronology.csv").encoding == "utf-16"


def test_it_rejects_a_csv_in_neither_utf8_nor_windows_1252():
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own.
    with pytest.raises(FileRejected, match="not in a text encoding CaseReview can read"):
        sniff_and_check(b"Date,Source\n12/03/2014,\x81\n", "chronology.csv")


def test_it_rejects_an_empty_file(tmp_path):
    path = tmp_path / "chronology.csv"
    path.write_bytes(b"")

    with pytest.raises(FileRejected, match="chronology.csv is empty"):
        sniff_and_check(path, "chronology.csv")


def test_it_rejects_a_file_over_the_size_limit():
    data = b"Date,Source\n" + b"12/03/2014,GP\n" * 110_000

    with pytest.raises(FileRejected, match=r"big.csv is 1.5 MB, over the 1.0 MB limit: split it"):
        sniff_and_check(data, "big.csv", max_bytes=1024 * 1024)


def test_it_limits_files_to_20_mb_by_default():
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


# --- sniff_and_check: bombs -----------------------------------------------------


def test_it_rejects_a_zip_bomb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        minimal_workbook_parts(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(20):
                sheet.write(b" " * (1024 * 1024))

    with pytest.raises(FileRejected, match=r"compressed more than 100 to 1: it may be a 'zip bomb'"):
        sniff_and_check(path, "bomb.xlsx")


def test_it_rejects_a_workbook_that_unpacks_to_more_than_the_limit(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS])

    with pytest.raises(FileRejected, match="unpacks to .* over the .* limit: it may be a 'zip bomb'"):
        sniff_and_check(path, "chronology.xlsx", zip_limits=ZipLimits(max_uncompressed_bytes=1000))


def test_it_rejects_a_workbook_with_too_many_parts(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        minimal_workbook_parts(archive)
        for number in range(30):
            archive.writestr(f"xl/media/image{number}.png", b"")

    with pytest.raises(FileRejected, match="holds 32 parts, more than the 20"):
        sniff_and_check(path, "parts.xlsx", zip_limits=ZipLimits(max_entries=20))


def test_it_rejects_a_workbook_with_encrypted_parts(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        minimal_workbook_parts(archive)
    data = bytearray(buffer.getvalue())
    # Python's zipfile cannot encrypt, so set the "encrypted" flag by hand in
    # the central directory, which is what the check reads.
    directory = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, directory + 8, 0x1)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes(data))

    with pytest.raises(FileRejected, match="locked.xlsx is encrypted: remove the password"):
        sniff_and_check(path, "locked.xlsx")


def test_its_default_zip_limits_are_the_shared_upload_limits():
    from casereview.lib import uploads

    assert ZipLimits is uploads.ZipLimits
    assert ZipLimits() == ZipLimits(
        max_entries=2_000,
        max_uncompressed_bytes=200 * 1024 * 1024,
        max_ratio=100.0,
        ratio_checked_above_bytes=64 * 1024,
    )


def test_it_rejects_an_xml_bomb_in_a_sheet(tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", [HEADINGS])
    path = rewrite_zip(real, tmp_path / "lol.xlsx", {"xl/worksheets/sheet1.xml": BILLION_LAUGHS.encode()})

    with pytest.raises(
        FileRejected, match=r"document type declaration \(xl/worksheets/sheet1.xml\).*'XML bomb'"
    ):
        sniff_and_check(path, "lol.xlsx")


def test_it_rejects_a_dtd_in_any_xml_part(tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", [HEADINGS])
    doctype = b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]><Types/>'
    path = rewrite_zip(real, tmp_path / "xxe.xlsx", {"[Content_Types].xml": doctype})

    with pytest.raises(FileRejected, match="XML bomb"):
        sniff_and_check(path, "xxe.xlsx")


def test_it_refuses_a_workbook_whose_part_is_bigger_than_its_zip_directory_says(tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", [HEADINGS] + [["12/03/2014", "GP", "x" * 50]] * 200)
    data = bytearray(real.read_bytes())
    with zipfile.ZipFile(real) as archive:
        entry = archive.getinfo("xl/worksheets/sheet1.xml")
        declared = 200
        crc = zlib.crc32(archive.read(entry)[:declared])
    # Shrink the declared size (and match the CRC) in both the local header
    # and the central directory, as a bomb that hides its size would.
    struct.pack_into("<I", data, entry.header_offset + 14, crc)
    struct.pack_into("<I", data, entry.header_offset + 22, declared)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, position + 16, crc)
            struct.pack_into("<I", data, position + 24, declared)
        position = data.find(b"PK\x01\x02", position + 4)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))

    with pytest.raises(FileRejected, match="could not be read as an Excel workbook"):
        rows_of(path)


# --- read_rows: xlsx ------------------------------------------------------------


def test_it_yields_the_heading_row_first(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS, [date(2014, 3, 12), "GP record", "Seen"]])

    assert rows_of(path)[0] == (1, HEADINGS)


def test_it_returns_excel_dates_and_times_as_python_values(tmp_path):
    path = write_xlsx(
        tmp_path / "chronology.xlsx",
        [["Date", "Time", "Source"], [date(2014, 3, 12), time(14, 30), "GP record"]],
    )

    assert rows_of(path)[1] == (2, [date(2014, 3, 12), time(14, 30), "GP record"])


def test_it_returns_excel_datetimes_as_datetimes(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [["Date"], [datetime(2014, 3, 12, 9, 15)]])

    assert rows_of(path)[1][1] == [datetime(2014, 3, 12, 9, 15)]


def test_it_numbers_rows_as_excel_does_when_the_table_starts_lower_down(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS, ["12/03/2014", "GP", "Seen"]], first_cell="A3")

    assert [number for number, _ in rows_of(path)] == [3, 4]


def test_it_keeps_column_positions_as_excel_does_when_the_table_starts_further_right(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS, ["12/03/2014", "GP", "Seen"]], first_cell="C1")

    heading = rows_of(path)[0][1]

    assert column_letter(heading.index("Source")) == "D"


def test_it_skips_wholly_blank_rows_but_keeps_the_numbering(tmp_path):
    path = write_xlsx(
        tmp_path / "chronology.xlsx",
        [
            HEADINGS,
            ["12/03/2014", "GP", "Seen"],
            [None, None, None],
            [None, "   ", None],
            ["13/03/2014", "HV", "Visit"],
        ],
    )

    assert [number for number, _ in rows_of(path)] == [1, 2, 5]


def test_it_reads_a_named_sheet(tmp_path):
    path = tmp_path / "chronology.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Notes"])
    workbook.create_sheet("Chronology").append(HEADINGS)
    workbook.save(path)

    assert rows_of(path, sheet="Chronology")[0][1] == HEADINGS


def test_it_names_the_sheets_when_a_named_sheet_is_missing(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS])

    with pytest.raises(FileRejected, match="has no sheet called 'Entries'; its sheets are 'Sheet'"):
        rows_of(path, sheet="Entries")


def test_it_reads_the_first_visible_sheet_by_default(tmp_path):
    path = tmp_path / "chronology.xlsx"
    workbook = openpyxl.Workbook()
    lists = workbook.active
    lists.title = "Lists"
    lists.append(["contact", "referral"])
    lists.sheet_state = "hidden"
    workbook.create_sheet("Chronology").append(HEADINGS)
    workbook.save(path)

    assert rows_of(path)[0][1] == HEADINGS


def test_it_rejects_a_workbook_whose_sheet_is_empty(tmp_path):
    path = tmp_path / "chronology.xlsx"
    openpyxl.Workbook().save(path)

    with pytest.raises(FileRejected, match="The sheet 'Sheet' in chronology.xlsx is empty"):
        rows_of(path)


def test_it_reads_a_workbook_from_bytes(tmp_path):
    data = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS]).read_bytes()

    assert rows_of(data, filename="upload.xlsx") == [(1, HEADINGS)]


def test_it_needs_the_users_filename_to_read_bytes():
    with pytest.raises(TypeError, match="needs a filename"):
        rows_of(b"Date\n")


def test_it_checks_the_file_before_reading_rows():
    with pytest.raises(FileRejected, match="not an Excel workbook"):
        rows_of(b"%PDF-1.4", filename="chronology.xlsx")


# --- read_rows: CSV -------------------------------------------------------------


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "chronology.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_it_decodes_a_windows_1252_csv(tmp_path):
    path = write_csv(tmp_path, "Date,Source,Description\n12/03/2014,Café,Paid £20\n", "cp1252")

    assert rows_of(path)[1] == (2, ["12/03/2014", "Café", "Paid £20"])


def test_it_drops_the_utf8_byte_order_mark_from_the_first_heading(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n12/03/2014,GP\n", "utf-8-sig")

    assert rows_of(path)[0] == (1, ["Date", "Source"])


def test_it_reads_a_utf8_csv_without_a_byte_order_mark(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n12/03/2014,Zoë’s GP\n")

    assert rows_of(path)[1][1] == ["12/03/2014", "Zoë’s GP"]


def test_it_detects_semicolon_delimiters(tmp_path):
    path = write_csv(tmp_path, "Date;Source;Description\n12/03/2014;GP;Seen, well\n")

    assert rows_of(path)[1][1] == ["12/03/2014", "GP", "Seen, well"]


def test_it_detects_tab_delimiters(tmp_path):
    path = write_csv(tmp_path, "Date\tSource\tDescription\n12/03/2014\tGP\tSeen; well, fed\n")

    assert rows_of(path)[1][1] == ["12/03/2014", "GP", "Seen; well, fed"]


def test_it_keeps_commas_inside_quoted_cells(tmp_path):
    path = write_csv(tmp_path, 'Date,Source,Description\n12/03/2014,GP,"Seen; mother, father"\n')

    assert rows_of(path)[1][1] == ["12/03/2014", "GP", "Seen; mother, father"]


def test_it_counts_csv_rows_by_record_as_excel_shows_them(tmp_path):
    path = write_csv(tmp_path, 'Date,Description\n12/03/2014,"Line one\nline two"\n13/03/2014,Next\n')

    assert [number for number, _ in rows_of(path)] == [1, 2, 3]


def test_it_pads_short_csv_rows_to_the_heading_width(tmp_path):
    path = write_csv(tmp_path, "Date,Source,Description\n12/03/2014,GP\n")

    assert rows_of(path)[1][1] == ["12/03/2014", "GP", ""]


def test_it_skips_blank_csv_lines(tmp_path):
    path = write_csv(tmp_path, "\n\nDate,Source\n,\n12/03/2014,GP\n")

    assert [number for number, _ in rows_of(path)] == [3, 5]


def test_it_rejects_a_file_with_nothing_but_blank_rows(tmp_path):
    path = write_csv(tmp_path, "\n , \n\n")

    with pytest.raises(FileRejected, match="has no headings or entries"):
        rows_of(path)


def test_it_reports_a_malformed_csv_row_with_its_number(tmp_path):
    path = write_csv(tmp_path, "Date,Description\n12/03/2014," + "x" * 200_000 + "\n")

    with pytest.raises(FileRejected, match="could not be read as CSV at row 2"):
        rows_of(path)


# --- read_rows: limits and streaming ----------------------------------------


def test_it_accepts_exactly_the_row_limit(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n" + "12/03/2014,GP\n" * 5)

    assert len(rows_of(path, max_rows=5)) == 6


def test_it_rejects_a_file_over_the_row_limit(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n" + "12/03/2014,GP\n" * 6)

    with pytest.raises(FileRejected, match="has more than 5 rows of entries.*split it into smaller files"):
        rows_of(path, max_rows=5)


def test_it_does_not_count_blank_rows_towards_the_limit(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n" + "12/03/2014,GP\n,\n" * 5)

    assert len(rows_of(path, max_rows=5)) == 6


def test_it_rejects_an_xlsx_over_the_row_limit(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [HEADINGS] + [["12/03/2014", "GP", "Seen"]] * 4)

    with pytest.raises(FileRejected, match="more than 3 rows"):
        rows_of(path, max_rows=3)


def test_it_limits_imports_to_100000_rows_by_default():
    assert DEFAULT_MAX_ROWS == 100_000


def test_it_streams_rows_rather_than_reading_them_all_first(tmp_path):
    path = write_csv(tmp_path, "Date,Source\n" + "12/03/2014,GP\n" * 6)
    rows = read_rows(path, max_rows=5)

    received = [next(rows) for _ in range(6)]

    assert len(received) == 6
    with pytest.raises(FileRejected):
        next(rows)


def test_it_reports_text_in_a_date_column_with_the_excel_row_number(tmp_path):
    path = write_xlsx(
        tmp_path / "chronology.xlsx",
        [HEADINGS, [date(2014, 3, 12), "GP", "Seen"], ["next week", "HV", "Visit"]],
    )
    problems = []
    for number, values in list(read_rows(path))[1:]:
        try:
            parse_event_date(values[0])
        except DateParseError as error:
            problems.append((number, str(error)))

    assert [(number, message.split(":")[0]) for number, message in problems] == [
        (3, "'next week' is not a date")
    ]


def test_it_reads_every_documented_date_format_from_a_csv(tmp_path):
    texts = [
        "12/03/2014",
        "12/3/14",
        "2014-03-12",
        "12 March 2014",
        "12-Mar-14",
        "March 2014",
        "2014",
        "?12/03/2014",
    ]
    path = write_csv(tmp_path, "Date\n" + "\n".join(texts) + "\n")

    dates = [parse_event_date(values[0], today=date(2025, 1, 1)).iso() for _, values in rows_of(path)[1:]]

    assert dates == ["2014-03-12"] * 5 + ["2014-03", "2014", "?2014-03-12"]


def test_it_reads_excel_serial_numbers_left_in_general_cells(tmp_path):
    path = write_xlsx(tmp_path / "chronology.xlsx", [["Date"], [41710]])

    assert parse_event_date(rows_of(path)[1][1][0]) == FuzzyDate(2014, 3, 12)


# --- heading mapping ------------------------------------------------------------


def test_it_has_the_canonical_fields():
    assert FIELD_NAMES == (
        "event_ref",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "source",
        "practitioner_role",
        "people_involved",
        "event_type",
        "description",
        "risk",
        "response",
        "partnership",
        "learning",
        "q_assessment",
        "q_pattern",
        "q_statutory",
        "q_child",
        "q_adult",
        "q_learning_point",
        "good_practice",
        "key_practice_episode",
    )


def test_it_never_gives_one_heading_to_two_fields():
    owners: dict[str, str] = {}
    for field in FIELDS:
        for alias in (field.heading, *field.synonyms):
            assert owners.setdefault(normalise_heading(alias), field.name) == field.name, alias


def test_it_maps_the_template_headings_exactly():
    headings = [field.heading for field in FIELDS]

    assert suggest_mapping(headings) == dict(enumerate(FIELD_NAMES))


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Date of event", "start_date"),
        ("Event date", "start_date"),
        ("Date", "start_date"),
        ("What happened", "description"),
        ("Details", "description"),
        ("Description of event", "description"),
        ("Source", "source"),
        ("Source of information", "source"),
        ("Action taken", "response"),
        ("Agency response", "response"),
        ("Time", "start_time"),
        ("Practitioner", "practitioner_role"),
        ("Role", "practitioner_role"),
    ],
)
def test_it_recognises_common_synonyms(heading, field):
    assert suggest_mapping([heading]) == {0: field}


def test_it_ignores_case_punctuation_and_spacing_in_headings():
    assert suggest_mapping(["  DATE OF EVENT:*", "source-of-information", "What  happened?"]) == {
        0: "start_date",
        1: "source",
        2: "description",
    }


def test_it_ignores_bracketed_hints_in_headings():
    assert suggest_mapping(["Start date (dd/mm/yyyy)", "Statutory event (Y/N)"]) == {
        0: "start_date",
        1: "q_statutory",
    }


def test_it_matches_a_misspelt_heading():
    assert suggest_mapping(["Practioner role", "Date of events"]) == {0: "practitioner_role", 1: "start_date"}


@pytest.mark.parametrize("heading", ["Date of birth", "Agency", "Notes", "Event tipe", ""])
def test_it_leaves_a_heading_unmapped_rather_than_guess(heading):
    assert suggest_mapping([heading]) == {0: None}


def test_it_gives_a_field_to_one_column_only():
    assert suggest_mapping(["Date", "Event date"]) == {0: "start_date", 1: None}


def test_it_prefers_an_exact_match_to_a_fuzzy_one_in_an_earlier_column():
    assert suggest_mapping(["Date of events", "Date of event"]) == {0: None, 1: "start_date"}


def test_it_reads_headings_that_excel_stored_as_numbers():
    assert suggest_mapping([2014.0, "Source"]) == {0: None, 1: "source"}


# --- mapping overrides ----------------------------------------------------------


def test_it_applies_a_command_line_override():
    mapping = parse_mapping_override("Notes=description", ["Date", "Source", "Notes"])

    assert mapping == {0: "start_date", 1: "source", 2: "description"}


def test_it_moves_a_field_to_the_overriding_column():
    mapping = parse_mapping_override("Event date=start_date", ["Date", "Event date"])

    assert mapping == {0: None, 1: "start_date"}


def test_it_matches_override_headings_loosely():
    assert parse_mapping_override(" notes = description ", ["NOTES:"]) == {0: "description"}


def test_it_unmaps_a_column_told_to_ignore():
    assert parse_mapping_override("Date=ignore", ["Date", "Source"]) == {0: None, 1: "source"}


def test_it_starts_from_a_given_mapping():
    assert parse_mapping_override("B=source", ["A", "B"], base={0: "description", 1: None}) == {
        0: "description",
        1: "source",
    }


def test_it_accepts_a_quoted_heading_containing_a_comma():
    assert parse_mapping_override('"Date, time"=start_date', ["Date, time"]) == {0: "start_date"}


def test_it_names_the_valid_fields_when_an_override_field_is_unknown():
    with pytest.raises(
        MappingError, match="'when' is not a chronology field: use one of event_ref, start_date"
    ):
        parse_mapping_override("Date=when", ["Date"])


def test_it_lists_the_headings_when_an_override_heading_is_unknown():
    with pytest.raises(
        MappingError, match="There is no column headed 'Dated'; the headings are 'Date', 'Source'"
    ):
        parse_mapping_override("Dated=start_date", ["Date", "Source"])


def test_it_refuses_an_override_for_a_heading_used_twice():
    with pytest.raises(MappingError, match=r"2 columns \(A, C\) are headed 'Date'"):
        parse_mapping_override("Date=start_date", ["Date", "Source", "Date"])


def test_it_refuses_an_override_without_an_equals_sign():
    with pytest.raises(MappingError, match="'Date' is not in the form Heading=field"):
        parse_mapping_override("Date", ["Date"])


def test_it_refuses_an_override_giving_one_field_two_columns():
    with pytest.raises(MappingError, match="start_date is given to both 'Date' and 'When'"):
        parse_mapping_override("Date=start_date,When=start_date", ["Date", "When"])


# --- mandatory columns ----------------------------------------------------------


def test_it_finds_no_missing_columns_when_the_mandatory_ones_are_mapped():
    assert missing_mandatory(suggest_mapping(HEADINGS)) == {}


def test_it_names_each_missing_mandatory_column():
    missing = missing_mandatory(suggest_mapping(["Date", "Notes"]))

    assert list(missing) == ["source", "description"]


def test_it_explains_how_to_supply_a_missing_column():
    missing = missing_mandatory({0: "start_date", 1: "description"})

    assert missing["source"] == (
        "No column holds Source of information, which every entry needs: add a column headed "
        "'Source of information', or say which column holds it"
    )


def test_it_does_not_require_an_event_type_column():
    assert "event_type" not in missing_mandatory({})


# --- yes/no and text cells --------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Y", "y", "Yes", "TRUE", "true", "1", "x", "X", "✓", " yes ", True, 1, 1.0]
)
def test_it_reads_yes(value):
    assert parse_yes_no(value) is True


@pytest.mark.parametrize("value", ["N", "No", "", "  ", "FALSE", "0", None, False, 0, 0.0])
def test_it_reads_no_including_blank(value):
    assert parse_yes_no(value) is False


@pytest.mark.parametrize("value", ["maybe", "?", 2, date(2014, 3, 12)])
def test_it_refuses_anything_else_as_yes_or_no(value):
    with pytest.raises(CellError, match="is not yes or no: use Y or N"):
        parse_yes_no(value)


def test_it_shows_whole_numbers_without_a_decimal_point():
    assert cell_text(12.0) == "12"


def test_it_shows_dates_day_first():
    assert cell_text(date(2014, 3, 12)) == "12/03/2014"


def test_it_strips_surrounding_whitespace_from_text():
    assert cell_text("  Seen at home \n") == "Seen at home"


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_it_names_columns_as_excel_does(index, letters):
    assert column_letter(index) == letters
