"""The case behind a draft referral (the child's and family's names) stays hidden on the case pages too."""

from django.urls import reverse

from casereview.cases.permissions import can_view_case
from casereview.cases.selectors import cases_visible_to
from casereview.referrals.models import Referral
from tests.referrals.factories import make_referral


def test_a_draft_referrals_case_is_seen_only_by_its_author_and_their_lead(world, as_user):
    case = make_referral(world, Referral.Status.DRAFT, by=world.author_a).case
    for person in (world.manager, world.chair):
        assert case not in cases_visible_to(person)
        assert not can_view_case(person, case)
        assert as_user(person).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case in cases_visible_to(world.author_a) and case in cases_visible_to(world.lead_a)


def test_once_submitted_the_board_sees_the_case(world):
    case = make_referral(world, Referral.Status.SUBMITTED, by=world.author_a).case
    assert case in cases_visible_to(world.manager) and can_view_case(world.manager, case)
