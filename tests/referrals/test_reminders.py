"""Chasing agencies and reminding before and on due dates: by the command cron runs and the worker's task."""

from datetime import timedelta

import time_machine
from django.core.management import call_command

from casereview.deadlines.models import ClockReminder
from casereview.deadlines.services import board_today
from casereview.lib.clocks import add_calendar_months
from casereview.notifications.models import OutboundEmail
from casereview.referrals.models import InformationRequest
from casereview.referrals.services import reminders_send
from casereview.referrals.tasks import send_reminders
from tests.referrals.factories import make_referral


def _request(world, referral, due):
    return InformationRequest.objects.create(referral=referral, agency=world.agency_a, requested_on=board_today(),
                                             due_on=due, requested_by=world.manager)


def test_an_overdue_return_is_chased_once_and_again_three_days_later(world, capsys):
    referral = make_referral(world, "received")
    req = _request(world, referral, board_today() - timedelta(days=1))
    call_command("send_reminders")
    assert "agencies chased: 1" in capsys.readouterr().out
    chasers = OutboundEmail.objects.filter(subject__startswith="Overdue", to=world.lead_a.email)
    assert chasers.count() == 1 and "Testshire Police" in chasers.get().body
    call_command("send_reminders")
    assert chasers.count() == 1
    later = board_today() + timedelta(days=3)
    call_command("send_reminders", today=later.isoformat())
    assert chasers.count() == 2
    req.refresh_from_db()
    assert req.chase_count == 2 and req.last_chased_on == later


def test_a_received_return_is_never_chased(world):
    referral = make_referral(world, "received")
    req = _request(world, referral, board_today() - timedelta(days=5))
    req.received_on = board_today()
    req.save()
    assert reminders_send()["chasers"] == 0


def test_clock_reminders_go_before_and_on_the_due_date_and_only_once(world):
    referral = make_referral(world, "received")
    due = add_calendar_months(referral.received_on, 1)
    assert reminders_send(today=due - timedelta(days=10))["clock_reminders"] == 0
    assert reminders_send(today=due - timedelta(days=4))["clock_reminders"] == 1
    assert reminders_send(today=due - timedelta(days=3))["clock_reminders"] == 0
    assert reminders_send(today=due)["clock_reminders"] == 1
    assert reminders_send(today=due)["clock_reminders"] == 0
    kinds = set(ClockReminder.objects.filter(clock="scr-decision").values_list("kind", flat=True))
    assert kinds == {"before", "on"}
    subjects = list(OutboundEmail.objects.filter(subject__startswith="Reminder").values_list("subject", flat=True))
    assert any("is due today" in s for s in subjects) and any("4 days left" in s for s in subjects)
    recipients = set(OutboundEmail.objects.filter(subject__startswith="Reminder").values_list("to", flat=True))
    assert world.manager.email in recipients and world.chair.email in recipients


def test_the_periodic_task_does_the_same_job(world):
    referral = make_referral(world, "received")
    _request(world, referral, board_today() - timedelta(days=1))
    result = send_reminders.enqueue()
    assert result.return_value == {"clock_reminders": 0, "chasers": 1}


def test_the_worker_runs_the_job_at_seven_every_morning(world):
    from datetime import datetime

    from casereview.core.huey_app import CLAIM, huey
    from casereview.referrals import periodic

    # One worker claims each scheduled minute in the queue's store, which outlives a test run: forget an earlier
    # run's claim, or the schedule looks "not due" the second time the suite runs.
    huey.storage.pop_data(f"{CLAIM}casereview.referrals.periodic.referral_reminders:202603020700")
    schedule = periodic.referral_reminders.task_class()
    assert schedule.validate_datetime(datetime(2026, 3, 2, 7, 0))
    assert not schedule.validate_datetime(datetime(2026, 3, 2, 8, 0))
    referral = make_referral(world, "received")
    _request(world, referral, board_today() - timedelta(days=1))
    periodic.referral_reminders.call_local()
    assert OutboundEmail.objects.filter(subject__startswith="Overdue").count() == 1


def test_clocks_on_the_page_change_status_as_time_passes(world, as_user):
    from django.urls import reverse

    referral = make_referral(world, "received")
    due = add_calendar_months(referral.received_on, 1)
    url = reverse("referrals:detail", args=[referral.pk])
    with time_machine.travel(due - timedelta(days=2), tick=False):
        page = as_user(world.manager).get(url).text
        assert "Due within 5 days" in page and "2 days left" in page
    with time_machine.travel(due + timedelta(days=3), tick=False):
        page = as_user(world.manager).get(url).text
        assert "govuk-tag--red" in page and "3 days overdue" in page
