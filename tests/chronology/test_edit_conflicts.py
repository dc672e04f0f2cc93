"""Two people of one agency changing the same entry of their draft at once: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.chronology.models import ChronologyEntry, ChronologyRequest
from tests.chronology.helpers import make_review
from tests.chronology.test_entry_and_submit import entry_post
from tests.support.edit_conflict import second_save_is_refused

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
