"""The SCR Committee recommends to the Independent Chair by a decision of a quorate meeting (issue G2): the
decision matrix cannot become the recommendation, and the Chair cannot refuse a recommended Serious Case
Review, unless that decision was recorded at a quorate meeting."""

from django.urls import reverse

from casereview.lib.dates import today
from casereview.referrals import hooks, services
from casereview.referrals.models import ChairDecision, DecisionMatrix, Referral
from tests.actions.factories import scr_chair, scr_meeting
from tests.referrals.factories import ANSWERS_MET, make_referral, minute_recommendation
from tests.referrals.test_flow import _date, matrix_post


def test_the_recommendation_rests_on_a_quorate_committee_decision(world, as_user):
    referral = make_referral(world, Referral.Status.RECEIVED)
    manager = as_user(world.manager)
    page = manager.post(reverse("referrals:matrix", args=[referral.pk]), matrix_post(referral)).text
    assert "record the recommendation on this referral as a decision of a quorate SCR Committee meeting" in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED  # nothing was recommended

    # An inquorate meeting cannot record it either (committees refuse), so the matrix stays a draft.
    inquorate = scr_meeting(world, present=[scr_chair(world)])
    as_user(scr_chair(world)).post(reverse("committees:decision_add", args=[inquorate.pk]), {
        "text": "Recommend an intensive review", "recommends_on_referral": referral.pk,
        "acknowledge_inquorate": "on"})
    page = manager.post(reverse("referrals:matrix", args=[referral.pk]), matrix_post(referral)).text
    assert "as a decision of a quorate SCR Committee meeting" in page

    minute_recommendation(world, referral)
    response = manager.post(reverse("referrals:matrix", args=[referral.pk]), matrix_post(referral))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECOMMENDED


def test_saving_the_matrix_as_a_draft_needs_no_committee_decision(world):
    from casereview.referrals.details import MatrixDetails

    referral = make_referral(world, Referral.Status.RECEIVED)
    services.matrix_save(by=world.manager, referral=referral, version=referral.version, answers=ANSWERS_MET,
                         complete=False, details=MatrixDetails(recommended_outcome="scr_intensive",
                                                              rationale="Draft so far."))
    assert DecisionMatrix.objects.get(referral=referral).completed_on is None


def test_the_chair_refusing_a_recommended_scr_needs_the_quorate_recommendation(world, as_user):
    """A recommendation completed without a minuted decision (before the board used committee minutes here, say)
    cannot be refused by the Chair until the committee's recommendation is recorded at a quorate meeting."""
    referral = make_referral(world, Referral.Status.RECEIVED)
    check = hooks._recommendation_check
    hooks.unregister_recommendation_check()
    try:
        from casereview.referrals.details import MatrixDetails
        services.matrix_save(by=world.manager, referral=referral, version=referral.version, answers=ANSWERS_MET,
                             complete=True, details=MatrixDetails(recommended_outcome="scr_intensive",
                                                                  rationale="Criteria 1 and 2b met."))
    finally:
        hooks.register_recommendation_check(check)
    chair = as_user(world.chair)
    page = chair.post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "not_initiated", **_date("decided_on", today()), "rationale": "Threshold not met."}).text
    assert "before deciding not to initiate the review" in page
    assert not ChairDecision.objects.filter(referral=referral).exists()

    minute_recommendation(world, referral)
    response = chair.post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "not_initiated", **_date("decided_on", today()), "rationale": "Threshold not met."})
    assert response.status_code == 302
    assert ChairDecision.objects.get(referral=referral).decision == ChairDecision.Decision.NOT_INITIATED
