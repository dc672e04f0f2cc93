"""Two people editing one review record at once, through the pages: the second save is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.lib.dates import today
from casereview.partnership.roles import Role
from casereview.reviews import services
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


def _in_quality_assurance(world):
    review = h.make_review(world, reference="TST-QA")
    version = services.version_write(by=world.reviewer, review=review, text="The report.")
    services.review_submit_for_qa(by=world.reviewer, review=review)
    return Review.objects.get(pk=review.pk), ReportVersion.objects.get(pk=version.pk)


TICKED = {"check_analysis": True, "check_plain_english": True, "check_publishable": True,
          "check_good_practice": True}


def test_a_checklist_saved_from_a_page_opened_before_the_sign_off_is_refused(world):
    _, version = _in_quality_assurance(world)
    services.version_checklist(by=world.manager, version=version, **TICKED)
    opened = ReportVersion.objects.get(pk=version.pk)  # the checklist page, opened before the sign-off
    services.version_qa_sign_off(by=world.manager, version=ReportVersion.objects.get(pk=version.pk), comments="")
    with pytest.raises(services.ReviewError, match="This version has been signed off"):
        services.version_checklist(by=world.manager, version=opened, checklist_version=opened.checklist_version,
                                   **{**TICKED, "check_analysis": False})
    assert ReportVersion.objects.get(pk=version.pk).check_analysis


def test_a_sign_off_after_a_box_was_unticked_meanwhile_is_refused(world):
    _, version = _in_quality_assurance(world)
    services.version_checklist(by=world.manager, version=version, **TICKED)
    opened = ReportVersion.objects.get(pk=version.pk)  # the sign-off page, opened with every box ticked
    services.version_checklist(by=world.reviewer, version=ReportVersion.objects.get(pk=version.pk),
                               **{**TICKED, "check_publishable": False})
    with pytest.raises(services.ReviewError, match="Complete the quality checklist before signing off"):
        services.version_qa_sign_off(by=world.manager, version=opened, comments="")
    saved = ReportVersion.objects.get(pk=version.pk)
    assert saved.qa_signed_off_at is None and not saved.check_publishable
