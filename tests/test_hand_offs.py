"""Hand-offs across the process: each step that waits for a person is at the top of their home page, with
its deadline; the header search and the Deadlines page take in referrals and reviews."""

from django.urls import reverse

from casereview.partnership.roles import Role
from casereview.reviews.models import Review
from tests.factories import UserFactory
from tests.referrals.factories import make_referral
from tests.reviews import helpers as h


def _waiting(client) -> str:
    """The "Waiting for you" list of the person's home page (empty when nothing waits)."""
    html = client.get(reverse("home")).text
    start = html.find('<ul class="govuk-list govuk-list--spaced" id="waiting-for-you">')
    return "" if start < 0 else html[start:html.index("</ul>", start)]


def test_the_scr_committee_sees_the_decision_matrix_waiting_with_its_deadline(world, as_user):
    member = UserFactory(board=world.board, username="scr-member", roles=[Role.SCR_COMMITTEE_MEMBER])
    referral = make_referral(world, "received")
    waiting = _waiting(as_user(member))
    assert f"Complete the decision matrix for {referral.reference}" in waiting
    assert "Due " in waiting or "Overdue" in waiting


def test_the_chair_sees_the_decision_waiting_and_the_practitioner_does_not(world, as_user):
    referral = make_referral(world, "recommended")
    assert f"Decide whether to start a Serious Case Review for {referral.reference}" in _waiting(as_user(world.chair))
    assert referral.reference not in _waiting(as_user(world.practitioner))


def test_an_agency_lead_sees_a_draft_to_submit(world, as_user):
    referral = make_referral(world, "draft")
    assert f"Approve and submit the draft referral {referral.reference}" in _waiting(as_user(world.lead_a))
    assert referral.reference not in _waiting(as_user(world.author_b))


def test_quality_assurance_and_board_approval_wait_for_the_right_people(world, as_user):
    review = h.make_review(world, status=Review.Status.REPORT_QA)
    version = h.written_version(review, world)
    member = UserFactory(board=world.board, username="scr-qa", roles=[Role.SCR_COMMITTEE_MEMBER])
    assert f"Quality-assure version {version.number} of the report of {review.reference}" in _waiting(
        as_user(member))
    assert review.reference not in _waiting(as_user(world.chair))
    version.qa_signed_off_by = member
    version.qa_signed_off_at = version.created_at
    version.save(update_fields=["qa_signed_off_by", "qa_signed_off_at"])
    assert f"Approve version {version.number} of the report of {review.reference}" in _waiting(as_user(world.chair))
    assert review.reference not in _waiting(as_user(member))


def test_header_search_finds_referrals_and_reviews_only_of_the_persons_board(world, as_user):
    referral = make_referral(world, "received")
    review = h.make_review(world, reference="TST-SEARCH")
    found = as_user(world.manager).get(reverse("search"), {"q": "TST-SEARCH"}).text
    assert "TST-SEARCH" in found and "Review" in found
    found = as_user(world.manager).get(reverse("search"), {"q": referral.reference}).text
    assert referral.reference in found
    for query, url in ((review.reference, reverse("reviews:detail", args=[review.pk])),
                       (referral.reference, reverse("referrals:detail", args=[referral.pk]))):
        assert url in as_user(world.manager).get(reverse("search"), {"q": query}).text
        assert url not in as_user(world.outsider).get(reverse("search"), {"q": query}).text


def test_the_deadlines_page_lists_open_reviews_targets_and_never_a_published_one(world, as_user):
    h.make_review(world, reference="TST-DUE")
    h.published_review(world)
    page = as_user(world.manager).get(reverse("deadlines:list")).text
    assert "Review TST-DUE" in page
    assert "TST-PUB" not in page


def test_quality_assurance_and_board_approval_are_emailed_to_who_does_them(world):
    from casereview.notifications.models import OutboundEmail
    from casereview.reviews import services

    member = UserFactory(board=world.board, username="scr-mail", email="scr-mail@testshire.example",
                         roles=[Role.SCR_COMMITTEE_MEMBER])
    world.chair.email = "chair@testshire.example"
    world.chair.save(update_fields=["email"])
    review = h.make_review(world)
    version = h.written_version(review, world)
    services.review_submit_for_qa(by=world.reviewer, review=review)
    qa = OutboundEmail.objects.get(to=member.email)
    assert qa.subject == f"Report of {review.reference} ready for quality assurance"
    assert reverse("reviews:report", args=[review.pk]) in qa.body
    assert not OutboundEmail.objects.filter(to=world.chair.email).exists()
    version.check_analysis = version.check_plain_english = version.check_publishable = True
    version.check_good_practice = True
    version.checklist_by, version.checklist_at = member, version.created_at
    version.save()
    services.version_qa_sign_off(by=member, version=version, comments="")
    approval = OutboundEmail.objects.get(to=world.chair.email)
    assert approval.subject == f"Report of {review.reference} ready for the board's approval"
