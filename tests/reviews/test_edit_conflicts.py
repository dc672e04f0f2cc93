"""Two people editing one review record at once, through the pages: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.partnership.roles import Role
from casereview.reviews.models import Finding, Review
from tests.factories import UserFactory
from tests.reviews import helpers as h
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def test_a_stale_save_of_a_finding_is_refused_and_writes_no_audit_event(world, as_user):
    review = h.make_review(world)
    finding = h.finding(review)
    second_save_is_refused(
        a=as_user(world.reviewer), b=as_user(world.manager),
        url=reverse("reviews:finding_edit", args=[review.pk, finding.pk]),
        a_data={"kind": "improvement", "title": "The reviewer's wording", "narrative": "Nobody joined up."},
        b_data={"kind": "improvement", "title": "The manager's wording", "narrative": "Nobody asked."},
        what="finding")
    assert Finding.objects.get(pk=finding.pk).title == "The reviewer's wording"


def test_a_stale_save_of_the_publication_statement_is_refused(world, as_user):
    review = h.make_review(world, status=Review.Status.APPROVED, report_text="An anonymised report.")
    second = UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])
    statement = {"st-statement_impact": "", "st-statement_what_more": ""}
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(second), url=reverse("reviews:publication", args=[review.pk]),
        post_url=reverse("reviews:statement", args=[review.pk]), prefix="st",
        a_data={**statement, "st-statement_actions_taken": "Every health visitor was trained."},
        b_data={**statement, "st-statement_actions_taken": "A leaflet was written."},
        what="publication statement")
    assert Review.objects.get(pk=review.pk).statement_actions_taken == "Every health visitor was trained."
