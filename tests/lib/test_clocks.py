import re
from datetime import date
from pathlib import Path

import pytest

import casereview
from casereview.lib.clocks import (
    DEFAULT_PACK,
    Clock,
    ClockStatus,
    Direction,
    Status,
    Unit,
    UnknownClock,
    UnknownPack,
    Verification,
    _parse_pack,
    add_calendar_months,
    add_working_days,
    available_packs,
    bank_holidays,
    clock_start,
    clock_status,
    due_date,
    get_pack,
    resolve_clock,
)

LSCB = "lscb-2015"
WT = "wt-2018"


def _due(pack: str, clock: str, start: date, **kwargs) -> date:
    return due_date(get_pack(pack).clock(clock), start, **kwargs)


# Rule packs


def test_it_ships_exactly_two_packs():
    assert [p.slug for p in available_packs()] == [LSCB, WT]


def test_default_pack_is_the_seed_pack():
    assert get_pack(DEFAULT_PACK).slug == LSCB


def test_lscb_2015_has_the_seed_clocks():
    assert [c.slug for c in get_pack(LSCB).clocks] == [
        "scr-decision",
        "panel-notice",
        "scr-completion",
        "prepublication-copy",
        "performance-committee-meeting",
        "action-plan-update",
        "publication-online",
    ]


def test_wt_2018_has_the_working_together_clocks():
    assert [c.slug for c in get_pack(WT).clocks] == [
        "incident-notification",
        "rapid-review",
        "practice-review-publication",
        "prepublication-copy",
        "action-plan-update",
    ]


def test_only_reminders_and_minimum_periods_are_informational():
    informational = {(p.slug, c.slug) for p in available_packs() for c in p.clocks if c.informational}
    assert informational == {
        (LSCB, "performance-committee-meeting"),
        (LSCB, "action-plan-update"),
        (LSCB, "publication-online"),
        (WT, "action-plan-update"),
    }


def test_every_clock_has_a_name_start_event_and_source():
    for pack in available_packs():
        assert pack.title and pack.description
        for clock in pack.clocks:
            assert clock.name and clock.start_event and clock.source


def test_seed_pack_clocks_are_marked_seed():
    assert {c.verification for c in get_pack(LSCB).clocks} == {Verification.SEED}


def test_the_framework_fixes_no_timescale_for_other_reviews():
    """CIRs, individual agency and learning reviews never run on the SCR's six months; the framework fixes no
    timescale for them, so the packs name none and the SCR Committee sets each review's target."""
    for pack in (LSCB, WT):
        for slug in ("cir-completion", "individual-agency-completion", "learning-review-completion"):
            with pytest.raises(UnknownClock):
                resolve_clock(pack, slug)


def test_every_pack_has_an_action_plan_update_clock_through_the_fallback():
    for pack in (LSCB, WT):
        assert resolve_clock(pack, "action-plan-update").amount == 3


def test_a_clock_starts_at_the_earliest_event_its_pack_names():
    decision = get_pack(LSCB).clock("scr-decision")
    assert decision.start_from == ("board-notified", "referral-received")
    events = {"board-notified": date(2026, 3, 2), "referral-received": date(2026, 3, 10)}
    assert clock_start(decision, events) == date(2026, 3, 2)
    assert clock_start(decision, {"board-notified": None, "referral-received": date(2026, 3, 10)}) == date(2026, 3,
                                                                                                           10)
    assert clock_start(decision, {}) is None
    rapid = get_pack(WT).clock("rapid-review")
    assert rapid.start_from == ("incident-notification-sent",)
    assert clock_start(rapid, events) is None


def test_a_pack_naming_an_unknown_start_event_is_refused():
    text = PACK_TOML.format(amount=2, unit="working_days").replace(
        'verification = "seed"', 'verification = "seed"\nstart_from = ["whenever"]')
    with pytest.raises(ValueError, match="unknown events"):
        _parse_pack(text)


def test_wt_2018_prepublication_copy_is_marked_not_verified():
    assert get_pack(WT).clock("prepublication-copy").verification == Verification.NOT_VERIFIED


def test_unknown_pack_error_lists_valid_packs():
    with pytest.raises(UnknownPack, match="'wt-2023'.*valid packs: lscb-2015, wt-2018"):
        get_pack("wt-2023")


def test_unknown_clock_error_lists_the_packs_clocks():
    with pytest.raises(UnknownClock) as excinfo:
        get_pack(LSCB).clock("rapid-review")
    assert excinfo.value.choices == [c.slug for c in get_pack(LSCB).clocks]
    assert "'lscb-2015' has no clock 'rapid-review'" in str(excinfo.value)
    assert "scr-decision, panel-notice" in str(excinfo.value)


def test_length_text_uses_singular_for_one():
    assert get_pack(LSCB).clock("scr-decision").length_text == "1 calendar month after"


def test_length_text_names_the_before_direction():
    assert get_pack(WT).clock("prepublication-copy").length_text == "7 working days before"


