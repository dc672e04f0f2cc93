"""Chronologies asked for while a referral is considered (issue G2): the business unit asks from the referral's
page, the agency writes and submits as for a review, and when the referral becomes a review (any type) the
requests and chronologies carry into it. Built on an empty installation (the `world` fixture, no demo)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.chronology import services as chronology_services
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion
from casereview.core.dashboard import waiting_for
from casereview.lib.dates import today
from casereview.notifications.models import OutboundEmail
from casereview.referrals import services as referral_services
from casereview.referrals.clocks import referral_chronology_due
from casereview.referrals.details import MatrixDetails
from casereview.referrals.models import Referral
from casereview.reviews.models import Review
from tests.chronology.test_entry_and_submit import entry_post
from tests.referrals.factories import ANSWERS_MET, make_referral, minute_recommendation
from tests.referrals.test_flow import _date

pytestmark = pytest.mark.django_db


def _ask(world, as_user, referral, agencies=None):
    manager = as_user(world.manager)
    return manager.post(reverse("chronology:referral_requests", args=[referral.pk]), {
        "agencies": [a.pk for a in (agencies or [world.agency_a])],
        **_date("deadline", today() + timedelta(days=10))})


def _write_and_submit(world, as_user, referral):
    author = as_user(world.author_a)
    assert author.post(reverse("chronology:referral_entry_add", args=[referral.pk]),
                       entry_post()).status_code == 302
    lead = as_user(world.lead_a)
    assert lead.post(reverse("chronology:referral_submit", args=[referral.pk]), {"confirm": "on"}).status_code == 302


def test_the_business_unit_asks_agencies_for_chronologies_at_referral_stage(world, as_user):
    referral = make_referral(world, Referral.Status.RECEIVED, child_name="Zebedee Fictionperson")
    manager = as_user(world.manager)
    # The referral's page offers it; the deadline comes from the board's clock for the decision.
    assert reverse("chronology:referral_requests", args=[referral.pk]) in manager.get(
        reverse("referrals:detail", args=[referral.pk])).text
    page = manager.get(reverse("chronology:referral_requests", args=[referral.pk])).text
    due = referral_chronology_due(referral)
    assert due is not None and f'value="{due.year}"' in page

    response = _ask(world, as_user, referral)
    assert response.status_code == 302
    request = ChronologyRequest.objects.get(referral=referral)
    assert request.review is None and request.agency == world.agency_a and request.delivered
    emails = OutboundEmail.objects.filter(subject__startswith=f"Chronology requested for referral {referral.reference}")
    assert set(emails.values_list("to", flat=True)) == {world.author_a.email, world.lead_a.email}
    assert all("Zebedee" not in e.subject and "Fictionperson" not in e.body for e in emails)
    assert AuditEvent.objects.filter(action="chronology.requested_at_referral").exists()

    # Asking the same agency again is refused with what to do instead.
    page = _ask(world, as_user, referral).text
    assert "Select a valid choice" in page or "already been asked" in page
    assert ChronologyRequest.objects.filter(referral=referral).count() == 1


def test_the_agency_writes_and_its_lead_submits_the_chronology_for_the_referral(world, as_user):
    referral = make_referral(world, Referral.Status.RECEIVED)
    _ask(world, as_user, referral)
    # It waits on agency A's home page, not agency B's.
    item = next(i for i in waiting_for(world.author_a) if referral.reference in i.label)
    assert item.url == reverse("chronology:referral_agency", args=[referral.pk])
    assert not [i for i in waiting_for(world.author_b) if referral.reference in i.label]
    assert as_user(world.author_b).get(item.url).status_code == 404

    author = as_user(world.author_a)
    assert author.post(reverse("chronology:referral_entry_add", args=[referral.pk]),
                       entry_post()).status_code == 302
    assert "Officers attended the home." in author.get(item.url).text
    # The author corrects an entry and removes a mistaken one, as in a review's draft.
    author.post(reverse("chronology:referral_entry_add", args=[referral.pk]), entry_post(description="Mistake."))
    entry, mistake = ChronologyEntry.objects.filter(referral=referral).order_by("pk")
    assert author.post(reverse("chronology:referral_entry_edit", args=[referral.pk, entry.pk]),
                       entry_post(description="Officers attended the home.", response="Arrest")).status_code == 302
    assert ChronologyEntry.objects.get(pk=entry.pk).response == "Arrest"
    author.post(reverse("chronology:referral_entry_delete", args=[referral.pk, mistake.pk]))
    assert not ChronologyEntry.objects.filter(pk=mistake.pk).exists()
    assert as_user(world.author_b).get(reverse("chronology:referral_entry_edit",
                                               args=[referral.pk, entry.pk])).status_code == 404
    # Only the safeguarding lead submits.
    assert author.get(reverse("chronology:referral_submit", args=[referral.pk])).status_code == 403
    lead = as_user(world.lead_a)
    assert "Confirm that you have checked the entries" in lead.post(
        reverse("chronology:referral_submit", args=[referral.pk]), {}).text
    lead.post(reverse("chronology:referral_submit", args=[referral.pk]), {"confirm": "on"})
    assert ChronologyRequest.objects.get(referral=referral).status == ChronologyRequest.Status.SUBMITTED
    assert not [i for i in waiting_for(world.author_a) if referral.reference in i.label]

    # The business unit reads it to inform the decision, and so does the Independent Chair, who cannot ask.
    page = as_user(world.manager).get(reverse("chronology:referral_requests", args=[referral.pk])).text
    assert "Officers attended the home." in page and "Submitted" in page
    chair = as_user(world.chair)
    page = chair.get(reverse("chronology:referral_requests", args=[referral.pk])).text
    assert "Officers attended the home." in page and "Send requests" not in page
    assert reverse("chronology:referral_requests", args=[referral.pk]) in chair.get(
        reverse("referrals:detail", args=[referral.pk])).text
    assert chair.post(reverse("chronology:referral_requests", args=[referral.pk]),
                      {"agencies": [world.agency_b.pk]}).status_code == 403


@pytest.mark.parametrize("route", ["scr", "cir"])
def test_chronologies_carry_into_the_review_the_referral_becomes(world, as_user, route):
    purpose = Referral.Purpose.SCR if route == "scr" else Referral.Purpose.LEARNING
    referral = make_referral(world, Referral.Status.RECEIVED, purpose=purpose)
    _ask(world, as_user, referral)
    _write_and_submit(world, as_user, referral)
    referral = Referral.objects.get(pk=referral.pk)
    if route == "scr":
        minute_recommendation(world, referral)
        referral_services.matrix_save(by=world.manager, referral=referral, version=referral.version,
                                      answers=ANSWERS_MET, complete=True,
                                      details=MatrixDetails(recommended_outcome="scr_intensive", rationale="Met."))
        referral_services.decision_record(by=world.chair, referral=Referral.objects.get(pk=referral.pk),
                                          decision="scr_intensive", decided_on=today(), rationale="Met.")
    else:
        referral_services.referral_route(by=world.manager, referral=referral, outcome="cir", decided_on=today(),
                                         reason="Learning about information sharing.")
    review = Review.objects.get(case=referral.case)

    request = ChronologyRequest.objects.get(agency=world.agency_a)
    assert request.review == review and request.carried_from == referral.reference  # carried, provenance kept
    assert request.referral is None  # the review owns it: the referral's retention never removes it
    assert ChronologyVersion.objects.get(agency=world.agency_a).review == review
    assert ChronologyEntry.objects.get(agency=world.agency_a).review == review
    assert AuditEvent.objects.filter(action="chronology.carried_into_review").exists()

    # The review's chronology page shows the return; asking again does not re-request agency A.
    page = as_user(world.manager).get(reverse("chronology:review", args=[review.pk])).text
    assert world.agency_a.name in page and "Submitted" in page
    assert f"Asked while referral {referral.reference} was considered" in page
    before = OutboundEmail.objects.count()
    created = chronology_services.requests_create(by=world.manager, review=review, agencies=[world.agency_a],
                                                  deadline=today() + timedelta(days=20))
    assert created == 0 and ChronologyRequest.objects.count() == 1
    assert OutboundEmail.objects.count() >= before  # the deadline move is told, nothing new is asked
    # The review group accepts it there, as any return.
    version = ChronologyVersion.objects.get(agency=world.agency_a)
    chronology_services.version_accept(by=world.manager, version=version)
    assert ChronologyEntry.objects.get(agency=world.agency_a).current_accepted


def test_a_referral_that_ends_without_a_review_keeps_its_chronologies(world, as_user):
    referral = make_referral(world, Referral.Status.RECEIVED, purpose=Referral.Purpose.LEARNING)
    _ask(world, as_user, referral)
    _write_and_submit(world, as_user, referral)
    referral_services.referral_route(by=world.manager, referral=Referral.objects.get(pk=referral.pk),
                                     outcome="none", decided_on=today(), reason="Nothing further to learn.")
    assert not Review.objects.filter(case=referral.case).exists()
    request = ChronologyRequest.objects.get(referral=referral)
    assert request.review is None
    assert ChronologyEntry.objects.filter(referral=referral, review__isnull=True).count() == 1
    # Still readable from the referral; no more requests once decided.
    page = as_user(world.manager).get(reverse("chronology:referral_requests", args=[referral.pk])).text
    assert "Officers attended the home." in page and "Send requests" not in page


def test_the_daily_job_reminds_and_chases_referral_stage_requests(world, as_user):
    referral = make_referral(world, Referral.Status.RECEIVED)
    _ask(world, as_user, referral)
    deadline = ChronologyRequest.objects.get(referral=referral).deadline
    assert chronology_services.chase_due_requests(today=deadline - timedelta(days=1)) == {"reminded": 1,
                                                                                          "chased": 0}
    assert chronology_services.chase_due_requests(today=deadline + timedelta(days=1)) == {"reminded": 0,
                                                                                          "chased": 1}
    chased = OutboundEmail.objects.filter(to=world.lead_a.email, subject__startswith="Overdue").get()
    assert f"referral {referral.reference}" in chased.subject
    assert reverse("chronology:referral_agency", args=[referral.pk]) in chased.body


def test_a_stale_change_to_a_referral_stage_entry_is_refused(world, as_user):
    from tests.support.edit_conflict import second_save_is_refused

    referral = make_referral(world, Referral.Status.RECEIVED)
    _ask(world, as_user, referral)
    author, lead = as_user(world.author_a), as_user(world.lead_a)
    assert author.post(reverse("chronology:referral_entry_add", args=[referral.pk]), entry_post()).status_code == 302
    entry = ChronologyEntry.objects.get()
    second_save_is_refused(
        a=author, b=lead, url=reverse("chronology:referral_entry_edit", args=[referral.pk, entry.pk]),
        a_data=entry_post(description="Officers attended and spoke to the child alone."),
        b_data=entry_post(description="Officers attended."), what="entry")
    assert ChronologyEntry.objects.get().description == "Officers attended and spoke to the child alone."


def test_a_referral_stage_draft_is_submitted_once(world, as_user):
    from casereview.chronology import referral_stage

    referral = make_referral(world, Referral.Status.RECEIVED)
    _ask(world, as_user, referral)
    _write_and_submit(world, as_user, referral)
    request = ChronologyRequest.objects.get()
    with pytest.raises(chronology_services.ChronologyError):
        referral_stage.referral_version_submit(by=world.lead_a, request=request)
    assert ChronologyVersion.objects.filter(state=ChronologyVersion.State.SUBMITTED).count() == 1
