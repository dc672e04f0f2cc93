"""The referral services take typed details (never dicts), and the demo's past dates go through them, audited."""

from dataclasses import FrozenInstanceError
from datetime import datetime, time, timedelta

import pytest

from casereview.audit.models import AuditEvent
from casereview.lib.dates import BOARD_TIME_ZONE, now, today
from casereview.referrals import services
from casereview.referrals.details import ChildDetails, ReferralDetails
from casereview.referrals.models import InformationRequest, Referral
from tests.referrals.factories import make_referral, referral_details


def test_details_are_frozen_and_a_misspelt_field_fails_where_it_is_written():
    details = referral_details()
    with pytest.raises(FrozenInstanceError):
        details.narrative = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        ReferralDetails(narative="misspelt")  # type: ignore[call-arg]


def test_a_rule_the_details_break_is_refused_with_the_same_words(world):
    with pytest.raises(services.ReferralError, match="The date of the incident cannot be in the future") as error:
        services.referral_create(by=world.author_a, details=referral_details(incident_date=today() + timedelta(1)),
                                 child=ChildDetails(full_name="Zara Fictionperson"), agencies=[world.agency_a])
    assert error.value.field == "incident_date"
    assert not Referral.objects.exists()


def test_an_update_changes_only_the_fields_given(world):
    referral = make_referral(world, Referral.Status.DRAFT)
    services.referral_update(by=world.author_a, referral=referral, version=referral.version,
                             details=ReferralDetails(narrative="A corrected fictional account."),
                             child=ChildDetails(full_name="Zebedee Fictionperson"), agencies=[world.agency_a])
    referral.refresh_from_db()
    assert referral.narrative == "A corrected fictional account."
    assert referral.referrer_name == "Testy Referrer" and referral.criteria == ["1", "2b"]


def test_a_reference_the_board_already_uses_is_kept_and_a_taken_one_refused(world):
    kept = services.referral_create(by=world.author_a, details=referral_details(), reference="OLD-REF-7",
                                    child=ChildDetails(full_name="Zara Fictionperson"), agencies=[world.agency_a])
    assert kept.reference == kept.case.reference == "OLD-REF-7"
    with pytest.raises(services.ReferralError, match="already has a referral OLD-REF-7"):
        services.referral_create(by=world.author_a, details=referral_details(), reference="OLD-REF-7",
                                 child=ChildDetails(full_name="Zara Fictionperson"), agencies=[world.agency_a])
    assert Referral.objects.count() == 1


def test_a_back_dated_submission_is_recorded_and_its_audit_event_says_so(world):
    referral = make_referral(world, Referral.Status.DRAFT)
    earlier = datetime.combine(today() - timedelta(days=5), time(9, 0), tzinfo=BOARD_TIME_ZONE)
    services.referral_submit(by=world.lead_a, referral=referral, submitted_at=earlier)
    referral.refresh_from_db()
    assert referral.submitted_at == earlier and referral.status == Referral.Status.SUBMITTED
    event = AuditEvent.objects.get(action="referral.submitted", object_id=str(referral.pk))
    assert event.detail["submitted_at"] == earlier.isoformat()


def test_a_submission_dated_in_the_future_is_refused(world):
    referral = make_referral(world, Referral.Status.DRAFT)
    with pytest.raises(services.ReferralError, match="cannot be in the future"):
        services.referral_submit(by=world.lead_a, referral=referral, submitted_at=now() + timedelta(days=1))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT


def test_a_request_made_earlier_keeps_its_date_and_may_already_be_late(world):
    referral = make_referral(world, Referral.Status.RECEIVED)
    with pytest.raises(services.ReferralError, match="The deadline must be after the date of the request"):
        services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_a],
                                          requested_on=today() - timedelta(days=3), due_on=today() - timedelta(3))
    services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_a],
                                      requested_on=today() - timedelta(days=9), due_on=today() - timedelta(days=2))
    request = InformationRequest.objects.get(referral=referral)
    assert request.requested_on == today() - timedelta(days=9)
    event = AuditEvent.objects.get(action="referral.information_requested", object_id=str(referral.pk))
    assert event.detail["requested_on"] == (today() - timedelta(days=9)).isoformat()
