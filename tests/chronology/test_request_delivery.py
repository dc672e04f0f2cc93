"""A chronology request to an agency with nobody to receive it is named before it is sent, shown as "Not
delivered" wherever requests are counted, never emailed to nobody, and delivered by the next chase once
someone has been added at the agency."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.chronology.models import ChronologyRequest
from casereview.chronology.services import chase_due_requests
from casereview.notifications.models import OutboundEmail
from casereview.partnership.roles import Role
from tests.chronology.helpers import make_review
from tests.factories import AgencyFactory, CaseAgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

ASK = {"form": "request", "deadline_0": "20", "deadline_1": "3", "deadline_2": "2026"}


@pytest.fixture
def ambulance(world):
    """An agency of the case with nobody set up: an inactive lead and a practitioner do not count."""
    agency = AgencyFactory(board=world.board, name="Testshire Ambulance", short_code="TAMB")
    CaseAgencyFactory(case=world.case, agency=agency)
    UserFactory(board=world.board, agency=agency, username="gone-lead", roles=[Role.AGENCY_LEAD], is_active=False)
    UserFactory(board=world.board, agency=agency, username="amb-prac", roles=[Role.PRACTITIONER])
    return agency


@pytest.fixture
def review(world, ambulance):
    CaseAgencyFactory(case=world.case, agency=world.agency_b)
    return make_review(world)


def _ask_everyone(world, as_user, review, ambulance):
    client = as_user(world.manager)
    agencies = [world.agency_a.pk, world.agency_b.pk, ambulance.pk]
    return client, client.post(reverse("chronology:requests", args=[review.pk]), {**ASK, "agencies": agencies},
                               follow=True)


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_the_request_page_names_the_agency_nobody_can_receive_it_at(world, as_user, review, ambulance):
    page = as_user(world.manager).get(reverse("chronology:requests", args=[review.pk])).text
    assert "Nobody can receive a request at Testshire Ambulance" in page
    assert "Testshire Police:" not in page and "Testshire Health:" not in page
    assert reverse("partnership:person_create") in page


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_a_request_nobody_received_is_not_delivered_wherever_it_is_counted(world, as_user, review, ambulance):
    client, response = _ask_everyone(world, as_user, review, ambulance)
    page = response.text
    assert ("Asked 2 agencies for their chronology (3 new requests). Not delivered to Testshire Ambulance: "
            "nobody there is set up to receive it") in page
    assert "2 of 3 requests delivered" in page
    assert "Not delivered to Testshire Ambulance" in page
    request = ChronologyRequest.objects.get(agency=ambulance)
    assert not request.delivered and request.display_status()[0] == "Not delivered"
    # No email to nobody: only the people of the two agencies with someone to receive it.
    recipients = set(OutboundEmail.objects.values_list("to", flat=True))
    assert recipients == {world.author_a.email, world.lead_a.email, world.author_b.email}
    assert "" not in recipients
    event = AuditEvent.objects.get(action="chronology.requested", object_id=str(request.pk))
    assert event.detail["delivered"] is False

    index = client.get(reverse("chronology:index")).text
    assert "0 of 3 agencies" in index and "1 not delivered" in index
    home = client.get(reverse("home")).text
    panel = home[home.index("Chronologies not yet accepted"):]
    row = panel[panel.index("Testshire Ambulance"):].split("</tr>")[0]
    assert "Not delivered" in row and "Requested" not in row


def test_an_overdue_request_nobody_received_says_not_delivered_not_overdue(world, review, ambulance):
    request = ChronologyRequest.objects.create(review=review, agency=ambulance, deadline=date(2026, 3, 20))
    with time_machine.travel("2026-03-25 09:00 +0000", tick=False):
        assert request.display_status() == ("Not delivered", "govuk-tag--red")
        assert not request.is_overdue()


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_a_manual_chase_with_nobody_there_says_so_and_once_someone_is_added_delivers_it(world, as_user, review,
                                                                                        ambulance):
    client, _ = _ask_everyone(world, as_user, review, ambulance)
    request = ChronologyRequest.objects.get(agency=ambulance)
    chase = reverse("chronology:request_chase", args=[review.pk, request.pk])
    page = client.post(chase, follow=True).text
    assert "Not delivered: Testshire Ambulance has no active safeguarding lead or author" in page
    assert not ChronologyRequest.objects.get(pk=request.pk).delivered

    lead = UserFactory(board=world.board, agency=ambulance, username="amb-lead", roles=[Role.AGENCY_LEAD])
    page = client.post(chase, follow=True).text
    assert "Chased Testshire Ambulance: 1 email queued" in page
    request = ChronologyRequest.objects.get(pk=request.pk)
    assert request.delivered and request.delivered_to == lead.email
    assert request.display_status()[0] == "Requested"
    assert OutboundEmail.objects.filter(to=lead.email, subject__startswith="Reminder").count() == 1
    assert "requests delivered" not in page and "Not delivered to" not in page


def test_the_automatic_chase_tells_the_business_manager_then_delivers_once_someone_is_added(world, review,
                                                                                            ambulance):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        from casereview.chronology import services

        services.requests_create(by=world.manager, review=review, agencies=[ambulance], deadline=date(2026, 3, 20))
    assert not OutboundEmail.objects.exists()
    with time_machine.travel("2026-03-17 08:00 +0000", tick=False):
        assert chase_due_requests() == {"reminded": 1, "chased": 0}
    told = OutboundEmail.objects.get()
    assert told.to == world.manager.email
    assert told.subject == f"Not delivered: chronology request to Testshire Ambulance for review {review.reference}"
    assert reverse("partnership:person_create") in told.body
    assert not ChronologyRequest.objects.get().delivered

    author = UserFactory(board=world.board, agency=ambulance, username="amb-author", roles=[Role.AGENCY_AUTHOR])
    with time_machine.travel("2026-03-21 08:00 +0000", tick=False):
        assert chase_due_requests() == {"reminded": 0, "chased": 1}
        request = ChronologyRequest.objects.get()
        assert request.delivered and request.display_status()[0] == "Overdue"
    assert OutboundEmail.objects.filter(to=author.email, subject__startswith="Overdue").count() == 1


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_an_agency_whose_people_have_all_left_is_named_before_it_is_chased(world, as_user, review):
    from casereview.chronology import services

    services.requests_create(by=world.manager, review=review, agencies=[world.agency_b], deadline=date(2026, 3, 20))
    assert ChronologyRequest.objects.get().delivered
    world.author_b.is_active = False
    world.author_b.save(update_fields=["is_active"])
    page = as_user(world.manager).get(reverse("chronology:review", args=[review.pk])).text
    assert "Nobody at Testshire Health can receive a reminder or chase now" in page
    assert reverse("partnership:person_create") in page
