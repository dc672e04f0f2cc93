"""G6 item 3: every view of a case record is an audit event naming the record and the page, never a name."""

from django.urls import reverse

from casereview.audit.models import AuditEvent
from tests.reviews import helpers as h


def events(user, action=None):
    found = AuditEvent.objects.filter(actor_id=user.pk)
    return found.filter(action=action) if action else found


def test_viewing_findings_family_and_the_merged_chronology_is_recorded(world, as_user):
    review = h.make_review(world)
    h.finding(review)
    client = as_user(world.manager)
    for url_name, action, page in [("reviews:findings", "review.viewed", "findings"),
                                   ("reviews:family", "review.viewed", "family involvement"),
                                   ("reviews:case_group", "review.viewed", "case group"),
                                   ("chronology:merged", "chronology.merged_viewed", None)]:
        assert client.get(reverse(url_name, args=[review.pk])).status_code == 200
        event = events(world.manager, action)
        event = (event.filter(detail__page=page) if page else event).get()
        assert event.object_type == "reviews.review" and event.object_id == str(review.pk)
        assert event.board_id == world.board.pk
        assert "Child Q" not in event.object_label  # a reference, never the child's name


def test_a_page_that_records_its_own_visit_is_not_recorded_twice(world, as_user):
    client = as_user(world.manager)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    assert events(world.manager).count() == 1
    assert events(world.manager).get().action == "case.viewed"


def test_a_refused_or_missing_page_writes_no_view_event(world, as_user):
    review = h.make_review(world)
    assert as_user(world.author_b).get(reverse("reviews:findings", args=[review.pk])).status_code == 404
    assert not events(world.author_b).exists()
    assert as_user(world.manager).get(reverse("reviews:findings", args=[review.pk + 999])).status_code == 404
    assert not events(world.manager).exists()


def test_the_view_event_carries_the_readers_address(world, as_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    review = h.make_review(world)
    as_user(world.manager).get(reverse("reviews:timescale", args=[review.pk]), REMOTE_ADDR="10.0.0.2",
                               HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert events(world.manager, "review.viewed").get().ip_address == "198.51.100.7"
