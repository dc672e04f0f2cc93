"""Dates, times, sizes and counts as people read them everywhere in the service (GOV.UK style)."""

from datetime import UTC, date, datetime

from casereview.lib import formats


def test_dates_are_written_the_gov_uk_way():
    assert formats.long_date(date(2026, 3, 3)) == "3 March 2026"
    assert formats.short_date(date(2026, 3, 3)) == "3 Mar 2026"
    assert formats.month_year(date(2026, 3, 3)) == "March 2026"
    assert formats.weekday_date(date(2026, 3, 2)) == "Monday 2 March 2026"
    assert formats.long_date(None, "Not set") == "Not set"


def test_times_are_local_and_drop_needless_minutes():
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)  # 2:05pm in London (BST)
    assert formats.long_datetime(summer) == "1 July 2026 at 2:05pm"
    assert formats.time_of_day(datetime(2026, 1, 5, 10, 0, tzinfo=UTC)) == "10am"
    assert formats.time_of_day(datetime(2026, 1, 5, 12, 0, tzinfo=UTC)) == "midday"
    late = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already the next day in London
    assert formats.long_date(late) == "2 July 2026"


def test_sizes_and_counts():
    assert formats.file_size(20 * 1024 * 1024) == "20 MB"
    assert formats.file_size(1536 * 1024) == "1.5 MB"
    assert formats.file_size(1) == "1 byte"
    assert formats.count(1, "plan") == "1 plan"
    assert formats.count(3, "action") == "3 actions"
    assert formats.count(2, "summary", "summaries") == "2 summaries"
