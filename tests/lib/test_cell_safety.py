import csv
import io
from datetime import date

import openpyxl
import pytest

from casereview.lib.cell_safety import neutralise, neutralise_row


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_it_prefixes_a_quote_to_text_that_starts_like_a_formula(text):
    assert neutralise(text) == "'" + text


def test_it_leaves_ordinary_text_alone():
    assert neutralise("Home visit; mother said = fine") == "Home visit; mother said = fine"


def test_it_leaves_empty_text_alone():
    assert neutralise("") == ""


@pytest.mark.parametrize("value", [-5, 3.5, None, True, date(2014, 3, 12)])
def test_it_leaves_values_that_are_not_text_alone(value):
    assert neutralise(value) is value


def test_it_neutralises_every_cell_of_a_row():
    assert neutralise_row(["=1+1", "fine", -1]) == ["'=1+1", "fine", -1]


def test_it_stops_openpyxl_writing_a_formula(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(neutralise_row(["=cmd|' /C calc'!A0"]))
    workbook.save(tmp_path / "export.xlsx")

    cell = openpyxl.load_workbook(tmp_path / "export.xlsx").active["A1"]

    assert (cell.data_type, cell.value) == ("s", "'=cmd|' /C calc'!A0")


def test_it_makes_a_csv_cell_start_with_a_quote():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(neutralise_row(["@SUM(1+1)", "ok"]))

    assert buffer.getvalue() == "'@SUM(1+1),ok\r\n"
