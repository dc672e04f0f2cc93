"""Dates and times for chronology entries, as practitioners actually write them.

Agency records give dates at different precisions ("March 2014", "2014") and
sometimes only a best guess, so an event date is a FuzzyDate rather than a
datetime.date.  Numeric dates are always read day first (UK practice): reading
12/03/2014 as 3 December would silently reorder a child's chronology.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Literal

from . import dates

__all__ = [
    "ACCEPTED_DATE_FORMATS",
    "ACCEPTED_TIME_FORMATS",
    "DateParseError",
    "FoundDate",
    "FuzzyDate",
    "MAX_YEAR",
    "MIN_YEAR",
    "Precision",
    "TimeParseError",
    "find_dates",
    "parse_event_date",
    "parse_time",
]

Precision = Literal["day", "month", "year"]

# Bounds catch typed-in typos such as 0214 or 2104 while leaving room for a
# parent's own childhood and for planned future events.
MIN_YEAR = 1900
MAX_YEAR = 2100

ACCEPTED_DATE_FORMATS = (
    "dd/mm/yyyy, d/m/yy, yyyy-mm-dd, 12 March 2014, 12-Mar-14, "
    "March 2014 or 2014, with a ? in front if the date is uncertain"
)
ACCEPTED_TIME_FORMATS = "14:30, 2:30pm or 1430"

# English names are spelt out rather than taken from `calendar`, whose names
# follow the server's locale.
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

# Excel's 1900 date system counts 1900-01-01 as day 1 and keeps Lotus 1-2-3's
# fictitious 29 February 1900 as day 60, so serials from 61 on are one day
# further from their epoch than serials below 60.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_EPOCH_BEFORE_LEAP_BUG = date(1899, 12, 31)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = (date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days

_SEP = r"[/.\-]"
# Exports from case-management systems often append a time; it belongs in the
# time column, so it is accepted here and dropped.  Text is matched casefolded,
# hence the lower-case ISO "t".
_TRAILING_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_NUMERIC_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2}}|\d{{4}}){_TRAILING_TIME}")
_ISO_DAY = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TRAILING_TIME}")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_NUMERIC_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{4})")
# A month's name as people write it; never followed by another letter, so "Marchember" is not March.
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![^\W\d_])"
)
# Between the parts of a date written in running text: spaces, or one line break where a PDF's
# column wrapped.
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
# 12 March 2014, 12-Mar-14, 03MAR2012, 3/Mar/2012, 12th of March 2014, 3 March '12.
_DAY_MONTH_YEAR = (
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:{_GAP}of)?(?:{_GAP}|[ \t]*[\-/.]\n?[ \t]*)?"
    rf"(?P<mon>{_MONTH_WORD})\.?(?:,?{_GAP}|[ \t]*[\-/.]\n?[ \t]*|,)?['\u2019]?(?P<y>\d{{4}}|\d{{2}})(?!\d)"
)
_NAMED_DAY = re.compile(_DAY_MONTH_YEAR)
_NAMED_MONTH = re.compile(r"([a-z]+)\.?,?[\s\-/]+(\d{4})")
_YEAR = re.compile(r"\d{4}")

_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?\s*(?:([ap])\.?m\.?)?\s*(?:hrs?)?")
_COMPACT_CLOCK = re.compile(r"(\d{1,2})(\d{2})\s*(?:hrs?)?")


class DateParseError(ValueError):
    """A value that cannot be read as an event date; str() is for the user."""


class TimeParseError(ValueError):
    """A value that cannot be read as a time of day; str() is for the user."""


def _unreal_date_reason(year: int, month: int | None, day: int | None) -> str | None:
    """Why these parts are not a real date, or None if they are."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"the year must be between {MIN_YEAR} and {MAX_YEAR}"
    if month is None:
        return "a day needs a month" if day is not None else None
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day is None:
        return None
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        if day == 0:
            return "there is no day 0"
        return f"{_MONTH_NAMES[month - 1].title()} {year} has {days_in_month} days"
    return None


