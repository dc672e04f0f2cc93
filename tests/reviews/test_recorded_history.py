"""A review's past recorded through the services (an approval given, or a whole review completed, before the board
used CaseReview), the stages of a closed review (never overdue), and the Panel's copy (sent after the approval)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.lib.dates import today
from casereview.reviews import services
from casereview.reviews.models import Review
from tests.factories import review_in
from tests.reviews.test_setup_and_people import _date


def _signed_off(world, *, days_ago: int):
    """A review whose report was written, checked and signed off `days_ago` days ago, waiting for the board."""
    review = review_in(world, "analysis", initiated_on=today() - timedelta(days=days_ago + 60))
    day = today() - timedelta(days=days_ago)
    version = services.version_write(by=world.reviewer, review=review, text="The report.", written_on=day)
    services.review_submit_for_qa(by=world.reviewer, review=review)
    services.version_checklist(by=world.manager, version=version, check_analysis=True, check_plain_english=True,
                               check_publishable=True, check_good_practice=True, checked_on=day)
    services.version_qa_sign_off(by=world.manager, version=version, comments="", signed_off_on=day)
    return Review.objects.get(pk=review.pk), version


def _stage(world, review, *, due_days_ago: int):
    return services.milestone_save(by=world.manager, review=review, name="Practitioner event",
                                   due_on=today() - timedelta(days=due_days_ago), completed_on=None, owner=None)


@pytest.mark.django_db
def test_an_approval_given_before_the_board_used_casereview_is_recorded_on_its_day(world):
    review, version = _signed_off(world, days_ago=40)
    approved = today() - timedelta(days=30)

    review = services.review_approve(by=world.chair, review=review, confirmed=True, approved_on=approved)

    version.refresh_from_db()
    assert review.status == Review.Status.APPROVED and review.approved_on == approved
    assert version.board_approved_at.date() == approved
    event = AuditEvent.objects.get(action="review.approved")
    assert event.detail == {"version": 1, "on": approved.isoformat(), "recorded_after_the_event": True}


@pytest.mark.django_db
@pytest.mark.parametrize(("days_ago", "message"), [
    (-1, "The date the board approved the report must be today or in the past"),
    (41, "The date the board approved the report must be on or after the quality assurance sign-off"),
])
def test_a_past_approval_in_the_future_or_before_the_sign_off_is_refused(world, days_ago, message):
    review, _ = _signed_off(world, days_ago=40)

    with pytest.raises(services.ReviewError, match=message):
        services.review_approve(by=world.chair, review=review, confirmed=True,
                                approved_on=today() - timedelta(days=days_ago))
    review.refresh_from_db()
    assert review.status == Review.Status.REPORT_QA and review.approved_on is None
    assert not AuditEvent.objects.filter(action="review.approved").exists()


@pytest.mark.django_db
def test_a_sign_off_cannot_be_dated_before_its_checklist(world):
    review = review_in(world, "report_qa", initiated_on=today() - timedelta(days=90))
    version = review.report_versions.get()
    services.version_checklist(by=world.manager, version=version, check_analysis=True, check_plain_english=True,
                               check_publishable=True, check_good_practice=True)

    with pytest.raises(services.ReviewError, match="must be on or after the quality checklist"):
        services.version_qa_sign_off(by=world.manager, version=version, comments="",
                                     signed_off_on=today() - timedelta(days=1))
    version.refresh_from_db()
    assert version.qa_signed_off_at is None


@pytest.mark.django_db
def test_a_review_completed_before_the_board_used_casereview_is_recorded_as_published(world):
    review = review_in(world, "analysis", initiated_on=today() - timedelta(days=400), findings=1)
    approved, published = today() - timedelta(days=200), today() - timedelta(days=180)

    review = services.review_record_completed(by=world.manager, review=review, approved_on=approved,
                                              published_on=published)

    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    assert (review.approved_on, review.published_on) == (approved, published)
    event = AuditEvent.objects.get(action="review.recorded_completed")
    assert event.detail["recorded_after_the_event"] is True and event.detail["published_on"] == published.isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize(("approved", "published", "message"), [
    (-10, 1, "The date the report was published must be today or in the past"),
    (-5, -10, "the date it was published must be the same or later"),
    (-500, -5, "the date the board approved the report must be the same or later"),
])
def test_a_completed_review_with_dates_in_the_future_or_out_of_order_is_refused(world, approved, published,
                                                                                 message):
    review = review_in(world, "analysis", initiated_on=today() - timedelta(days=400))

    with pytest.raises(services.ReviewError, match=message):
        services.review_record_completed(by=world.manager, review=review,
                                         approved_on=today() + timedelta(days=approved),
                                         published_on=today() + timedelta(days=published))
    review.refresh_from_db()
    assert review.status == Review.Status.ANALYSIS and review.published_on is None
    assert not AuditEvent.objects.filter(action="review.recorded_completed").exists()


@pytest.mark.django_db
def test_a_review_whose_report_is_in_casereview_is_not_recorded_as_completed_outside_it(world):
    review = review_in(world, "report_qa")

    with pytest.raises(services.ReviewError, match="the board approves it on the Report page"):
        services.review_record_completed(by=world.manager, review=review, approved_on=today(),
                                         published_on=today())
    review.refresh_from_db()
    assert review.status == Review.Status.REPORT_QA


@pytest.mark.django_db
def test_a_published_review_shows_nothing_overdue_where_an_open_one_does(world, as_user):
    open_review = review_in(world, "analysis", reference="TST-OPEN")
    _stage(world, open_review, due_days_ago=5)
    # A Serious Case Review past its six months, approved late and published, with a stage never marked done.
    closed = review_in(world, "analysis", reference="TST-PAST", type=Review.Type.SCR_INTENSIVE,
                       initiated_on=today() - timedelta(days=300))
    _stage(world, closed, due_days_ago=200)
    for review in (open_review, closed):
        services.agency_request_add(by=world.manager, review=review, agency=world.agency_a, what="Agency report",
                                    requested_on=review.initiated_on, due_on=review.initiated_on + timedelta(days=5))
    services.review_record_completed(by=world.manager, review=closed, approved_on=today() - timedelta(days=20),
                                     published_on=today() - timedelta(days=10))
    client = as_user(world.manager)

    for name in ("reviews:detail", "reviews:stages", "reviews:requests"):
        page = client.get(reverse(name, args=[open_review.pk])).content.decode()
        assert ">Overdue<" in page
        page = client.get(reverse(name, args=[closed.pk])).content.decode()
        assert "overdue" not in page.lower()
    page = client.get(reverse("reviews:stages", args=[closed.pk])).content.decode()
    assert "Practitioner event" in page and "Not marked done" in page
    assert "Not returned" in client.get(reverse("reviews:requests", args=[closed.pk])).content.decode()
    timescale = client.get(reverse("reviews:timescale", args=[closed.pk])).content.decode()
    assert "Met late" in timescale and "overdue" not in timescale.lower()
    assert "TST-PAST" not in client.get(reverse("deadlines:list")).content.decode()
    home = as_user(world.chair).get(reverse("home")).content.decode()
    assert "TST-OPEN" in home and "TST-PAST" not in home


@pytest.mark.django_db
def test_the_panel_copy_cannot_be_dated_before_the_board_approved_the_report(world, as_user):
    approved = today() - timedelta(days=10)
    review = review_in(world, "approved", type=Review.Type.SCR_INTENSIVE, approved_on=approved)

    response = as_user(world.manager).post(reverse("reviews:panel_copy", args=[review.pk]),
                                           _date("panel-sent_on", approved - timedelta(days=1)))

    page = response.content.decode()
    assert "There is a problem" in page
    assert "the date the copy was sent must be the same or later" in page
    review.refresh_from_db()
    assert review.panel_copy_sent_on is None
    assert not AuditEvent.objects.filter(action="review.panel_copy_sent").exists()
    services.panel_copy_sent(by=world.manager, review=review, sent_on=approved)
    review.refresh_from_db()
    assert review.panel_copy_sent_on == approved
