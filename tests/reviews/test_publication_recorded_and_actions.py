"""The report and publication pages offer what the person may do now, 404 a review out of their scope, and a
publication made before the board used CaseReview is recorded on its own day (the demo's DEMO-4 is one)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.audit.models import AuditEvent
from casereview.reviews import services
from casereview.reviews.models import Review, ReviewMember
from tests.reviews import helpers as h
from tests.reviews.test_demo_and_pages import riverside  # noqa: F401 - the demo board fixture
from tests.reviews.test_report_and_publication import _ready

SEND_FOR_QA = "to the SCR Committee for quality assurance</button>"
ADD_VERSION = "Upload a Word or PDF version"
APPROVE = "Approve version 1 for the board"
RETURN = "Return the report to the lead reviewers"
PUBLISH_BUTTON = "Publish the report today"


def _report(client, review) -> str:
    response = client.get(reverse("reviews:report", args=[review.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_report_page_offers_each_person_what_they_may_do_at_each_stage(world, as_user):
    review = h.make_review(world)
    h.written_version(review, world)
    writer, chair = as_user(world.reviewer), as_user(world.chair)

    page = _report(writer, review)
    assert ADD_VERSION in page and SEND_FOR_QA in page
    page = _report(chair, review)
    assert ADD_VERSION not in page and SEND_FOR_QA not in page and APPROVE not in page

    services.review_submit_for_qa(by=world.reviewer, review=review)
    page = _report(writer, review)
    assert ADD_VERSION in page and SEND_FOR_QA not in page and APPROVE not in page and RETURN not in page
    assert "The report is with the SCR Committee for quality assurance" in page
    page = _report(chair, review)
    assert APPROVE in page and RETURN in page and ADD_VERSION not in page
    # Each view of the report page is in the audit trail.
    assert AuditEvent.objects.filter(action="review.viewed", object_id=str(review.pk), actor_username="ichair",
                                     detail__page="report").count() == 2


@pytest.mark.django_db
def test_returning_a_report_without_a_reason_is_refused_on_the_page(world, as_user):
    review = h.make_review(world, reference="TST-QA", status=Review.Status.REPORT_QA)
    h.written_version(review, world)
    response = as_user(world.chair).post(reverse("reviews:return_qa", args=[review.pk]), {"ret-reason": " "})

    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Say what needs to change in the report" in page
    review.refresh_from_db()
    assert review.status == Review.Status.REPORT_QA
    assert not AuditEvent.objects.filter(action="review.returned_from_qa").exists()


@pytest.mark.django_db
def test_a_lead_reviewer_finds_nothing_of_a_review_they_do_not_lead(world, as_user):
    h.make_review(world)  # the review they lead
    other = h.make_review(world, reference="TST-2")
    ReviewMember.objects.filter(review=other).delete()
    version = h.written_version(other, world)
    client = as_user(world.reviewer)

    for url in (reverse("reviews:report", args=[other.pk]), reverse("reviews:version_write", args=[other.pk]),
                reverse("reviews:version", args=[other.pk, version.pk]),
                reverse("reviews:version_download", args=[other.pk, version.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("reviews:version_write", args=[other.pk]), {"text": "A new version."})
    assert response.status_code == 404
    assert other.report_versions.count() == 1


@pytest.mark.django_db
def test_the_publication_page_offers_publishing_only_once_the_board_has_approved(world, as_user):
    review = h.make_review(world)
    page = as_user(world.manager).get(reverse("reviews:publication", args=[review.pk])).content.decode()
    assert PUBLISH_BUTTON not in page and "The board must approve the report before it is published" in page

    approved = h.make_review(world, reference="TST-APP", status=Review.Status.APPROVED)
    page = as_user(world.manager).get(reverse("reviews:publication", args=[approved.pk])).content.decode()
    assert PUBLISH_BUTTON in page and "Record the decision not to publish" in page
    page = as_user(world.chair).get(reverse("reviews:publication", args=[approved.pk])).content.decode()
    assert PUBLISH_BUTTON not in page and "Save the planned date" not in page and "Save the statement" not in page
    assert AuditEvent.objects.filter(action="review.viewed", object_id=str(approved.pk), actor_username="ichair",
                                     detail__page="publication").exists()


def _approved_on(world, day: date) -> Review:
    review = h.make_review(world, reference="TST-HIST", status=Review.Status.APPROVED, approved_on=day,
                           initiated_on=day - timedelta(days=120))
    _ready(world, review)
    return review


@pytest.mark.django_db
def test_a_publication_made_before_the_board_used_casereview_is_recorded_on_its_day(world, client):
    today = timezone.localdate()
    review = _approved_on(world, today - timedelta(days=60))
    services.panel_copy_sent(by=world.manager, review=review, sent_on=today - timedelta(days=50))

    services.review_publish(by=world.manager, review=review, confirmed=True, published_on=today - timedelta(days=40))

    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED and review.published_on == today - timedelta(days=40)
    assert review.planned_publication_on == review.published_on and review.published_report.pdf
    event = AuditEvent.objects.get(action="review.published")
    assert event.detail["recorded_after_the_event"] is True
    assert event.detail["published_on"] == review.published_on.isoformat()
    assert "Child Q" in client.get(reverse("reviews:public_list", args=[world.board.slug])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "message"), [
    (1, "The date the report was published must be today or in the past"),
    (-61, "the date it was published must be the same or later"),
])
def test_a_publication_cannot_be_recorded_in_the_future_or_before_the_approval(world, days, message):
    today = timezone.localdate()
    review = _approved_on(world, today - timedelta(days=60))
    services.panel_copy_sent(by=world.manager, review=review, sent_on=today - timedelta(days=60))

    with pytest.raises(services.ReviewError, match=message):
        services.review_publish(by=world.manager, review=review, confirmed=True,
                                published_on=today + timedelta(days=days))
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED and review.published_on is None
    assert not AuditEvent.objects.filter(action="review.published").exists()


def test_the_demos_published_review_went_through_the_services_on_its_own_days(riverside):  # noqa: F811
    review = Review.objects.get(reference="DEMO-4")
    assert review.status == Review.Status.PUBLISHED
    assert (review.approved_on, review.published_on) == (date(2026, 5, 6), date(2026, 6, 15))
    version = review.published_version
    assert version.qa_signed_off_by.username == "scr-chair" and version.board_approved_by.username == "chair"
    assert review.published_report.version == version
    actions = set(AuditEvent.objects.filter(object_id=str(review.pk), object_type__endswith="review")
                  .values_list("action", flat=True))
    assert {"review.analysis_started", "review.submitted_for_qa", "review.report_qa_signed_off", "review.approved",
            "review.panel_copy_sent", "review.published"} <= actions
    assert review.findings.count() == 3 and review.recommendations.count() == 4
