"""Time travel: quarters run from the handover, reminders go before the due date and chasers after, and an
action becomes overdue by itself once its target date passes."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from casereview.actions import services
from casereview.actions.cycles import cycle_due_date, cycles_through
from casereview.actions.models import Action
from casereview.lib.clocks import get_pack
from casereview.notifications.models import OutboundEmail
from tests.actions.factories import monitored_plan

CLOCK = get_pack("lscb-2015").clock("action-plan-update")


def test_quarters_count_from_the_handover_without_drifting():
    handover = date(2026, 1, 31)
    assert [cycle_due_date(CLOCK, handover, n) for n in (1, 2, 3, 4)] == [
        date(2026, 4, 30), date(2026, 7, 31), date(2026, 10, 31), date(2027, 1, 31)]
    assert cycles_through(CLOCK, handover, date(2026, 5, 1))[-1] == (2, date(2026, 4, 30), date(2026, 7, 31))


@pytest.fixture
def plan(world):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        return monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))


def test_quarters_are_generated_as_time_passes(world, plan):
    assert list(plan.cycles.values_list("number", "due_date")) == [(1, date(2026, 4, 30))]
    with time_machine.travel(date(2026, 8, 2), tick=False):
        call_command("send_action_reminders", stdout=open("/dev/null", "w"))
    assert list(plan.cycles.values_list("number", "due_date")) == [
        (1, date(2026, 4, 30)), (2, date(2026, 7, 31)), (3, date(2026, 10, 31))]


def test_owners_are_reminded_before_the_due_date_once(world, plan):
    with time_machine.travel(date(2026, 4, 20), tick=False):
        assert services.reminders_send() == {"reminders": 0, "chasers": 0}  # not due soon yet
    with time_machine.travel(date(2026, 4, 27), tick=False):
        assert services.reminders_send() == {"reminders": 1, "chasers": 0}
        assert services.reminders_send() == {"reminders": 0, "chasers": 0}
    email = OutboundEmail.objects.get(subject__contains="update for TREV-1")  # (the review's own emails aside)
    assert email.to == world.author_a.email
    assert email.subject == "Due 30 April 2026: quarter 1 update for TREV-1"
    assert "1.1" in email.body and "2.1" in email.body


def test_missing_updates_are_chased_after_the_due_date_with_the_agency_lead(world, plan):
    action = plan.actions.first()
    with time_machine.travel(date(2026, 4, 10), tick=False):
        services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                      status="in_progress", percent_complete=10, rag="green", narrative="")
    with time_machine.travel(date(2026, 5, 1), tick=False):
        sent = services.reminders_send()
    assert sent["chasers"] == 2  # the owner and agency A's safeguarding lead
    chasers = OutboundEmail.objects.filter(subject__startswith="Overdue: quarter 1")
    assert {e.to for e in chasers} == {world.author_a.email, world.lead_a.email}
    body = chasers.first().body
    assert "2.1" in body and "1.1" not in body  # 1.1 was updated in time
    with time_machine.travel(date(2026, 5, 2), tick=False):
        assert services.reminders_send()["chasers"] == 0


def test_a_late_update_counts_for_the_quarter_it_was_chased_for(world, plan):
    action = plan.actions.first()
    with time_machine.travel(date(2026, 5, 3), tick=False):
        update = services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                               status="in_progress", percent_complete=10, rag="green", narrative="")
    assert update.cycle.number == 1
    with time_machine.travel(date(2026, 5, 20), tick=False):
        update = services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                               status="in_progress", percent_complete=20, rag="green", narrative="")
    assert update.cycle.number == 2


def test_an_action_becomes_overdue_by_itself(world, plan, as_user):
    action = plan.actions.first()
    url = reverse("actions:action_detail", args=[action.pk])
    with time_machine.travel(date(2026, 6, 30), tick=False):
        assert not Action.objects.get(pk=action.pk).is_overdue
        assert not Action.objects.overdue(date(2026, 6, 30)).exists()
        assert "This action is overdue" not in as_user(world.manager).get(url).content.decode()
    with time_machine.travel(date(2026, 7, 1), tick=False):
        assert Action.objects.get(pk=action.pk).is_overdue
        assert Action.objects.overdue(date(2026, 7, 1)).count() == 2
        annotated = Action.objects.annotate_overdue(date(2026, 7, 1)).get(pk=action.pk)
        assert annotated.is_overdue_db
        assert "This action is overdue: its target date was 30 June 2026" in as_user(world.manager).get(url).content.decode()


def test_completing_an_action_stops_it_being_overdue(world, plan):
    action = plan.actions.first()
    with time_machine.travel(date(2026, 8, 1), tick=False):
        services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk), status="complete",
                                      percent_complete=100, rag="green", narrative="")
        assert not Action.objects.get(pk=action.pk).is_overdue
        assert Action.objects.overdue(date(2026, 8, 1)).count() == 1
