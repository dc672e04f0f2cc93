"""Which .xlsx writer for the merged chronology export (the ADR on the xlsx writer quotes these figures).

Writes the same 50,000 rows x 33 columns (text, real dates, the marking row, widths, a frozen heading) with:
  - casereview.chronology.xlsx_writer (ours, streaming SpreadsheetML);
  - xlsxwriter in constant_memory mode (a well-kept library, streaming too);
  - openpyxl in write_only mode.
Each runs in its own process; prints seconds and the process's peak resident memory.

Run: .venv/bin/python bench/chronology_writer_bench.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = 33
WORDS = ("home visit child mother partner police school nursery bruising referral assessment strategy meeting "
         "attended concerns neglect appointment missed health visitor injury reported family housing").split()


def _rows(count: int):
    rng = random.Random(7)
    start = date(2009, 4, 1)
    for number in range(count):
        day = start + timedelta(days=rng.randrange(5800))
        text = " ".join(rng.choices(WORDS, k=rng.randrange(8, 30)))
        yield [day, "14:30", "Bench agency CSC", "Case record", "Home visit", text, "",
               "", "", f"CSC-{number:05d}", "Practitioner", "Child B, Mother", "3 years 2 months",
               "Some risk", "Action was taken", "", "", "No", "No", "Yes", "No", "No", "No", "No", "No", "No",
               "No", "", "Day", "", "", "", ""][:COLUMNS]


def _ours(path: str, count: int) -> None:
    sys.path.insert(0, str(ROOT))
    from casereview.chronology import xlsx_writer

    def rows():
        yield [f"Column {i}" for i in range(COLUMNS)]
        yield from _rows(count)

    with open(path, "wb") as stream:
        xlsx_writer.write_workbook(stream, [xlsx_writer.Sheet("Chronology", rows(), widths={0: 12, 5: 60},
                                                              marking="OFFICIAL-SENSITIVE")],
                                   xlsx_writer.Properties(title="Bench", board_name="Benchshire"))


def _xlsxwriter(path: str, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Chronology")
    bold = workbook.add_format({"bold": True})
    dated = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.set_column(0, 0, 12)
    sheet.set_column(5, 5, 60)
    sheet.freeze_panes(2, 0)
    sheet.set_header("&C&BOFFICIAL-SENSITIVE")
    sheet.set_footer("&C&BOFFICIAL-SENSITIVE")
    sheet.write_string(0, 0, "OFFICIAL-SENSITIVE", bold)
    sheet.write_row(1, 0, [f"Column {i}" for i in range(COLUMNS)], bold)
    for number, row in enumerate(_rows(count), start=2):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, dated)
            elif value:
                sheet.write_string(number, column, value)
    workbook.set_properties({"title": "Bench", "author": "Benchshire"})
    workbook.close()


def _openpyxl(path: str, count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chronology")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["F"].width = 60
    sheet.freeze_panes = "A3"
    marking = WriteOnlyCell(sheet, value="OFFICIAL-SENSITIVE")
    marking.font = Font(bold=True)
    sheet.append([marking])
    sheet.append([f"Column {i}" for i in range(COLUMNS)])
    for row in _rows(count):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value or None)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


WRITERS = {"ours (xlsx_writer)": _ours, "xlsxwriter (constant_memory)": _xlsxwriter,
           "openpyxl (write_only)": _openpyxl}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        started = time.perf_counter()
        WRITERS[args.child](args.output, args.rows)
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": round(seconds, 2),
                          "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                          "bytes": Path(args.output).stat().st_size}))
        return
    with tempfile.TemporaryDirectory(prefix="writer-bench-") as folder:
        for label in WRITERS:
            run = subprocess.run(  # noqa: S603 - this script
                [sys.executable, __file__, "--child", label, "--output", str(Path(folder) / "out.xlsx"),
                 "--rows", str(args.rows)], capture_output=True, text=True, check=True)
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"{label}: {args.rows:,} rows x {COLUMNS} columns in {figures['seconds']} s, peak "
                  f"{figures['peak_mb']} MB, {figures['bytes'] / 1024 / 1024:.1f} MB file", flush=True)


if __name__ == "__main__":
    main()
