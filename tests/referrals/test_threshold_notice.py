"""The Performance Committee chair is told when a case may have reached the threshold for a Serious Case Review
(a referral received for SCR consideration) and liaises with the SCR Committee chair and the Independent Chair
(issue G2)."""

from datetime import timedelta

from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.core.dashboard import waiting_for
from casereview.lib.dates import today
from casereview.notifications.models import OutboundEmail
from casereview.partnership.roles import Role
from casereview.referrals.models import Referral, ThresholdNotice
from tests.factories import UserFactory
from tests.referrals.factories import make_referral
from tests.referrals.test_flow import _date


def _perf_chair(world):
    return UserFactory(board=world.board, username="perf-chair-t", email="perf.chair@testshire.example",
                       roles=[Role.PERFORMANCE_CHAIR])


def test_the_performance_committee_chair_is_told_when_a_case_may_meet_the_threshold(world, as_user):
    chair = _perf_chair(world)
    referral = make_referral(world, Referral.Status.RECEIVED, child_name="Zebedee Fictionperson")
    email = OutboundEmail.objects.get(to=chair.email)
    assert email.subject == f"Referral {referral.reference} may meet the threshold for a Serious Case Review"
    assert "Zebedee" not in email.subject and "Fictionperson" not in email.body
    assert "liaise with the chair of the SCR Committee and the Independent Chair" in email.body
    assert AuditEvent.objects.filter(action="referral.performance_chair_told").exists()

    notice = ThresholdNotice.objects.get(referral=referral, chair=chair)
    item = next(i for i in waiting_for(chair) if referral.reference in i.label)
    assert item.url == reverse("referrals:threshold_notice", args=[notice.pk])

    # The notice page names the reference and who to liaise with; the chair cannot open the case record.
    client = as_user(chair)
    page = client.get(item.url).text
    assert referral.reference in page and "Zebedee" not in page
    assert "Independent Chair" in page
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404

    # Recording the liaison clears it from the home page.
    page = client.post(item.url, _date("liaised_on", today() + timedelta(days=3))).text
    assert "The date you liaised cannot be in the future" in page
    response = client.post(item.url, {**_date("liaised_on", today()), "note": "Spoke to both chairs."})
    assert response.status_code == 302
    assert ThresholdNotice.objects.get(pk=notice.pk).liaised_on == today()
    assert not [i for i in waiting_for(chair) if referral.reference in i.label]
    assert AuditEvent.objects.filter(action="referral.threshold_liaison_recorded").exists()


def test_a_learning_referral_does_not_tell_the_performance_committee_chair(world):
    chair = _perf_chair(world)
    make_referral(world, Referral.Status.RECEIVED, purpose=Referral.Purpose.LEARNING)
    assert not OutboundEmail.objects.filter(to=chair.email).exists()
    assert not ThresholdNotice.objects.exists()


def test_another_performance_chair_cannot_open_the_notice(world, as_user):
    chair = _perf_chair(world)
    referral = make_referral(world, Referral.Status.RECEIVED)
    notice = ThresholdNotice.objects.get(referral=referral, chair=chair)
    other = UserFactory(board=world.board, username="perf-chair-2", roles=[Role.PERFORMANCE_CHAIR])
    assert as_user(other).get(reverse("referrals:threshold_notice", args=[notice.pk])).status_code == 404
