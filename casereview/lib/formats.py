"""How dates, times and sizes are written everywhere people read them: pages, letters, exports, emails.

GOV.UK style: "3 March 2026", "3 March 2026 at 2:05pm" (whole hours "10am"), "20 MB", "1 plan". Templates use the filters of the same name
in `casereview.core.templatetags.casereview` (`|long_date`, `|long_datetime`, `|file_size`).
"""

from datetime import date, datetime

from .dates import BOARD_TIME_ZONE


def long_date(value: date | datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.day} {value:%B %Y}"


def short_date(value: date | datetime | None, empty: str = "") -> str:
    """For tables where space is short: "3 Mar 2026"."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.day} {value:%b %Y}"


def long_datetime(value: datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    local = _local(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    elif local.minute == 0:
        clock = f"{hour}{suffix}"
    else:
        clock = f"{hour}:{local.minute:02d}{suffix}"
    return f"{long_date(local.date())} at {clock}"


def file_size(size: int) -> str:
    """Whole units when exact ("20 MB", "512 KB"), one decimal otherwise ("1.5 MB")."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            amount = size / scale
            return f"{amount:.0f} {unit}" if size % scale == 0 else f"{amount:.1f} {unit}"
    return "1 byte" if size == 1 else f"{size} bytes"


def _local(value: datetime) -> datetime:
    return value.astimezone(BOARD_TIME_ZONE) if value.tzinfo else value


def count(number: int, singular: str, plural: str | None = None) -> str:
    """"1 plan", "3 plans", "0 actions": a number with its noun in the right form."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def month_year(value: date | datetime | None, empty: str = "") -> str:
    """"March 2026"."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value:%B %Y}"


def weekday_date(value: date | datetime | None, empty: str = "") -> str:
    """"Monday 2 March 2026"."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value:%A} {long_date(value)}"


def time_of_day(value: datetime | None, empty: str = "") -> str:
    """"2:05pm", "midday": the clock part of `long_datetime`."""
    if value is None:
        return empty
    return long_datetime(value).split(" at ", 1)[1]
