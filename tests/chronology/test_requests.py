"""Requests to agencies, their status, generated instructions and automatic chasing by email."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.chronology import tasks
from casereview.chronology.models import ChronologyRequest
from casereview.chronology.services import chase_due_requests
from casereview.notifications.models import OutboundEmail
from tests.chronology.helpers import make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    return make_review(world)


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_manager_asks_agencies_and_they_are_emailed(world, as_user, review):
    client = as_user(world.manager)
    url = reverse("chronology:requests", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Testshire Police" in page  # the case's agencies are offered
    response = client.post(url, {"form": "request", "deadline_0": "1", "deadline_1": "1", "deadline_2": "2026"})
    page = response.content.decode()
    assert "Select at least one agency" in page and "The deadline must be today or in the future" in page
    client.post(url, {"form": "request", "agencies": [world.agency_a.pk], "deadline_0": "20", "deadline_1": "3",
                      "deadline_2": "2026", "note": "Cover 2013 onwards"})
    request = ChronologyRequest.objects.get()
    assert request.deadline == date(2026, 3, 20) and request.status == "requested"
    emails = OutboundEmail.objects.filter(about_type="chronology.chronologyrequest")
    assert sorted(emails.values_list("to", flat=True)) == [world.author_a.email, world.lead_a.email]
    assert "Cover 2013 onwards" in emails.first().body
    page = client.get(reverse("chronology:review", args=[review.pk])).content.decode()
    assert "Requested" in page and "20 March 2026" in page
    instructions = as_user(world.author_a).get(reverse("chronology:instructions", args=[review.pk])).content.decode()
    assert "by <strong>20 March 2026</strong>" in instructions
    assert "Would this have been an event that the child perceived as significant" in instructions
    assert "Source of information" in instructions and "Cover 2013 onwards" in instructions


def test_reminder_before_the_deadline_then_chasing_when_overdue(world, review):
    request = ChronologyRequest.objects.create(review=review, agency=world.agency_a, deadline=date(2026, 3, 20))
    with time_machine.travel("2026-03-10 08:00 +0000", tick=False):
        assert chase_due_requests() == {"reminded": 0, "chased": 0}
    with time_machine.travel("2026-03-17 08:00 +0000", tick=False):
        assert chase_due_requests() == {"reminded": 1, "chased": 0}
        assert chase_due_requests() == {"reminded": 0, "chased": 0}  # once only
    assert OutboundEmail.objects.filter(subject__startswith="Reminder").count() == 2
    with time_machine.travel("2026-03-21 08:00 +0000", tick=False):
        assert ChronologyRequest.objects.get().display_status()[0] == "Overdue"
        assert tasks.chase_chronologies.call() == {"reminded": 0, "chased": 1}
    with time_machine.travel("2026-03-24 08:00 +0000", tick=False):
        assert chase_due_requests()["chased"] == 0  # the review's interval is a week
    with time_machine.travel("2026-03-28 08:00 +0000", tick=False):
        assert chase_due_requests()["chased"] == 1
    request = ChronologyRequest.objects.get(pk=request.pk)
    assert request.chase_count == 2
    assert OutboundEmail.objects.filter(subject__startswith="Overdue").count() == 4
    assert AuditEvent.objects.filter(action="chronology.chased").count() == 2


def test_manual_chase_from_the_returns_page(world, as_user, review):
    request = ChronologyRequest.objects.create(review=review, agency=world.agency_a, deadline=date(2026, 1, 1))
    client = as_user(world.manager)
    response = client.post(reverse("chronology:request_chase", args=[review.pk, request.pk]), follow=True)
    assert "Chased Testshire Police: 2 emails queued" in response.content.decode()
    assert "Overdue" in response.content.decode()


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_a_manual_chase_before_the_deadline_is_a_reminder_not_overdue(world, as_user, review):
    from casereview.chronology import services

    services.requests_create(by=world.manager, review=review, agencies=[world.agency_a], deadline=date(2026, 3, 20))
    request = ChronologyRequest.objects.get()
    OutboundEmail.objects.all().delete()
    response = as_user(world.manager).post(reverse("chronology:request_chase", args=[review.pk, request.pk]))
    assert response.status_code == 302
    subjects = set(OutboundEmail.objects.values_list("subject", flat=True))
    assert subjects == {f"Reminder: chronology for review {review.reference} is due by 20 March 2026"}
    assert not OutboundEmail.objects.filter(body__contains="has not been submitted yet").exists()


def test_a_published_review_shows_unreturned_chronologies_as_not_returned_and_never_chases_them(world, as_user):
    from datetime import timedelta

    from casereview.lib.dates import today
    from tests.factories import review_in

    review = review_in(world, "published")
    request = ChronologyRequest.objects.create(review=review, agency=world.agency_a, delivered_to="lead-a",
                                               deadline=today() - timedelta(days=30))
    assert not request.is_overdue() and request.display_status()[0] == "Not returned"
    page = as_user(world.manager).get(reverse("chronology:review", args=[review.pk])).content.decode()
    assert "Not returned" in page and "Overdue" not in page
    assert chase_due_requests() == {"reminded": 0, "chased": 0}
    assert not OutboundEmail.objects.filter(subject__startswith="Overdue").exists()