PACK_TOML = """
slug = "test"
title = "Test"
description = "Test pack"

[[clocks]]
slug = "a"
name = "A"
start_event = "Start"
amount = {amount}
unit = "{unit}"
direction = "after"
verification = "seed"
source = "Test"
"""


def test_pack_data_parses_into_typed_clocks():
    pack = _parse_pack(PACK_TOML.format(amount=2, unit="working_days"))
    assert pack.clock("a") == Clock(
        slug="a",
        name="A",
        start_event="Start",
        amount=2,
        unit=Unit.WORKING_DAYS,
        direction=Direction.AFTER,
        verification=Verification.SEED,
        source="Test",
    )


def test_pack_data_rejects_an_unknown_unit():
    with pytest.raises(ValueError, match="fortnights"):
        _parse_pack(PACK_TOML.format(amount=1, unit="fortnights"))


def test_pack_data_rejects_a_non_positive_amount():
    with pytest.raises(ValueError, match="not positive"):
        _parse_pack(PACK_TOML.format(amount=0, unit="calendar_days"))


def test_pack_data_rejects_a_repeated_clock_slug():
    text = PACK_TOML.format(amount=1, unit="calendar_days")
    clock_table = text[text.index("[[clocks]]") :]
    with pytest.raises(ValueError, match="repeats a clock slug"):
        _parse_pack(text + clock_table)


# Calendar months


def test_month_end_clamps_to_february_in_leap_year():
    assert add_calendar_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_month_end_clamps_to_february_in_common_year():
    assert add_calendar_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


def test_month_end_clamps_to_february_in_2100_which_is_not_leap():
    assert add_calendar_months(date(2100, 1, 31), 1) == date(2100, 2, 28)


def test_month_end_clamps_to_thirty_day_month():
    assert add_calendar_months(date(2024, 3, 31), 1) == date(2024, 4, 30)


def test_mid_month_day_is_kept():
    assert add_calendar_months(date(2024, 3, 15), 6) == date(2024, 9, 15)


def test_months_carry_into_next_year():
    assert add_calendar_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_negative_months_clamp_to_february_in_leap_year():
    assert add_calendar_months(date(2024, 8, 31), -6) == date(2024, 2, 29)


def test_negative_months_clamp_to_february_in_common_year():
    assert add_calendar_months(date(2025, 8, 31), -6) == date(2025, 2, 28)


def test_negative_months_carry_into_previous_year():
    assert add_calendar_months(date(2024, 1, 15), -1) == date(2023, 12, 15)


# Working days


def test_working_days_do_not_count_the_start_day():
    assert add_working_days(date(2024, 3, 4), 1) == date(2024, 3, 5)


def test_working_days_skip_the_weekend():
    assert add_working_days(date(2024, 3, 8), 1) == date(2024, 3, 11)


def test_working_days_from_a_saturday_start_on_monday():
    assert add_working_days(date(2024, 3, 9), 1) == date(2024, 3, 11)


def test_working_days_skip_christmas_and_boxing_day():
    assert add_working_days(date(2024, 12, 24), 1) == date(2024, 12, 27)


def test_working_days_skip_substitute_days_when_christmas_is_on_saturday_2021():
    # 25 and 26 Dec 2021 were a weekend, so Monday 27 and Tuesday 28 were bank holidays.
    assert add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_working_days_skip_substitute_day_when_christmas_is_on_sunday_2022():
    # Boxing Day 2022 was Monday 26, so Christmas was substituted on Tuesday 27.
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_working_days_skip_new_year_substitute_across_the_year_end():
    # 1 Jan 2022 was a Saturday; Monday 3 Jan was the substitute.
    assert add_working_days(date(2021, 12, 31), 1) == date(2022, 1, 4)


def test_working_days_skip_good_friday_and_easter_monday_2024():
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_working_days_skip_the_early_may_bank_holiday():
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 7)


def test_working_days_skip_extra_closure_days():
    assert add_working_days(date(2024, 3, 4), 1, extra_closures={date(2024, 3, 5)}) == date(2024, 3, 6)


def test_negative_working_days_count_back_over_easter():
    assert add_working_days(date(2024, 4, 2), -1) == date(2024, 3, 28)


def test_england_and_wales_bank_holidays_2024():
    assert bank_holidays(2024) == {
        date(2024, 1, 1),
        date(2024, 3, 29),
        date(2024, 4, 1),
        date(2024, 5, 6),
        date(2024, 5, 27),
        date(2024, 8, 26),
        date(2024, 12, 25),
        date(2024, 12, 26),
    }


def test_bank_holidays_exclude_scotland_only_days():
    # 2 January and St Andrew's Day are Scottish bank holidays only.
    assert date(2024, 1, 2) not in bank_holidays(2024)
    assert date(2024, 12, 2) not in bank_holidays(2024)


def test_bank_holidays_are_built_once_per_year():
    assert bank_holidays(2024) is bank_holidays(2024)


