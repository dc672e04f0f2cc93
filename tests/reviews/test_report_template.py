"""The Report tab: what a review needs before its report is written, and the report template.

A lead reviewer starts the report from a draft filled in with the review's terms of reference, findings and
recommendations, edits it, and saves it as a version; the publication check runs on it as on any version.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.reviews import services
from casereview.reviews.models import Finding, Recommendation, ReportVersion, Review
from tests.reviews import helpers as h

START = "Start the report from the template"


def _ready_review(world) -> Review:
    review = h.make_review(world, reference="TST-TPL")
    review = services.review_update_setup(
        by=world.manager, review=review, type=review.type, methodology=review.methodology, title=review.title,
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
        questions="How well did agencies share information?\nWas the family's voice heard?",
        agencies_in_scope=[world.agency_a, world.agency_b], proportionality_rationale="")
    first = services.finding_save(by=world.reviewer, review=review, kind=Finding.Kind.IMPROVEMENT,
                                  title="Referrals were not followed up",
                                  narrative="Two referrals to children's social care had no reply.")
    services.finding_save(by=world.reviewer, review=review, kind=Finding.Kind.GOOD_PRACTICE,
                          title="The health visitor persisted",
                          narrative="She visited again when the family did not attend.")
    services.recommendation_save(by=world.reviewer, review=review, level=Recommendation.Level.PARTNERSHIP,
                                 text="Agree how referrals are acknowledged within a working day.", findings=[first],
                                 target_agencies=[])
    return Review.objects.get(pk=review.pk)


def _report_page(client, review) -> str:
    return client.get(reverse("reviews:report", args=[review.pk])).content.decode()


@pytest.mark.django_db
def test_a_review_without_terms_of_reference_or_findings_says_what_the_report_needs(world, as_user):
    review = h.make_review(world, reference="TST-BARE")
    # Terms of reference left empty (the builder records them on the way to analysis).
    Review.objects.filter(pk=review.pk).update(methodology="", questions="", period_start=None, period_end=None)
    review.agencies_in_scope.clear()
    review.refresh_from_db()
    page = _report_page(as_user(world.reviewer), review)

    assert "Before the report can be written" in page
    assert "The terms of reference have no questions for the review to answer" in page
    assert "The terms of reference do not give the period the review covers" in page
    assert "No agencies are in the review&#x27;s scope yet" in page
    assert "The methodology has not been chosen" in page
    assert "No findings have been recorded yet" in page
    assert reverse("reviews:setup", args=[review.pk]) in page
    assert reverse("reviews:findings", args=[review.pk]) in page
    assert "No versions yet" not in page


@pytest.mark.django_db
def test_a_review_still_being_set_up_says_the_report_comes_with_analysis(world, as_user):
    review = h.make_review(world, reference="TST-NEW", status=Review.Status.INITIATED)
    page = _report_page(as_user(world.reviewer), review)

    assert "The review is still being set up" in page
    assert START not in page


@pytest.mark.django_db
def test_a_ready_review_offers_the_template_and_no_warning(world, as_user):
    review = _ready_review(world)
    page = _report_page(as_user(world.reviewer), review)

    assert "Before the report can be written" not in page
    assert START in page
    assert reverse("reviews:version_write", args=[review.pk]) + "?from=template" in page


@pytest.mark.django_db
def test_the_template_is_filled_in_from_the_review_and_nothing_is_kept_until_saved(world, as_user):
    review = _ready_review(world)
    page = as_user(world.reviewer).get(
        reverse("reviews:version_write", args=[review.pk]) + "?from=template").content.decode()

    assert "Write a report version from the template" in page
    assert "The review considered the period from 1 January 2024 to 31 December 2024." in page
    assert "Agencies in scope: Testshire Health, Testshire Police." in page
    assert "How well did agencies share information?" in page
    assert "Was the family&#x27;s voice heard?" in page
    assert "SCIE Learning Together" in page
    # Good practice comes before the areas for improvement, each finding with its narrative.
    assert page.index("GOOD PRACTICE") < page.index("Finding 2: The health visitor persisted") \
        < page.index("AREAS FOR IMPROVEMENT") < page.index("Finding 1: Referrals were not followed up")
    assert "Two referrals to children&#x27;s social care had no reply." in page
    assert "Recommendation 1 (partnership): Agree how referrals are acknowledged within a working day." in page
    assert not ReportVersion.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_the_edited_template_is_saved_as_a_version_and_checked_for_publication(world, as_user):
    h.add_people(h.make_review(world, reference="TST-TPL"), world)
    review = _ready_review(world)
    client = as_user(world.reviewer)
    url = reverse("reviews:version_write", args=[review.pk]) + "?from=template"
    draft = client.get(url).context["form"].initial["text"]
    edited = draft.replace("[What the review concluded.]", "Jayden's needs were not seen as a whole.")

    response = client.post(url, {"text": edited, "note": "Started from the report template"})

    version = ReportVersion.objects.get(review=review)
    assert response.status_code == 302
    assert version.text.startswith("Child Q")
    assert "Jayden's needs were not seen as a whole." in version.text
    assert version.note == "Started from the report template"
    assert AuditEvent.objects.filter(action="review.report_version_added", object_id=str(review.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "<mark class=\"cr-hit\">Jayden&#x27;s</mark>" in page
    # Once a version exists the Report tab shows it, not the template or the list of needs.
    report = _report_page(client, review)
    assert START not in report and "Latest: version 1" in report


@pytest.mark.django_db
def test_an_empty_report_from_the_template_is_refused_and_nothing_is_saved(world, as_user):
    review = _ready_review(world)
    url = reverse("reviews:version_write", args=[review.pk]) + "?from=template"
    page = as_user(world.reviewer).post(url, {"text": "  ", "note": ""}).content.decode()

    assert "There is a problem" in page and "Write the report" in page
    assert not ReportVersion.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_someone_who_may_only_read_the_report_is_not_offered_the_template(world, as_user):
    review = _ready_review(world)
    page = _report_page(as_user(world.chair), review)

    assert START not in page


@pytest.mark.django_db
def test_a_version_still_holding_the_templates_prompts_cannot_go_to_quality_assurance(world, as_user):
    review = _ready_review(world)
    client = as_user(world.reviewer)
    url = reverse("reviews:version_write", args=[review.pk]) + "?from=template"
    draft = client.get(url).context["form"].initial["text"]
    client.post(url, {"text": draft, "note": ""})

    page = _report_page(client, review)
    assert "Version 1 still has parts of the template to write" in page
    response = client.post(reverse("reviews:submit_qa", args=[review.pk]), follow=True)
    assert "Version 1 still has 3 parts of the template to write" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.ANALYSIS

    written = re.sub(r"\[[^\]]*\]", "Written by the lead reviewer.", draft)
    client.post(url, {"text": written, "note": "Every part written"})
    assert "still has parts of the template" not in _report_page(client, review)
    client.post(reverse("reviews:submit_qa", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == Review.Status.REPORT_QA
