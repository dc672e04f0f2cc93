from datetime import date, datetime, time, timedelta

import pytest

from casereview.lib.chrono_dates import (
    DateParseError,
    FuzzyDate,
    TimeParseError,
    find_dates,
    parse_event_date,
    parse_time,
)

TODAY = date(2025, 6, 1)


def parse(value: object) -> FuzzyDate:
    return parse_event_date(value, today=TODAY)


# --- numeric text dates -----------------------------------------------------


def test_it_reads_dd_mm_yyyy():
    assert parse("12/03/2014") == FuzzyDate(2014, 3, 12)


def test_it_never_reads_numeric_dates_the_american_way():
    assert parse("03/12/2014") == FuzzyDate(2014, 12, 3)


def test_it_reads_single_digit_day_and_month():
    assert parse("1/3/2014") == FuzzyDate(2014, 3, 1)


def test_it_reads_dots_and_dashes_as_separators_like_chronolator():
    assert parse("22.05/16") == FuzzyDate(2016, 5, 22)


def test_it_puts_a_two_digit_year_in_this_century_when_that_is_not_in_the_future():
    assert parse("12/3/14") == FuzzyDate(2014, 3, 12)


def test_it_puts_a_two_digit_year_in_the_last_century_when_this_one_is_in_the_future():
    assert parse("12/3/68") == FuzzyDate(1968, 3, 12)


def test_it_compares_the_whole_date_when_choosing_the_century_of_a_two_digit_year():
    assert parse("1/6/25") == FuzzyDate(2025, 6, 1)
    assert parse("2/6/25") == FuzzyDate(1925, 6, 2)


def test_it_uses_the_real_today_for_two_digit_years_by_default():
    assert parse_event_date("1/1/00") == FuzzyDate(2000, 1, 1)


def test_it_reads_iso_dates():
    assert parse("2014-03-12") == FuzzyDate(2014, 3, 12)


def test_it_ignores_a_time_appended_by_a_system_export():
    assert parse("12/03/2014 14:30") == FuzzyDate(2014, 3, 12)
    assert parse("2014-03-12T14:30:00") == FuzzyDate(2014, 3, 12)


# --- dates with month names -------------------------------------------------


@pytest.mark.parametrize(
    "text", ["12 March 2014", "12 Mar 2014", "12-Mar-14", "12-Mar-2014", "12th March 2014", "12 MARCH 2014"]
)
def test_it_reads_a_day_with_a_month_name(text):
    assert parse(text) == FuzzyDate(2014, 3, 12)


@pytest.mark.parametrize("text", ["March 2014", "Mar 2014", "march 2014"])
def test_it_reads_a_month_name_and_year_as_month_precision(text):
    fuzzy = parse(text)
    assert fuzzy == FuzzyDate(2014, 3)
    assert fuzzy.precision == "month"


def test_it_reads_iso_year_and_month_as_month_precision():
    assert parse("2014-03") == FuzzyDate(2014, 3)


def test_it_reads_month_slash_year_as_month_precision():
    assert parse("3/2014") == FuzzyDate(2014, 3)


def test_it_reads_a_bare_year_as_year_precision():
    fuzzy = parse("2014")
    assert fuzzy == FuzzyDate(2014)
    assert fuzzy.precision == "year"


def test_it_refuses_a_month_abbreviation_with_a_two_digit_year_as_ambiguous():
    with pytest.raises(DateParseError, match="'Mar-14' is not a date"):
        parse("Mar-14")


def test_it_refuses_an_unknown_month_name():
    with pytest.raises(DateParseError, match="is not a date"):
        parse("12 Marchember 2014")


# --- uncertainty ------------------------------------------------------------


def test_it_marks_a_date_with_a_leading_question_mark_as_uncertain():
    assert parse("?12/03/2014") == FuzzyDate(2014, 3, 12, uncertain=True)


def test_it_allows_a_space_after_the_question_mark():
    assert parse("? March 2014") == FuzzyDate(2014, 3, uncertain=True)


def test_it_asks_for_a_trailing_question_mark_to_be_moved_to_the_start():
    with pytest.raises(DateParseError, match=r"put the \? at the start"):
        parse("12/03/2014?")


# --- values from Excel ------------------------------------------------------


def test_it_reads_an_excel_date_cell():
    assert parse(date(2014, 3, 12)) == FuzzyDate(2014, 3, 12)


def test_it_reads_an_excel_datetime_cell_as_its_day():
    assert parse(datetime(2014, 3, 12, 23, 59)) == FuzzyDate(2014, 3, 12)


def test_it_reads_an_excel_serial_number():
    assert parse(41710) == FuzzyDate(2014, 3, 12)


