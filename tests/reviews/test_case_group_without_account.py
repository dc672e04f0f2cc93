"""A practitioner without an account in the Case Group: recorded by name, role, agency and email, and consulted
on the draft findings through a link of their own that shows only this review's findings, expires, stops when
the consultation closes, and is audited."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casereview.audit.models import AuditEvent
from casereview.notifications.models import OutboundEmail
from casereview.reviews import services
from casereview.reviews.models import CaseGroupComment, CaseGroupMember, Finding
from tests.reviews import helpers as h


def _add(client, review, world, **extra):
    return client.post(reverse("reviews:case_group", args=[review.pk]), {
        "name": "Sam Fakely", "job_title": "School nurse", "agency": world.agency_a.pk,
        "email": "sam.fakely@health.example", "involvement": "Saw the child at school", **extra})


def _invite_and_open(review, world):
    member = CaseGroupMember.objects.get(review=review, email="sam.fakely@health.example")
    services.case_group_update(by=world.manager, member=member, status="invited", on=timezone.localdate())
    h.finding(review)
    services.consultation_open(by=world.manager, review=review)
    email = OutboundEmail.objects.filter(to="sam.fakely@health.example", subject__startswith="Draft findings").get()
    return member, re.search(r"/reviews/consultation/([^/\s]+)/", email.body).group(1)


@pytest.mark.django_db
def test_a_practitioner_without_an_account_is_added_with_name_role_agency_and_email(world, as_user):
    review = h.make_review(world)
    response = _add(as_user(world.manager), review, world)

    assert response.status_code == 302
    member = review.case_group.get()
    assert member.user is None and member.display_name == "Sam Fakely" and member.agency == world.agency_a
    page = as_user(world.manager).get(reverse("reviews:case_group", args=[review.pk])).content.decode()
    assert "Sam Fakely" in page and "School nurse" in page and "no account" in page


@pytest.mark.django_db
def test_a_practitioner_without_an_account_needs_an_email_and_an_involved_agency(world, as_user):
    review = h.make_review(world)
    page = _add(as_user(world.manager), review, world, email="").content.decode()
    assert "Enter Sam Fakely&#x27;s email address" in page
    page = _add(as_user(world.manager), review, world, agency=world.agency_b.pk).content.decode()
    assert "Choose an agency involved in this case" in page
    assert not review.case_group.exists()


@pytest.mark.django_db
def test_the_link_shows_only_this_reviews_draft_findings_and_takes_a_comment(world, client):
    review = h.make_review(world)
    other = h.make_review(world, reference="TST-OTHER")
    services.finding_save(by=world.reviewer, review=other, kind=Finding.Kind.IMPROVEMENT,
                          title="A finding of another review", narrative="Elsewhere.")
    services.case_group_add(by=world.manager, review=review, name="Sam Fakely", job_title="School nurse",
                            email="sam.fakely@health.example", agency=world.agency_a,
                            involvement="Saw the child at school")
    member, secret = _invite_and_open(review, world)
    url = reverse("reviews:consultation_link", args=[secret])

    page = client.get(url).content.decode()
    assert "Information was not shared" in page and "A finding of another review" not in page
    assert AuditEvent.objects.filter(action="review.consultation_viewed", object_id=str(review.pk)).exists()

    finding = review.findings.get()
    response = client.post(url, {"finding": finding.pk, "kind": "correction", "text": "It was shared in May."})
    assert response.status_code == 302
    comment = CaseGroupComment.objects.get(member=member)
    assert comment.text == "It was shared in May."
    assert CaseGroupMember.objects.get(pk=member.pk).status == CaseGroupMember.Status.CONTRIBUTED
    assert AuditEvent.objects.filter(action="review.case_group_commented", detail__through_link=True).exists()
    assert not CaseGroupMember.objects.filter(link_hash=secret).exists()  # only the hash is kept


@pytest.mark.django_db
def test_the_link_stops_working_when_it_expires_or_the_consultation_closes(world, client):
    review = h.make_review(world)
    services.case_group_add(by=world.manager, review=review, name="Sam Fakely", email="sam.fakely@health.example",
                            agency=world.agency_a, involvement="Saw the child at school")
    member, secret = _invite_and_open(review, world)
    url = reverse("reviews:consultation_link", args=[secret])
    assert client.get(url).status_code == 200
    assert client.get(reverse("reviews:consultation_link", args=["not-the-secret"])).status_code == 404

    member.refresh_from_db()
    with time_machine.travel(member.link_expires_on + timedelta(days=1), tick=False):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 200

    services.consultation_close(by=world.manager, review=review)
    assert client.get(url).status_code == 404
