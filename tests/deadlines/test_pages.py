from datetime import date, timedelta

from django.template import Context, Template
from django.urls import reverse

from casereview.deadlines.models import ClockReminder
from casereview.deadlines.services import board_today, clock_view, remind_once, reminder_kind
from casereview.lib.clocks import clock_status
from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import ClosureDay
from casereview.referrals import services
from tests.referrals.factories import make_referral


def test_the_calculator_works_out_a_due_date(world, as_user):
    page = as_user(world.manager).get(reverse("deadlines:calculator"), {
        "pack": "lscb-2015", "clock": "scr-decision", "start_0": "31", "start_1": "1", "start_2": "2024"}).text
    assert "Thursday 29 February 2024" in page and "2024-02-29" in page
    assert "Your board works to" in page and "rapid-review" in page


def test_the_calculator_uses_the_boards_closure_days(world, as_user):
    ClosureDay.objects.create(board=world.board, date=date(2026, 3, 9), reason="Training day")
    page = as_user(world.manager).get(reverse("deadlines:calculator"), {
        "pack": "wt-2018", "clock": "incident-notification", "start_0": "6", "start_1": "3", "start_2": "2026"}).text
    assert "2026-03-16" in page and "closure days were counted" in page


def test_the_calculator_explains_bad_input_in_the_error_summary(world, as_user):
    page = as_user(world.manager).get(reverse("deadlines:calculator"), {
        "pack": "wt-2018", "clock": "scr-decision", "start_0": "30", "start_1": "2", "start_2": "2026"}).text
    assert "govuk-error-summary" in page
    assert "The wt-2018 rule pack has no scr-decision clock. Choose one of: incident-notification" in page
    assert "Start date must be a real date" in page


def test_the_clock_include_shows_status_due_date_and_days(world):
    referral = make_referral(world, "received")
    view = clock_view(board=world.board, slugs=("scr-decision",), events={"referral-received": date(2026, 1, 31)},
                      today=date(2026, 2, 25))
    html = Template("{% load clocks %}{% clock view %}").render(Context({"view": view}))
    assert "Due within 5 days" in html and "28 February 2026" in html and "3 days left" in html
    met = clock_view(board=world.board, slugs=("scr-decision",), events={"referral-received": date(2026, 1, 31)},
                     met_on=date(2026, 3, 2), today=date(2026, 3, 5))
    html = Template("{% load clocks %}{% clock view %}").render(Context({"view": met}))
    assert "Met late" in html and "2 days late" in html
    assert referral.pk


def test_a_board_on_working_together_2018_runs_its_own_clocks(world, as_user):
    """The serious incident notification runs from the board being notified; the rapid review starts when the
    notification is sent to the national Panel, not when the referral is received."""
    world.board.rule_pack = "wt-2018"
    world.board.save()
    referral = make_referral(world, "received")
    page = as_user(world.manager).get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Serious incident notified to the national Panel" in page
    assert "Rapid review" not in page and "Decision on whether to initiate an SCR" not in page
    services.panel_log_add(by=world.manager, referral=referral, kind="incident_notified", on=board_today())
    page = as_user(world.manager).get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Rapid review completed and sent to the national Panel" in page
    assert "Met" in page  # the notification clock is met by the notification being sent


def test_reminders_come_before_and_on_the_due_date():
    due = date(2026, 5, 20)
    assert reminder_kind(clock_status(due, due - timedelta(days=6)), due - timedelta(days=6)) is None
    assert reminder_kind(clock_status(due, due - timedelta(days=5)), due - timedelta(days=5)) == "before"
    assert reminder_kind(clock_status(due, due), due) == "on"
    assert reminder_kind(clock_status(due, due + timedelta(days=2)), due + timedelta(days=2)) == "on"
    assert reminder_kind(clock_status(due, due, met_on=due), due) is None


def test_a_reminder_is_sent_once(world):
    referral = make_referral(world, "received")
    kwargs = {"board_id": world.board.pk, "about": referral, "clock": "scr-decision", "due": board_today(),
              "kind": "on", "recipients": ["a@testshire.example", "a@testshire.example", ""],
              "subject": "Reminder", "body": "Due today"}
    assert remind_once(**kwargs) is True
    assert remind_once(**kwargs) is False
    assert ClockReminder.objects.count() == 1
    assert OutboundEmail.objects.filter(subject="Reminder").count() == 1
