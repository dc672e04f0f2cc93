"""Two people editing one review record at once, through the pages: the second save is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.lib.dates import today
from casereview.partnership.roles import Role
from casereview.reviews.models import Finding, PublicationImpact, ReportVersion, Review
from tests.factories import UserFactory
from tests.reviews import helpers as h
from tests.reviews.test_setup_and_people import _date
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


def _second_manager(world):
    return UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])


def test_a_stale_save_of_the_planned_publication_date_is_refused(world, as_user):
    review = h.make_review(world, status=Review.Status.APPROVED, report_text="An anonymised report.")
    first, second = today() + timedelta(days=30), today() + timedelta(days=60)
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_second_manager(world)),
        url=reverse("reviews:publication", args=[review.pk]),
        post_url=reverse("reviews:publication_plan", args=[review.pk]), prefix="plan",
        a_data=_date("plan-planned_publication_on", first), b_data=_date("plan-planned_publication_on", second),
        what="planned publication date")
    assert Review.objects.get(pk=review.pk).planned_publication_on == first


def test_a_stale_save_of_the_impact_checklist_is_refused_even_on_its_first_save(world, as_user):
    review = h.make_review(world, status=Review.Status.APPROVED, report_text="An anonymised report.")
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_second_manager(world)),
        url=reverse("reviews:publication", args=[review.pk]),
        post_url=reverse("reviews:publication_impact", args=[review.pk]), prefix="imp",
        a_data={"imp-family_told": "on", "imp-practitioners_told": "on"}, b_data={"imp-media_lines_agreed": "on"},
        what="checklist for managing the impact of publication")
    impact = PublicationImpact.objects.get(review=review)
    assert (impact.family_told, impact.practitioners_told, impact.media_lines_agreed) == (True, True, False)


def test_a_stale_save_of_a_report_versions_quality_checklist_is_refused(world, as_user):
    review = h.make_review(world)
    version = h.written_version(review, world)
    second_save_is_refused(
        a=as_user(world.reviewer), b=as_user(world.manager),
        url=reverse("reviews:version", args=[review.pk, version.pk]),
        post_url=reverse("reviews:version_checklist", args=[review.pk, version.pk]), prefix="chk",
        a_data={"chk-check_analysis": "on", "chk-check_plain_english": "on"}, b_data={"chk-check_publishable": "on"},
        what="quality checklist")
    saved = ReportVersion.objects.get(pk=version.pk)
    assert (saved.check_analysis, saved.check_plain_english, saved.check_publishable) == (True, True, False)