@dataclass(frozen=True)
class FuzzyDate:
    """An event date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None
    uncertain: bool = False
    precision: Precision = field(init=False)

    def __post_init__(self) -> None:
        reason = _unreal_date_reason(self.year, self.month, self.day)
        if reason is not None:
            raise DateParseError(
                f"year {self.year}, month {self.month}, day {self.day} is not a real date: {reason}"
            )
        precision: Precision = "year" if self.month is None else "month" if self.day is None else "day"
        # Frozen dataclasses can only set derived fields through object.__setattr__.
        object.__setattr__(self, "precision", precision)

    def iso(self) -> str:
        """ISO 8601 at the date's own precision, e.g. "?2014-03"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return f"?{text}" if self.uncertain else text

    def sort_key(self) -> tuple[int, int, int, bool]:
        """Orders "March 2014" before 1 March 2014, and "2014" before January 2014.

        Month 0 and day 0 do not exist, so a coarser date sorts ahead of every
        finer date inside it: reviewers read the summary before the detail.
        """
        return (self.year, self.month or 0, self.day or 0, self.uncertain)

    def first_day(self) -> date:
        """The earliest calendar day the date could mean, for range filters."""
        return date(self.year, self.month or 1, self.day or 1)

    def display(self) -> str:
        """The date as a reader expects it, e.g. "12 March 2014 (uncertain)"."""
        parts: list[str] = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(_MONTH_NAMES[self.month - 1].title())
        parts.append(str(self.year))
        text = " ".join(parts)
        return f"{text} (uncertain)" if self.uncertain else text


