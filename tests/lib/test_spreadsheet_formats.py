"""Every format agencies send (.xlsx, .xls, .ods, .csv, Word tables) read the same way, and the hostile files
that once killed a web worker refused cheaply, before any reader allocates the sheet."""

import io
import resource
import zipfile

import pytest

from casereview.lib.spreadsheets import FileRejected, read_rows, sniff_and_check

HEADINGS = ["Date of event", "Source", "What happened"]

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                  '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                  'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                  'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                  'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                  'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                  'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def hand_made_xlsx(sheet_data: str, dimension: str = "") -> bytes:
    """A workbook written as a hostile sender would, part by part: 1.5 KB, whatever its cells claim."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@pytest.fixture
def memory_cap():
    """Cap this process's memory so that a regression fails the test instead of exhausting the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_cell_at_xfd1048576_is_refused_before_the_sheet_is_allocated(memory_cap):
    data = hand_made_xlsx(
        '<row r="1">' + cell("A1", "Date") + cell("B1", "Source") + cell("C1", "Description") + "</row>"
        '<row r="1048576">' + cell("XFD1048576", "x") + "</row>", dimension='<dimension ref="A1:XFD1048576"/>')
    assert len(data) < 2_000
    with pytest.raises(FileRejected, match=r"far.xlsx has a cell in column XFD, far to the right of any "
                                           r"chronology \(at most 200 columns\): delete the cells outside"):
        list(read_rows(data, filename="far.xlsx"))


def test_a_cell_at_all50000_is_refused_quickly(memory_cap):
    data = hand_made_xlsx('<row r="1">' + cell("A1", "Date") + "</row><row r=\"50000\">" + cell("ALL50000", "x")
                          + "</row>")
    with pytest.raises(FileRejected, match="in column ALL"):
        list(read_rows(data, filename="wide.xlsx"))


def test_a_cell_far_below_the_table_is_refused(memory_cap):
    data = hand_made_xlsx('<row r="1">' + cell("A1", "Date") + '</row><row r="900000">' + cell("B900000", "x")
                          + "</row>")
    with pytest.raises(FileRejected, match="has a cell in row 900,000, more rows than one import can take"):
        list(read_rows(data, filename="long.xlsx", max_rows=1_000))


def test_cells_without_references_are_placed_as_a_reader_would_and_still_refused(memory_cap):
    data = hand_made_xlsx('<row r="1">' + cell("A1", "Date") + '</row><row r="1048576"><c t="inlineStr"><is><t>x'
                          '</t></is></c></row><row r="1048577">' + cell("XFD1", "y") + "</row>")
    with pytest.raises(FileRejected, match="far to the right"):
        list(read_rows(data, filename="sneaky.xlsx"))


def test_formatting_far_away_without_a_value_does_not_refuse_a_genuine_workbook():
    data = hand_made_xlsx('<row r="1">' + cell("A1", "Date") + cell("B1", "Source") + cell("C1", "Description")
                          + '</row><row r="2">' + cell("A2", "12/03/2014") + cell("B2", "GP") + cell("C2", "Seen")
                          + '</row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    assert list(read_rows(data, filename="formatted.xlsx")) == [(1, ["Date", "Source", "Description"]),
                                                                (2, ["12/03/2014", "GP", "Seen"])]


def test_a_wide_genuine_table_is_read():
    headings = "".join(cell(f"{letter}1", f"Column {letter}") for letter in ("A", "B", "AA", "AB"))
    data = hand_made_xlsx(f'<row r="1">{headings}</row><row r="2">' + cell("AB2", "x") + "</row>")
    rows = list(read_rows(data, filename="wide.xlsx"))
    assert len(rows[0][1]) == 28 and rows[1][1][27] == "x"


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused():
    data = io.BytesIO(hand_made_xlsx('<row r="1">' + cell("A1", "Date") + "</row>"))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(FileRejected, match="macros.xlsx contains macros: save it without macros"):
        sniff_and_check(data.getvalue(), "macros.xlsx")


# --- .xls and .ods ----------------------------------------------------------------------------------------


def xls_bytes(rows) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_older_xls_workbook_is_read_like_any_other():
    data = xls_bytes([HEADINGS, ["12/03/2014", "GP record", "Seen at surgery"]])
    assert list(read_rows(data, filename="old.xls")) == [(1, HEADINGS), (2, ["12/03/2014", "GP record",
                                                                             "Seen at surgery"])]


def test_an_xls_with_a_cell_far_from_its_table_is_refused_without_the_worker_reading_it(memory_cap):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    for c, value in enumerate(HEADINGS):
        sheet.write(0, c, value)
    sheet.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    # The sheet is opened in a separate process whose memory is capped: that process fails, not the worker.
    with pytest.raises(FileRejected, match=r"far.xls (could not be opened within the memory one import may use|"
                                           r"has a cell in column IV): delete the cells outside the chronology"):
        list(read_rows(buffer.getvalue(), filename="far.xls"))


def ods_bytes(table_xml: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Chronology">{table_xml}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path='
                '"/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_row(*values: str, repeat_columns_after: int = 0) -> str:
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                    for v in values)
    if repeat_columns_after:
        cells += f'<table:table-cell table:number-columns-repeated="{repeat_columns_after}"/>'
    return f"<table:table-row>{cells}</table:table-row>"


def test_an_opendocument_spreadsheet_is_read_like_any_other():
    # LibreOffice pads every row with thousands of empty repeated cells, and the sheet with empty rows.
    data = ods_bytes(ods_row(*HEADINGS, repeat_columns_after=16381)
                     + ods_row("12/03/2014", "GP record", "Seen", repeat_columns_after=16381)
                     + '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                       'table:number-columns-repeated="16384"/></table:table-row>')
    assert list(read_rows(data, filename="chronology.ods")) == [(1, HEADINGS), (2, ["12/03/2014", "GP record",
                                                                                    "Seen"])]


def test_an_opendocument_spreadsheet_with_a_value_repeated_across_the_sheet_is_refused(memory_cap):
    data = ods_bytes(ods_row(*HEADINGS) + '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
                     'office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p>'
                     "</table:table-cell></table:table-row>")
    with pytest.raises(FileRejected, match="far to the right of any chronology"):
        list(read_rows(data, filename="bomb.ods"))


# --- CSV in any encoding and delimiter ---------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_with_any_common_delimiter(delimiter):
    text = delimiter.join(HEADINGS) + "\n" + delimiter.join(["12/03/2014", "GP", "Seen, then sent home"]) + "\n"
    if delimiter == ",":
        text = text.replace("Seen, then sent home", '"Seen, then sent home"')
    rows = list(read_rows(text.encode(), filename="c.csv"))
    assert rows[1][1] == ["12/03/2014", "GP", "Seen, then sent home"]


def test_csv_saved_as_utf16_by_excel_is_read():
    text = "\t".join(HEADINGS) + "\r\n" + "\t".join(["12/03/2014", "GP", "Zoë was seen"]) + "\r\n"
    rows = list(read_rows(text.encode("utf-16"), filename="unicode.csv"))
    assert rows[1][1] == ["12/03/2014", "GP", "Zoë was seen"]
