"""Two people of one agency changing the same entry of their draft at once: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.chronology import services
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion
from casereview.chronology.services import ChronologyError, EntryDetails
from casereview.lib.chrono_dates import FuzzyDate
from casereview.partnership.roles import Role
from tests.chronology.helpers import make_review
from tests.chronology.test_entry_and_submit import entry_post
from tests.factories import UserFactory
from tests.support.edit_conflict import changes_written, second_save_is_refused

pytestmark = pytest.mark.django_db


def test_a_stale_change_to_a_draft_entry_is_refused(world, as_user):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    author, lead = as_user(world.author_a), as_user(world.lead_a)
    author.post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    entry = ChronologyEntry.objects.get()
    second_save_is_refused(
        a=author, b=lead, url=reverse("chronology:entry_edit", args=[review.pk, entry.pk]),
        a_data=entry_post(description="Officers attended and spoke to the child alone."),
        b_data=entry_post(description="Officers attended.", risk=""), what="entry")
    entry = ChronologyEntry.objects.get()
    assert (entry.description, entry.risk) == ("Officers attended and spoke to the child alone.", "Domestic abuse")


def test_an_edit_racing_with_the_drafts_submission_is_refused(world, as_user):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    as_user(world.author_a).post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    opened = ChronologyEntry.objects.select_related("version").get()  # the author's edit began on the draft
    services.version_submit(by=world.lead_a, version=ChronologyVersion.objects.get())  # the lead submits first
    before = changes_written()
    with pytest.raises(ChronologyError, match="submitted this chronology while you were editing the entry"):
        services.entry_update(by=world.author_a, entry=opened, edit_version=opened.edit_version,
                              details=EntryDetails(start=FuzzyDate(2014, 3),
                                                   description="Officers attended and spoke to the child alone."))
    assert ChronologyEntry.objects.get().description == "Officers attended the home."
    assert changes_written() == before, "the refused edit wrote an audit event"


def test_a_stale_change_to_the_chasing_settings_is_refused(world, as_user):
    from casereview.chronology.models import ReviewChronology

    review = make_review(world)
    manager = as_user(world.manager)
    other = as_user(UserFactory(board=world.board, username="bm2", roles=[Role.BUSINESS_MANAGER]))
    second_save_is_refused(
        a=manager, b=other, url=reverse("chronology:requests", args=[review.pk]),
        a_data={"form": "chasing", "remind_days_before": "5", "chase_every_days": "10"},
        b_data={"form": "chasing", "remind_days_before": "1", "chase_every_days": "3"}, what="chronology's settings")
    settings = ReviewChronology.objects.get(review=review)
    assert (settings.remind_days_before, settings.chase_every_days) == (5, 10)


def test_a_draft_submitted_twice_from_two_pages_is_submitted_once(world):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    services.entry_create(by=world.author_a, review=review,
                          details=EntryDetails(start=FuzzyDate(2014, 3), description="Officers attended the home."))
    page_copy = ChronologyVersion.objects.get()  # drawn on both leads' pages
    services.version_submit(by=world.lead_a, version=ChronologyVersion.objects.get())
    with pytest.raises(ChronologyError, match="already been submitted"):
        services.version_submit(by=world.lead_a, version=page_copy)
    assert ChronologyVersion.objects.get().state == ChronologyVersion.State.SUBMITTED