def test_it_ignores_the_time_part_of_an_excel_serial_number():
    assert parse(41710.75) == FuzzyDate(2014, 3, 12)


def test_it_reads_excel_serial_numbers_either_side_of_the_1900_leap_year_bug():
    assert parse(1) == FuzzyDate(1900, 1, 1)
    assert parse(59) == FuzzyDate(1900, 2, 28)
    assert parse(61) == FuzzyDate(1900, 3, 1)


def test_it_refuses_excels_fictitious_29_february_1900():
    with pytest.raises(DateParseError, match="29 February 1900"):
        parse(60)


def test_it_reads_a_year_typed_into_a_general_cell_as_year_precision():
    assert parse(2014.0) == FuzzyDate(2014)


def test_it_refuses_a_serial_number_outside_the_supported_years():
    with pytest.raises(DateParseError, match="-5 is not a date"):
        parse(-5)


def test_it_refuses_true_or_false():
    with pytest.raises(DateParseError, match="is not a date"):
        parse(True)


# --- invalid input ----------------------------------------------------------


def test_it_says_when_a_day_does_not_exist_in_the_month():
    with pytest.raises(DateParseError, match="31/02/2014 is not a real date: February 2014 has 28 days"):
        parse("31/02/2014")


def test_it_knows_leap_years():
    assert parse("29/02/2016") == FuzzyDate(2016, 2, 29)


def test_it_says_when_the_month_does_not_exist():
    with pytest.raises(DateParseError, match="there is no month 13"):
        parse("12/13/2014")


def test_it_lists_the_accepted_formats_for_text_that_is_not_a_date():
    with pytest.raises(DateParseError) as error:
        parse("next week")
    assert str(error.value).startswith("'next week' is not a date: use dd/mm/yyyy, d/m/yy, yyyy-mm-dd")


def test_it_refuses_a_blank_date():
    with pytest.raises(DateParseError, match="blank"):
        parse("  ")


def test_it_refuses_an_implausible_year():
    with pytest.raises(DateParseError, match="between 1900 and 2100"):
        parse("12/03/0214")


def test_its_date_errors_are_value_errors():
    assert issubclass(DateParseError, ValueError)


# --- FuzzyDate --------------------------------------------------------------


def test_it_derives_precision_from_the_parts_given():
    assert [FuzzyDate(2014, 3, 12).precision, FuzzyDate(2014, 3).precision, FuzzyDate(2014).precision] == [
        "day",
        "month",
        "year",
    ]


def test_it_writes_iso_at_each_precision():
    assert [FuzzyDate(2014, 3, 12).iso(), FuzzyDate(2014, 3).iso(), FuzzyDate(2014).iso()] == [
        "2014-03-12",
        "2014-03",
        "2014",
    ]


def test_it_prefixes_iso_with_a_question_mark_when_uncertain():
    assert FuzzyDate(2014, 3, uncertain=True).iso() == "?2014-03"


def test_its_iso_text_parses_back_to_the_same_date():
    for fuzzy in (FuzzyDate(2014, 3, 12, uncertain=True), FuzzyDate(2014, 3), FuzzyDate(2014)):
        assert parse(fuzzy.iso()) == fuzzy


def test_it_sorts_a_month_before_the_days_in_it():
    assert FuzzyDate(2014, 3).sort_key() < FuzzyDate(2014, 3, 1).sort_key()


def test_it_sorts_a_year_before_the_months_in_it():
    assert FuzzyDate(2014).sort_key() < FuzzyDate(2014, 1).sort_key()


def test_it_sorts_by_calendar_order_across_precisions():
    dates = [
        FuzzyDate(2015),
        FuzzyDate(2014, 3, 12),
        FuzzyDate(2014, 3),
        FuzzyDate(2014),
        FuzzyDate(2014, 2, 28),
    ]
    assert sorted(dates, key=FuzzyDate.sort_key) == [
        FuzzyDate(2014),
        FuzzyDate(2014, 2, 28),
        FuzzyDate(2014, 3),
        FuzzyDate(2014, 3, 12),
        FuzzyDate(2015),
    ]


def test_it_gives_the_first_possible_day():
    assert [
        FuzzyDate(2014, 3, 12).first_day(),
        FuzzyDate(2014, 3).first_day(),
        FuzzyDate(2014).first_day(),
    ] == [
        date(2014, 3, 12),
        date(2014, 3, 1),
        date(2014, 1, 1),
    ]


def test_it_displays_dates_as_a_reader_expects():
    assert [FuzzyDate(2014, 3, 2).display(), FuzzyDate(2014, 3).display(), FuzzyDate(2014).display()] == [
        "2 March 2014",
        "March 2014",
        "2014",
    ]


