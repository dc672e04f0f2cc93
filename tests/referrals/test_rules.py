"""Bad input, privacy and concurrency: each refused with a message that says what to fix."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.deadlines.services import board_today
from casereview.referrals.models import (
    ChairDecision,
    CriterionAnswer,
    DecisionMatrix,
    LearningQuestion,
    Referral,
)
from casereview.referrals.selectors import hidden_draft_case_ids, referrals_visible_to
from casereview.referrals.services import scr_test
from casereview.reviews.services import review_initiate
from tests.factories import CaseAgencyFactory, CaseFactory
from tests.referrals.factories import make_referral
from tests.referrals.test_flow import _date, matrix_post, referral_post


def test_a_draft_is_seen_only_by_its_author_and_their_agency_lead(world, as_user):
    draft = make_referral(world, "draft")
    url = reverse("referrals:detail", args=[draft.pk])
    assert as_user(world.author_a).get(url).status_code == 200
    assert as_user(world.lead_a).get(url).status_code == 200
    for user in (world.manager, world.chair, world.author_b, world.reviewer):
        assert as_user(user).get(url).status_code == 404
        assert draft not in referrals_visible_to(user)
        assert draft.reference not in as_user(user).get(reverse("referrals:list")).text
    # The case behind the draft is hidden from the case lists too (for the cases selector to apply).
    assert draft.case_id in set(hidden_draft_case_ids(world.manager).values_list("case_id", flat=True))
    assert draft.case_id not in set(hidden_draft_case_ids(world.lead_a).values_list("case_id", flat=True))


def test_an_agency_b_author_cannot_see_an_agency_a_referral(world, as_user):
    referral = make_referral(world, "received")
    assert as_user(world.author_b).get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert referral.reference not in as_user(world.author_b).get(reverse("referrals:list")).text
    assert as_user(world.author_a).get(reverse("referrals:detail", args=[referral.pk])).status_code == 200


def test_two_people_editing_the_same_referral_the_second_is_refused(world, as_user):
    referral = make_referral(world, "received")
    url = reverse("referrals:edit", args=[referral.pk])
    first = referral_post(world, version=referral.version, narrative="First editor's words.")
    second = referral_post(world, version=referral.version, narrative="Second editor's words.")
    assert as_user(world.manager).post(url, first).status_code == 302
    response = as_user(world.manager).post(url, second)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Someone else changed this referral while you were editing it" in response.text
    assert Referral.objects.get(pk=referral.pk).narrative == "First editor's words."


def test_a_criterion_met_without_evidence_is_refused(world, as_user):
    referral = make_referral(world, "received")
    response = as_user(world.manager).post(reverse("referrals:matrix", args=[referral.pk]),
                                           matrix_post(referral, **{"c1-evidence": ""}))
    assert "govuk-error-summary" in response.text
    assert "Enter the evidence that criterion 1 is met, or change the answer" in response.text
    assert 'href="#id_c1-evidence"' in response.text
    assert not DecisionMatrix.objects.exists() and Referral.objects.get(pk=referral.pk).status == "received"


def test_a_recommendation_needs_a_rationale_and_targeted_needs_its_criteria(world, as_user):
    referral = make_referral(world, "received")
    response = as_user(world.manager).post(reverse("referrals:matrix", args=[referral.pk]),
                                           matrix_post(referral, rationale="", recommended_outcome="scr_targeted"))
    assert "Enter the rationale for the recommended outcome" in response.text
    assert "Select which of the criteria for a Targeted review apply" in response.text
    assert not DecisionMatrix.objects.exists()


def test_saving_the_matrix_for_later_keeps_unknowns_and_shows_the_computed_test(world, as_user):
    referral = make_referral(world, "received")
    data = matrix_post(referral, complete=False, recommended_outcome="", rationale="",
                       **{"c1-answer": "unknown", "c1-evidence": ""})
    assert as_user(world.manager).post(reverse("referrals:matrix", args=[referral.pk]), data).status_code == 302
    assert CriterionAnswer.objects.get(criterion="1").answer == "unknown"
    page = as_user(world.manager).get(reverse("referrals:matrix", args=[referral.pk])).text
    assert "Cannot tell yet: some answers are Unknown" in page


@pytest.mark.parametrize(("answers", "expected"), [
    ({"1": "met", "2a": "met"}, True),
    ({"1": "met", "2a": "not_met", "2b": "met"}, True),
    ({"1": "met", "2a": "not_met", "2b": "not_met", "3": "not_met"}, False),
    ({"1": "not_met", "2a": "met", "2b": "met", "3": "met"}, True),
    ({"1": "not_met", "2a": "met", "3": "not_met"}, False),
    ({"1": "unknown", "2a": "met", "3": "not_met"}, None),
    ({"1": "met", "2a": "unknown", "2b": "not_met", "3": "not_met"}, None),
    ({}, None),
])
def test_the_scr_test_is_1_and_2a_or_2b_or_3(answers, expected):
    assert scr_test(answers) is expected


def test_a_decision_dated_before_the_referral_was_received_is_refused(world, as_user):
    referral = make_referral(world, "recommended")
    before = referral.received_on - timedelta(days=1)
    response = as_user(world.chair).post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "scr_intensive", **_date("decided_on", before), "rationale": "Reasons"})
    assert "govuk-error-summary" in response.text
    assert "The decision date must be on or after the date the board received the referral" in response.text
    assert not ChairDecision.objects.exists()


def test_a_decision_without_a_rationale_is_refused(world, as_user):
    referral = make_referral(world, "recommended")
    response = as_user(world.chair).post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "not_initiated", **_date("decided_on", board_today()), "rationale": ""})
    assert "Enter the rationale for your decision" in response.text
    assert not ChairDecision.objects.exists()


def test_a_panel_notice_dated_before_the_decision_is_refused(world, as_user):
    referral = make_referral(world, "decided", decision="scr_targeted")
    ChairDecision.objects.filter(referral=referral).update(decided_on=board_today())
    response = as_user(world.manager).post(reverse("referrals:panel_notice", args=[referral.pk]), {
        **_date("sent_on", board_today() - timedelta(days=1)), **_date("ofsted_told_on", board_today())})
    assert "The date the notice was sent must be on or after the Chair&#x27;s decision" in response.text
    assert not hasattr(Referral.objects.get(pk=referral.pk), "panel_notice")


def test_a_letter_recorded_as_sent_before_the_decision_is_refused(world, as_user):
    referral = make_referral(world, "decided")
    response = as_user(world.manager).post(reverse("referrals:letter_sent", args=[referral.pk]),
                                           _date("sent_on", board_today() - timedelta(days=3)))
    assert "The date the letter was sent must be on or after the Chair&#x27;s decision" in response.text


def test_a_bad_referral_shows_every_problem_and_saves_nothing(world, as_user):
    future = board_today() + timedelta(days=3)
    response = as_user(world.author_a).post(reverse("referrals:create"), referral_post(
        world, child_name="", narrative="", agencies=[], criteria=[], **_date("incident_date", future)))
    page = response.text
    assert "govuk-error-summary" in page
    for message in ("Enter the child&#x27;s full name", "Enter what happened and why you think the criteria are met",
                    "Select the agencies involved with the child and family", "Select the criteria you think are met",
                    "The date of the incident cannot be in the future"):
        assert message in page
    assert not Referral.objects.exists()


def test_learning_already_identified_lists_earlier_reviews_and_the_question_follows_the_case(world, as_user):
    earlier_case = CaseFactory(board=world.board)
    CaseAgencyFactory(case=earlier_case, agency=world.agency_a)
    earlier = review_initiate(by=world.manager, case=earlier_case, type="cir", initiated_on=board_today())
    unrelated_case = CaseFactory(board=world.board)
    unrelated = review_initiate(by=world.manager, case=unrelated_case, type="cir", initiated_on=board_today())
    referral = make_referral(world, "recommended")
    page = as_user(world.manager).get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Learning already identified" in page
    assert earlier.reference in page and unrelated.reference not in page
    response = as_user(world.manager).post(reverse("referrals:question_add", args=[referral.pk]), {
        "question-question": "Why was the learning on information sharing not sustained?",
        "question-earlier_review": earlier.pk})
    assert response.status_code == 302
    question = LearningQuestion.objects.get()
    assert question.case == referral.case and question.earlier_review == earlier
    assert "Why was the learning on information sharing not sustained?" in as_user(world.chair).get(
        reverse("referrals:detail", args=[referral.pk])).text


def test_viewing_a_referral_is_audited_without_names(world, as_user):
    from casereview.audit.models import AuditEvent

    referral = make_referral(world, "received")
    as_user(world.manager).get(reverse("referrals:detail", args=[referral.pk]))
    event = AuditEvent.objects.filter(action="referral.viewed").get()
    assert event.object_label == referral.reference and "Fictionperson" not in str(event.detail)


def test_status_cannot_be_assigned_directly(world):
    referral = make_referral(world, "draft")
    with pytest.raises(AttributeError):
        referral.status = Referral.Status.CLOSED