# Due dates


def test_scr_decision_from_31_january_2024_is_29_february():
    assert _due(LSCB, "scr-decision", date(2024, 1, 31)) == date(2024, 2, 29)


def test_panel_notice_is_14_calendar_days_after_the_decision():
    assert _due(LSCB, "panel-notice", date(2024, 3, 1)) == date(2024, 3, 15)


def test_scr_completion_clamps_six_months_to_february():
    assert _due(LSCB, "scr-completion", date(2024, 8, 31)) == date(2025, 2, 28)


def test_performance_committee_meets_six_weeks_later():
    assert _due(LSCB, "performance-committee-meeting", date(2024, 1, 10)) == date(2024, 2, 21)


def test_lscb_prepublication_copy_is_7_calendar_days_before_publication():
    assert _due(LSCB, "prepublication-copy", date(2024, 12, 31)) == date(2024, 12, 24)


def test_incident_notification_skips_easter_2024():
    # Thu 28 Mar, (Good Friday, weekend, Easter Monday), Tue 2, Wed 3, Thu 4, Fri 5 Apr.
    assert _due(WT, "incident-notification", date(2024, 3, 27)) == date(2024, 4, 5)


def test_rapid_review_is_15_working_days_after_notification():
    assert _due(WT, "rapid-review", date(2024, 4, 5)) == date(2024, 4, 26)


def test_wt_prepublication_copy_counts_back_over_christmas():
    # Mon 30, Fri 27, (Boxing Day, Christmas), Tue 24, Mon 23, Fri 20, Thu 19, Wed 18 Dec.
    assert _due(WT, "prepublication-copy", date(2024, 12, 31)) == date(2024, 12, 18)


def test_extra_closures_move_a_working_day_clock():
    closures = {date(2024, 4, 2)}
    assert _due(WT, "incident-notification", date(2024, 3, 27), extra_closures=closures) == date(2024, 4, 8)


def test_extra_closures_do_not_move_a_calendar_day_clock():
    closures = {date(2024, 3, 15)}
    assert _due(LSCB, "panel-notice", date(2024, 3, 1), extra_closures=closures) == date(2024, 3, 15)


# Clock status

TODAY = date(2024, 6, 10)


def test_due_today_is_due_soon():
    status = clock_status(TODAY, TODAY)
    assert (status.status, status.days_left) == (Status.DUE_SOON, 0)


def test_due_in_5_days_is_due_soon():
    status = clock_status(date(2024, 6, 15), TODAY)
    assert (status.status, status.days_left) == (Status.DUE_SOON, 5)


def test_due_in_6_days_is_on_track():
    status = clock_status(date(2024, 6, 16), TODAY)
    assert (status.status, status.days_left) == (Status.ON_TRACK, 6)


def test_due_yesterday_is_overdue_with_negative_days_left():
    status = clock_status(date(2024, 6, 9), TODAY)
    assert (status.status, status.days_left) == (Status.OVERDUE, -1)


def test_met_on_the_due_date_is_met():
    status = clock_status(date(2024, 6, 1), TODAY, met_on=date(2024, 6, 1))
    assert (status.status, status.met_on) == (Status.MET, date(2024, 6, 1))


def test_met_after_the_due_date_is_met_late():
    status = clock_status(date(2024, 6, 1), TODAY, met_on=date(2024, 6, 3))
    assert (status.status, status.days_left) == (Status.MET_LATE, -2)


def test_met_early_stays_met_after_the_due_date_passes():
    status = clock_status(date(2024, 6, 1), TODAY, met_on=date(2024, 5, 28))
    assert (status.status, status.days_left) == (Status.MET, 4)


@pytest.mark.parametrize(
    ("due", "met_on", "label", "tag_class"),
    [
        (date(2024, 7, 1), None, "On track", "govuk-tag govuk-tag--green"),
        (date(2024, 6, 12), None, "Due within 5 days", "govuk-tag govuk-tag--yellow"),
        (date(2024, 6, 1), None, "Overdue", "govuk-tag govuk-tag--red"),
        (date(2024, 6, 1), date(2024, 6, 1), "Met", "govuk-tag"),
        (date(2024, 6, 1), date(2024, 6, 2), "Met late", "govuk-tag govuk-tag--orange"),
    ],
)
def test_status_has_label_and_govuk_tag_class(due, met_on, label, tag_class):
    status = clock_status(due, TODAY, met_on=met_on)
    assert (status.label, status.tag_class) == (label, tag_class)


def test_tag_classes_exist_in_the_vendored_govuk_frontend():
    css = (Path(casereview.__file__).parent / "static/govuk-frontend/govuk-frontend.min.css").read_text()
    defined = set(re.findall(r"\.(govuk-tag(?:--[a-z-]+)?)\{", css))
    for status in Status:
        tag_class = ClockStatus(due=TODAY, days_left=0, met_on=None, status=status).tag_class
        assert set(tag_class.split()) <= defined, tag_class