def test_it_displays_uncertain_dates_as_uncertain():
    assert FuzzyDate(2014, 3, 12, uncertain=True).display() == "12 March 2014 (uncertain)"


def test_it_refuses_to_construct_an_unreal_date():
    with pytest.raises(DateParseError, match="February 2014 has 28 days"):
        FuzzyDate(2014, 2, 30)


def test_it_refuses_a_day_without_a_month():
    with pytest.raises(DateParseError, match="a day needs a month"):
        FuzzyDate(2014, None, 3)


def test_it_is_immutable():
    with pytest.raises(AttributeError):
        FuzzyDate(2014).year = 2015  # type: ignore[misc]


# --- times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("9:05", time(9, 5)),
        ("14:30:15", time(14, 30, 15)),
        ("14.30", time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2:30 PM", time(14, 30)),
        ("2.30 p.m.", time(14, 30)),
        ("2pm", time(14)),
        ("9am", time(9)),
        ("1430", time(14, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("1430hrs", time(14, 30)),
    ],
)
def test_it_reads_times_as_practitioners_write_them(text, expected):
    assert parse_time(text) == expected


def test_it_reads_12am_as_midnight_and_12pm_as_noon():
    assert (parse_time("12am"), parse_time("12pm")) == (time(0), time(12))


def test_it_reads_an_excel_time_cell():
    assert parse_time(time(14, 30)) == time(14, 30)


def test_it_reads_an_excel_day_fraction():
    assert parse_time(0.5) == time(12)


def test_it_rounds_excel_day_fractions_to_the_second():
    assert parse_time(14.5 / 24 - 1e-9) == time(14, 30)


def test_it_reads_an_excel_duration_under_a_day():
    assert parse_time(timedelta(hours=14, minutes=30)) == time(14, 30)


def test_it_reads_a_time_typed_as_a_number_into_a_general_cell():
    assert parse_time(1430.0) == time(14, 30)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_it_reads_a_blank_time_as_none(blank):
    assert parse_time(blank) is None


def test_it_says_when_the_hour_does_not_exist():
    with pytest.raises(TimeParseError, match="'25:00' is not a real time: hours go up to 23"):
        parse_time("25:00")


def test_it_says_when_the_minute_does_not_exist():
    with pytest.raises(TimeParseError, match="minutes and seconds go up to 59"):
        parse_time("14:60")


def test_it_refuses_a_24_hour_clock_hour_with_am_or_pm():
    with pytest.raises(TimeParseError, match="hour must be 1 to 12"):
        parse_time("13pm")


def test_it_refuses_a_bare_hour_as_probably_a_slip():
    with pytest.raises(TimeParseError, match="'14' is not a time"):
        parse_time("14")


def test_it_lists_the_accepted_formats_for_text_that_is_not_a_time():
    with pytest.raises(TimeParseError, match="'after lunch' is not a time: use 14:30, 2:30pm or 1430"):
        parse_time("after lunch")


def test_it_refuses_a_date_in_a_time_column():
    with pytest.raises(TimeParseError, match="is a date, not a time"):
        parse_time(datetime(2014, 3, 12, 14, 30))


def test_it_refuses_an_excel_number_of_a_day_or_more():
    with pytest.raises(TimeParseError, match="1.5 is not a time"):
        parse_time(1.5)


# --- dates in running text (shared with the publication check) -------------


@pytest.mark.parametrize("text", ["03MAR2012", "3/Mar/2012", "3-March-2012", "3rd of March 2012"])
def test_it_reads_a_day_and_month_name_written_any_way(text):
    assert parse(text) == FuzzyDate(2012, 3, 3)


def test_it_reads_a_two_digit_year_after_an_apostrophe():
    assert parse_event_date("3 March '12", today=date(2026, 1, 1)) == FuzzyDate(2012, 3, 3)


def test_it_finds_every_full_date_in_running_text():
    text = "Seen 3-Mar-2012, again on 12/03/14, and on March 4, 2015; never in May 2016 or on 31/02/2014."

    found = find_dates(text)

    assert [text[f.start : f.end] for f in found] == ["3-Mar-2012", "12/03/14", "March 4, 2015"]
    assert [(f.day, f.month, f.year, f.two_digit_year) for f in found] == [
        (3, 3, 2012, False),
        (12, 3, 14, True),
        (4, 3, 2015, False),
    ]


def test_it_finds_a_date_broken_across_lines():
    [found] = find_dates("born on 3 March\n2012 in Anytown")

    assert found.as_date() == date(2012, 3, 3)
