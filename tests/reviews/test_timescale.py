from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.reviews.models import Extension, InterimPoint
from tests.reviews import helpers as h
from tests.reviews.test_setup_and_people import _date


@pytest.mark.django_db
def test_the_six_month_clock_comes_from_the_boards_rule_pack(world, as_user):
    review = h.make_review(world, initiated_on=timezone.localdate() - timedelta(days=200))
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Overdue" in page and "SCR completed: 6 calendar months after review initiated" in page

    world.board.rule_pack = "wt-2018"
    world.board.save()
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Local child safeguarding practice review published: 6 calendar months after" in page


@pytest.mark.django_db
def test_the_court_pause_keeps_the_clock_visible_and_asks_for_interim_points(world, as_user):
    review = h.make_review(world)
    client = as_user(world.manager)
    started = timezone.localdate() - timedelta(days=5)
    response = client.post(reverse("reviews:pause_start", args=[review.pk]), {
        **_date("pause-started_on", started), "pause-reason": "Criminal trial listed for March"})
    assert response.status_code == 302

    page = client.get(reverse("reviews:timescale", args=[review.pk])).content.decode()
    assert "Paused for court proceedings" in page and "Target completion" in page and "On track" in page
    assert "capture the improvements the case already shows and take corrective action" in page
    assert "5 days" in page  # time paused so far

    client.post(reverse("reviews:interim_add", args=[review.pk]), {
        "point-kind": "corrective", "point-text": "GP practices now check the child protection register",
        "point-agency": world.agency_a.pk, **_date("point-recorded_on", timezone.localdate())})
    point = InterimPoint.objects.get()
    assert point.pause is not None and point.kind == "corrective"

    client.post(reverse("reviews:pause_end", args=[review.pk]), {**_date("resume-ended_on", timezone.localdate())})
    assert review.pauses.get().ended_on == timezone.localdate()
    # Carried forward: offered on the findings page and as the first "actions taken" for publication.
    findings = client.get(reverse("reviews:findings", args=[review.pk])).content.decode()
    assert "GP practices now check the child protection register" in findings
    publication = client.get(reverse("reviews:publication", args=[review.pk])).content.decode()
    assert "GP practices now check the child protection register (Testshire Police)" in publication


@pytest.mark.django_db
def test_a_pause_that_ends_before_it_started_is_refused(world, as_user):
    review = h.make_review(world)
    pause = h.open_pause(review, world)
    response = as_user(world.manager).post(reverse("reviews:pause_end", args=[review.pk]), {
        **_date("resume-ended_on", pause.started_on - timedelta(days=1))})
    assert "The pause cannot end before it started" in response.content.decode()
    pause.refresh_from_db()
    assert pause.ended_on is None


@pytest.mark.django_db
def test_a_pause_cannot_start_before_the_review(world, as_user):
    review = h.make_review(world)
    response = as_user(world.manager).post(reverse("reviews:pause_start", args=[review.pk]), {
        **_date("pause-started_on", review.initiated_on - timedelta(days=1)), "pause-reason": "Trial"})
    assert "The pause must start on or after the review started" in response.content.decode()
    assert not review.pauses.exists()


@pytest.mark.django_db
def test_an_extension_is_asked_for_with_a_reason_and_approved_by_the_chair(world, as_user):
    review = h.make_review(world)
    target = review.initiated_on + timedelta(days=260)
    as_user(world.manager).post(reverse("reviews:extension_request", args=[review.pk]), {
        **_date("ext-new_target_on", target), "ext-reason": "Agency reports arrived late"})
    extension = Extension.objects.get()
    assert "waiting for a decision" in as_user(world.manager).get(
        reverse("reviews:timescale", args=[review.pk])).content.decode()

    as_user(world.chair).post(reverse("reviews:extension_decide", args=[review.pk, extension.pk]), {
        "dec-approve": "approve", "dec-note": ""})
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f"{target.day} {target:%B %Y}" in page and "Extended from" in page


@pytest.mark.django_db
def test_an_extension_to_an_earlier_date_is_refused(world, as_user):
    review = h.make_review(world)
    response = as_user(world.manager).post(reverse("reviews:extension_request", args=[review.pk]), {
        **_date("ext-new_target_on", review.initiated_on + timedelta(days=10)), "ext-reason": "More time"})
    assert "The new target date must be after the current target" in response.content.decode()
    assert not Extension.objects.exists()
