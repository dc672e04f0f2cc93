"""Stop exported text being run as a formula by spreadsheet software.

Chronology text comes from many agencies' records, so a description such as
"=HYPERLINK(...)" or "-2+3" must reach the reader as text, never as a formula
that Excel or LibreOffice evaluates (CSV or formula injection).  Every Excel
and CSV export passes its cells through `neutralise`.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_TRIGGERS", "neutralise", "neutralise_row"]

# The characters OWASP's CSV injection guidance lists as starting a formula
# (tab and carriage return can hide a formula behind leading whitespace).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a single quote to text that a spreadsheet would treat as a formula.

    The quote makes Excel show the cell as text, and stops openpyxl writing it
    as a formula.  Non-text values are returned unchanged because numbers and
    dates written as typed values cannot become formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    """`neutralise` applied to each cell of an export row."""
    return [neutralise(value) for value in values]