def parse_event_date(value: object, *, today: date | None = None) -> FuzzyDate:
    """Read an event date from a spreadsheet cell or form field.

    Accepts a date or datetime (an Excel date cell), an Excel serial number
    (1900 date system) and the text formats in ACCEPTED_DATE_FORMATS.  `today`
    decides the century of two-digit years: the most recent century that does
    not put the date in the future.
    """
    # Also catches datetime, a date subclass: the time belongs in its own column.
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, uncertain=False, shown=str(value))
    # bool is an int subclass, and TRUE in a date column is a mistake, not day 1.
    if isinstance(value, bool):
        raise DateParseError(f"'{value}' is not a date: use {ACCEPTED_DATE_FORMATS}")
    if isinstance(value, (int, float)):
        return _from_number(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DateParseError(f"the date is blank: use {ACCEPTED_DATE_FORMATS}")
    if isinstance(value, str):
        return _from_text(value, today or dates.today())
    raise DateParseError(f"'{value}' is not a date: use {ACCEPTED_DATE_FORMATS}")


def _checked(year: int, month: int | None, day: int | None, *, uncertain: bool, shown: str) -> FuzzyDate:
    reason = _unreal_date_reason(year, month, day)
    if reason is not None:
        raise DateParseError(f"{shown} is not a real date: {reason}")
    return FuzzyDate(year, month, day, uncertain)


def _from_number(number: float) -> FuzzyDate:
    shown = _format_number(number)
    if math.isnan(number) or math.isinf(number):
        raise DateParseError(f"'{shown}' is not a date: use {ACCEPTED_DATE_FORMATS}")
    whole = math.floor(number)
    # A year typed into a General-format cell arrives as a number; as an Excel
    # serial it would fall in 1905, which no chronology means.
    if whole == number and MIN_YEAR <= whole <= MAX_YEAR:
        return FuzzyDate(int(whole))
    if whole == _EXCEL_FAKE_LEAP_DAY:
        raise DateParseError(f"{shown} is Excel's 29 February 1900, which is not a real date")
    if not 1 <= whole <= _EXCEL_MAX_SERIAL:
        raise DateParseError(
            f"{shown} is not a date: as an Excel date number it is outside "
            f"{MIN_YEAR} to {MAX_YEAR}; use {ACCEPTED_DATE_FORMATS}"
        )
    epoch = _EXCEL_EPOCH if whole > _EXCEL_FAKE_LEAP_DAY else _EXCEL_EPOCH_BEFORE_LEAP_BUG
    day = epoch + timedelta(days=int(whole))
    return FuzzyDate(day.year, day.month, day.day)


def _format_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _from_text(raw: str, today: date) -> FuzzyDate:
    text = " ".join(raw.split())
    uncertain = text.startswith("?")
    if uncertain:
        text = text[1:].lstrip()
    if text.endswith("?"):
        raise DateParseError(
            f"'{raw.strip()}': put the ? at the start to mark an uncertain date, e.g. ?{text[:-1].rstrip()}"
        )
    lowered = text.casefold()

    if match := _NUMERIC_DMY.fullmatch(lowered):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
        year = _full_year(year_text, month, day, today)
        return _checked(year, month, day, uncertain=uncertain, shown=text)
    if match := _ISO_DAY.fullmatch(lowered):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _checked(year, month, day, uncertain=uncertain, shown=text)
    if match := _ISO_MONTH.fullmatch(lowered):
        return _checked(int(match[1]), int(match[2]), None, uncertain=uncertain, shown=text)
    if match := _NUMERIC_MONTH_YEAR.fullmatch(lowered):
        return _checked(int(match[2]), int(match[1]), None, uncertain=uncertain, shown=text)
    if match := _NAMED_DAY.fullmatch(lowered):
        day, month = int(match["d"]), _month_number(match["mon"])
        year = _full_year(match["y"], month, day, today)
        return _checked(year, month, day, uncertain=uncertain, shown=text)
    if (match := _NAMED_MONTH.fullmatch(lowered)) and match[1] in _MONTHS:
        return _checked(int(match[2]), _MONTHS[match[1]], None, uncertain=uncertain, shown=text)
    if _YEAR.fullmatch(lowered):
        return _checked(int(lowered), None, None, uncertain=uncertain, shown=text)
    raise DateParseError(f"'{raw.strip()}' is not a date: use {ACCEPTED_DATE_FORMATS}")


def _month_number(name: str) -> int:
    name = name.casefold()
    return _MONTHS.get(name) or _MONTHS[name[:3]]


def _full_year(year_text: str, month: int, day: int, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 4:
        return year
    this_century = today.year // 100 * 100
    candidate = this_century + year
    # Compare as tuples: the parts have not been validated yet, and an invalid
    # day must produce the "not a real date" message, not a crash here.
    if (candidate, month, day) > (today.year, today.month, today.day):
        candidate -= 100
    return candidate


def parse_time(value: object) -> time | None:
    """Read a time of day, or None when the cell is blank.

    Accepts a time (an Excel time cell), an Excel day fraction such as 0.5 for
    noon, a whole number such as 1430 typed into a General-format cell, and
    text in ACCEPTED_TIME_FORMATS.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, time):
        return value
    # datetime is a date subclass: both mean a date landed in the time column.
    if isinstance(value, date):
        raise TimeParseError(f"'{value}' is a date, not a time: use {ACCEPTED_TIME_FORMATS}")
    if isinstance(value, timedelta):
        return _from_day_fraction(value.total_seconds() / 86_400, str(value))
    if isinstance(value, bool):
        raise TimeParseError(f"'{value}' is not a time: use {ACCEPTED_TIME_FORMATS}")
    if isinstance(value, (int, float)):
        shown = _format_number(value)
        if 0 <= value < 1:
            return _from_day_fraction(value, shown)
        # 1430 typed into a General-format cell arrives as a number.
        if float(value).is_integer() and 0 < value <= 2359:
            hours, minutes = divmod(int(value), 100)
            return _clock_time(hours, minutes, 0, shown)
        raise TimeParseError(
            f"{shown} is not a time: Excel times are fractions of a day below 1; use {ACCEPTED_TIME_FORMATS}"
        )
    if isinstance(value, str):
        return _time_from_text(value)
    raise TimeParseError(f"'{value}' is not a time: use {ACCEPTED_TIME_FORMATS}")


def _from_day_fraction(fraction: float, shown: str) -> time:
    if not 0 <= fraction < 1:
        raise TimeParseError(
            f"{shown} is not a time of day: it is 24 hours or more; use {ACCEPTED_TIME_FORMATS}"
        )
    # Excel stores times as binary fractions, so 14:30 comes back as
    # 14:29:59.9999; rounding to the second restores what the user typed.
    seconds = min(round(fraction * 86_400), 86_399)
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _time_from_text(raw: str) -> time:
    text = raw.strip().casefold()
    if match := _COMPACT_CLOCK.fullmatch(text):
        return _clock_time(int(match[1]), int(match[2]), 0, raw.strip())
    match = _CLOCK.fullmatch(text)
    # A bare number such as "14" is more likely a slip than 2pm; ask for minutes.
    if match is None or (match[2] is None and match[4] is None):
        raise TimeParseError(f"'{raw.strip()}' is not a time: use {ACCEPTED_TIME_FORMATS}")
    hours = int(match[1])
    minutes = int(match[2] or 0)
    seconds = int(match[3] or 0)
    if match[4] is not None:
        if not 1 <= hours <= 12:
            raise TimeParseError(
                f"'{raw.strip()}' is not a real time: with am or pm the hour must be 1 to 12"
            )
        # 12am is midnight and 12pm is noon.
        hours = hours % 12 + (12 if match[4] == "p" else 0)
    return _clock_time(hours, minutes, seconds, raw.strip())


def _clock_time(hours: int, minutes: int, seconds: int, shown: str) -> time:
    if hours > 23:
        raise TimeParseError(f"'{shown}' is not a real time: hours go up to 23")
    if minutes > 59 or seconds > 59:
        raise TimeParseError(f"'{shown}' is not a real time: minutes and seconds go up to 59")
    return time(hours, minutes, seconds)


# --- dates in running text --------------------------------------------------
#
# The publication check looks for a child's date of birth however a report writes it, with the
# same reading of day, month and year as the chronology importer above.

_FIND_PATTERNS = (
    # 12/03/2014, 12.03.14, 12-03-2014 (day first, as everywhere in this module)
    re.compile(
        r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])\n?(?P<m>\d{1,2})(?P=sep)\n?(?P<y>\d{4}|\d{2})(?![/.\-]?\d)"
    ),
    # 2014-03-12
    re.compile(r"(?<![\d/.\-])(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![/.\-]?\d)"),
    re.compile(rf"(?<![^\W_]){_DAY_MONTH_YEAR}", re.IGNORECASE),
    # March 12, 2014; Mar 12th '14
    re.compile(
        rf"(?<![^\W\d_])(?P<mon>{_MONTH_WORD})\.?{_GAP}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?{_GAP}"
        rf"['\u2019]?(?P<y>\d{{4}}|\d{{2}})(?!\d)",
        re.IGNORECASE,
    ),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A full date found in running text, with where it is and how it was written."""

    start: int
    end: int
    day: int
    month: int
    year: int  # as written: 14 for '14
    two_digit_year: bool

    def is_on(self, known: date) -> bool:
        year = known.year % 100 if self.two_digit_year else known.year
        return (self.day, self.month, self.year) == (known.day, known.month, year)

    def as_date(self) -> date | None:
        """The date itself when the year is written in full."""
        return None if self.two_digit_year else date(self.year, self.month, self.day)


def find_dates(text: str) -> list[FoundDate]:
    """Every real calendar date written to the day in ``text``, in order of position.

    Two dates never overlap; a line break may fall between a date's parts (text taken from a
    PDF wraps), and a two-digit year keeps its two digits, because which century is meant
    depends on what the date is compared with.
    """
    found: dict[tuple[int, int], FoundDate] = {}
    for pattern in _FIND_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _month_number(groups["mon"]) if groups.get("mon") else int(groups["m"])
            day, year_text = int(groups["d"]), groups["y"]
            two_digit = len(year_text) == 2
            try:
                # 2000 is a leap year, so 29 February with a two-digit year is still accepted.
                date(2000 if two_digit else int(year_text), month, day)
            except ValueError:
                continue
            found.setdefault(
                (match.start(), match.end()),
                FoundDate(match.start(), match.end(), day, month, int(year_text), two_digit),
            )
    ordered = sorted(found.values(), key=lambda f: (f.start, f.start - f.end))
    kept: list[FoundDate] = []
    for candidate in ordered:
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    return kept
