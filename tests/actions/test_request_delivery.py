"""Requests to agencies in an action plan (to propose actions for an outcome; quarterly updates) never go
silently nowhere: an agency or owner nobody can reach is named on the page, the request shows as not
delivered and is not counted as sent, no email goes to nobody, and it is sent once someone can receive it."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casereview.actions import services
from casereview.actions.models import ActionPlan, DesiredOutcome, UpdateCycle
from casereview.audit.models import AuditEvent
from casereview.notifications.models import OutboundEmail
from casereview.partnership.roles import Role
from tests.actions.factories import monitored_plan, review
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambulance(world):
    """An agency with nobody to receive a request: its only lead has left, and a practitioner does not count."""
    agency = AgencyFactory(board=world.board, name="Testshire Ambulance", short_code="TAMB")
    UserFactory(board=world.board, agency=agency, username="gone-lead", roles=[Role.AGENCY_LEAD], is_active=False)
    UserFactory(board=world.board, agency=agency, username="amb-prac", roles=[Role.PRACTITIONER])
    return agency


@pytest.fixture
def plan(world, ambulance):
    """A draft plan: outcomes for agency A (a lead and an author), agency B (an author) and the ambulance."""
    plan = services.plan_create_from_review(by=world.manager, review=review(world, recommendations=2))
    first, second = plan.recommendations.order_by("number")
    services.outcome_add(by=world.manager, recommendation=first, agency=world.agency_a, text="Seen alone")
    services.outcome_add(by=world.manager, recommendation=first, agency=world.agency_b, text="Records shared")
    services.outcome_add(by=world.manager, recommendation=second, agency=ambulance, text="Referrals made")
    return plan


def test_adding_an_outcome_names_the_agency_nobody_can_receive_the_request_at(world, as_user, plan):
    before = set(OutboundEmail.objects.values_list("pk", flat=True))  # the review's own hand-off emails
    rec = plan.recommendations.first()
    page = as_user(world.manager).get(reverse("actions:outcome_add", args=[plan.pk, rec.pk])).text
    assert "Nobody can receive the request at Testshire Ambulance" in page
    assert reverse("partnership:person_create") in page
    assert not OutboundEmail.objects.exclude(pk__in=before).exists()  # adding an outcome asks nobody yet


def test_asking_the_agencies_says_which_request_was_not_delivered_and_emails_nobody_there(world, as_user, plan):
    before = set(OutboundEmail.objects.values_list("pk", flat=True))  # the review's own hand-off emails
    client = as_user(world.manager)
    detail = reverse("actions:plan_detail", args=[plan.pk])
    page = client.get(detail).text
    assert "3 desired outcomes not yet sent to their agencies" in page
    assert "Nobody can receive the request at Testshire Ambulance" in page

    page = client.post(reverse("actions:actions_request", args=[plan.pk]), follow=True).text
    assert ("Asked 2 agencies to propose actions. Not delivered to Testshire Ambulance: nobody there is set up "
            "to receive it") in page
    assert "2 of 3 requests to propose actions delivered" in page
    assert "Request not delivered" in page
    assert "Ask the agencies to propose actions" not in page  # everyone has been asked
    recipients = set(OutboundEmail.objects.exclude(pk__in=before).values_list("to", flat=True))
    assert recipients == {world.author_a.email, world.lead_a.email, world.author_b.email}
    ambulance_outcome = DesiredOutcome.objects.get(agency__short_code="TAMB")
    assert ambulance_outcome.request_not_delivered
    event = AuditEvent.objects.get(action="action_plan.actions_requested")
    assert event.detail["not_delivered"] == ["TAMB"]

    page = client.post(reverse("actions:actions_request", args=[plan.pk]), follow=True).text
    assert "Every agency with a desired outcome has already been asked" in page
    assert OutboundEmail.objects.exclude(pk__in=before).count() == 3


def test_a_request_nobody_received_is_sent_the_morning_after_someone_is_added(world, as_user, plan, ambulance):
    services.actions_request(by=world.manager, plan=plan)
    with time_machine.travel("2026-03-03 07:15 +0000", tick=False):
        services.reminders_send()
    assert not DesiredOutcome.objects.get(agency=ambulance).request_delivered
    lead = UserFactory(board=world.board, agency=ambulance, username="amb-lead", roles=[Role.AGENCY_LEAD])
    with time_machine.travel("2026-03-04 07:15 +0000", tick=False):
        services.reminders_send()
        services.reminders_send()  # safe to run again: one email
    outcome = DesiredOutcome.objects.get(agency=ambulance)
    assert outcome.request_delivered_to == lead.email
    assert OutboundEmail.objects.filter(to=lead.email, subject__startswith="Actions to propose").count() == 1
    page = as_user(world.manager).get(reverse("actions:plan_detail", args=[plan.pk])).text
    assert "Request not delivered" not in page and "requests to propose actions delivered" not in page


@pytest.fixture
def monitored(world):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))
    OutboundEmail.objects.all().delete()
    return plan


def test_an_owner_who_cannot_receive_email_is_named_and_not_counted_as_reminded(world, as_user, monitored):
    world.author_a.is_active = False
    world.author_a.save(update_fields=["is_active"])
    with time_machine.travel(date(2026, 4, 20), tick=False):
        page = as_user(world.manager).get(reverse("actions:plan_detail", args=[monitored.pk])).text
    assert "Quarterly update requests cannot be delivered for 2 actions" in page
    assert "is no longer active" in page
    assert reverse("partnership:person_edit", args=[world.author_a.pk]) in page

    with time_machine.travel(date(2026, 4, 27), tick=False):
        assert services.reminders_send() == {"reminders": 0, "chasers": 0}
    assert not OutboundEmail.objects.exists()
    cycle = UpdateCycle.objects.get(plan=monitored, number=1)
    assert sorted(cycle.not_delivered) == sorted(monitored.actions.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action="action_plan.update_not_delivered").count() == 1

    world.author_a.is_active = True
    world.author_a.save(update_fields=["is_active"])
    with time_machine.travel(date(2026, 4, 28), tick=False):
        assert services.reminders_send() == {"reminders": 1, "chasers": 0}
        assert services.reminders_send() == {"reminders": 0, "chasers": 0}
        page = as_user(world.manager).get(reverse("actions:plan_detail", args=[monitored.pk])).text
    assert OutboundEmail.objects.get().to == world.author_a.email
    assert UpdateCycle.objects.get(pk=cycle.pk).not_delivered == []
    assert "Quarterly update requests cannot be delivered" not in page


def test_a_chaser_reaching_the_agency_lead_counts_as_delivered(world, monitored):
    world.author_a.email = ""
    world.author_a.save(update_fields=["email"])
    with time_machine.travel(date(2026, 5, 1), tick=False):
        assert services.reminders_send()["chasers"] == 1  # agency A's lead only, not the owner without email
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {world.lead_a.email}
    assert "" not in set(OutboundEmail.objects.values_list("to", flat=True))
    assert UpdateCycle.objects.get(plan=monitored, number=1).not_delivered == []
    assert ActionPlan.objects.get(pk=monitored.pk).state == ActionPlan.State.MONITORING
