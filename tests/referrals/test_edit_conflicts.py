"""Two people editing one referral record at once, through the pages: the second save is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.lib.dates import today
from casereview.partnership.roles import Role
from casereview.referrals import services
from casereview.referrals.models import InformationRequest
from tests.factories import UserFactory
from tests.referrals.factories import make_referral
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def test_a_stale_answer_to_a_request_for_information_is_refused(world, as_user):
    referral = make_referral(world)
    services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_a],
                                      due_on=today() + timedelta(days=3))
    request = InformationRequest.objects.get()
    deputy = UserFactory(board=world.board, agency=world.agency_a, username="lead-a-two", roles=[Role.AGENCY_LEAD])
    second_save_is_refused(
        a=as_user(world.lead_a), b=as_user(deputy), url=reverse("referrals:answer", args=[request.pk]),
        a_data={"summary": "Seen at school twice a week; one referral in March.", "still_involved": "yes"},
        b_data={"summary": "Not known to us.", "still_involved": "no"}, what="summary")
    request = InformationRequest.objects.get()
    assert (request.summary, request.still_involved) == ("Seen at school twice a week; one referral in March.", True)
