"""Agency authors enter events in the browser; the safeguarding lead checks and submits; the review group
accepts or sends back; resubmission replaces the earlier version and keeps it in history."""

import pytest
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion
from tests.chronology.helpers import make_review

pytestmark = pytest.mark.django_db


def entry_post(**changes):
    data = {
        "event_ref": "", "start_0": "", "start_1": "3", "start_2": "2014", "start_time": "2:30pm",
        "end_0": "", "end_1": "", "end_2": "", "end_time": "", "source": "Police log", "practitioner_role": "PC",
        "event_type": "incident", "description": "Officers attended the home.", "risk": "Domestic abuse",
        "response": "", "partnership": "", "learning": "", "significance": ["q_pattern"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def review(world):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    return review


def test_author_adds_an_entry_with_month_precision_and_sees_the_checklist(world, as_user, review):
    client = as_user(world.author_a)
    response = client.post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert entry.agency == world.agency_a  # set from the author, never typed
    assert entry.start.iso() == "2014-03" and entry.start_time.hour == 14
    assert entry.event_ref == "TPOL-0001" and entry.q_pattern and not entry.q_child
    page = client.get(reverse("chronology:agency", args=[review.pk])).content.decode()
    assert "March 2014" in page
    assert "Response<span class=\"govuk-visually-hidden\"> not stated" in page
    assert "1 do not yet state all four principles" in page
    assert ChronologyRequest.objects.get(review=review).status == "in_progress"
    assert AuditEvent.objects.filter(action="chronology.entry_added").exists()


@pytest.mark.parametrize("changes, message", [
    ({"source": ""}, "Enter the source of information"),
    ({"start_1": "", "start_2": ""}, "Enter the start date"),
    ({"start_0": "31", "start_1": "2", "start_2": "2014"}, "Start date must be a real date"),
    ({"start_0": "12", "start_1": "", "start_2": "2014"}, "Start date must include a month when it includes a day"),
    ({"end_0": "1", "end_1": "1", "end_2": "2014"}, "End date must be the same as or after the start date"),
    ({"start_time": "25:00"}, "is not a real time"),
    ({"description": ""}, "Enter a description of what happened"),
])
def test_entry_errors_are_shown_and_nothing_is_saved(world, as_user, review, changes, message):
    response = as_user(world.author_a).post(reverse("chronology:entry_add", args=[review.pk]), entry_post(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not ChronologyEntry.objects.exists()


def test_author_edits_and_deletes_only_draft_entries(world, as_user, review):
    client = as_user(world.author_a)
    client.post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    entry = ChronologyEntry.objects.get()
    edit = reverse("chronology:entry_edit", args=[review.pk, entry.pk])
    assert 'value="2014"' in client.get(edit).content.decode()
    client.post(edit, entry_post(description="Changed text", start_0="12"))
    entry = ChronologyEntry.objects.get()
    assert entry.description == "Changed text" and entry.start.iso() == "2014-03-12"
    client.post(reverse("chronology:entry_delete", args=[review.pk, entry.pk]))
    assert not ChronologyEntry.objects.exists()


def test_lead_submits_reviewer_accepts_and_resubmission_keeps_history(world, as_user, review):
    author, lead = as_user(world.author_a), as_user(world.lead_a)
    author.post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    # An author cannot submit: only the safeguarding lead signs off.
    assert author.get(reverse("chronology:submit", args=[review.pk])).status_code == 403
    page = lead.get(reverse("chronology:submit", args=[review.pk])).content.decode()
    assert "1 entry does not state all four principles" in page
    response = lead.post(reverse("chronology:submit", args=[review.pk]), {})
    assert "Confirm that you have checked the entries" in response.content.decode()
    lead.post(reverse("chronology:submit", args=[review.pk]), {"confirm": "on"})
    version = ChronologyVersion.objects.get()
    assert version.state == "submitted" and version.submitted_by == world.lead_a
    assert ChronologyRequest.objects.get(review=review).status == "submitted"

    reviewer = as_user(world.reviewer)
    # Not in the merged chronology until accepted.
    merged = reverse("chronology:merged", args=[review.pk])
    assert "Officers attended the home." not in reviewer.get(merged).content.decode()
    assert "Officers attended the home." in reviewer.get(merged + "?include_submitted=on").content.decode()
    reviewer.post(reverse("chronology:version_accept", args=[review.pk, version.pk]))
    assert ChronologyVersion.objects.get().state == "accepted"
    assert ChronologyRequest.objects.get(review=review).status == "accepted"
    assert "Officers attended the home." in reviewer.get(merged).content.decode()

    # The agency starts a new draft from its accepted version and resubmits.
    author.post(reverse("chronology:draft_start", args=[review.pk]), {"copy": "yes"})
    draft = ChronologyVersion.objects.get(state="draft")
    entry = draft.entries.get()
    author.post(reverse("chronology:entry_edit", args=[review.pk, entry.pk]), entry_post(description="Corrected"))
    lead.post(reverse("chronology:submit", args=[review.pk]), {"confirm": "on"})
    # Until the new version is accepted, the merged chronology keeps the accepted one.
    assert "Officers attended the home." in reviewer.get(merged).content.decode()
    reviewer.post(reverse("chronology:version_accept", args=[review.pk, draft.pk]))
    page = reviewer.get(merged).content.decode()
    assert "Corrected" in page and "Officers attended the home." not in page
    states = list(ChronologyVersion.objects.order_by("number").values_list("state", flat=True))
    assert states == ["superseded", "accepted"]
    old = ChronologyVersion.objects.get(number=1)
    assert old.entries.get().description == "Officers attended the home."
    assert reviewer.get(reverse("chronology:version", args=[review.pk, old.pk])).status_code == 200


def test_send_back_returns_the_draft_with_reasons(world, as_user, review):
    as_user(world.author_a).post(reverse("chronology:entry_add", args=[review.pk]), entry_post())
    lead = as_user(world.lead_a)
    lead.post(reverse("chronology:submit", args=[review.pk]), {"confirm": "on"})
    version = ChronologyVersion.objects.get()
    manager = as_user(world.manager)
    url = reverse("chronology:version_send_back", args=[review.pk, version.pk])
    assert "Enter what the agency should change" in manager.post(url, {"reason": ""}).content.decode()
    manager.post(url, {"reason": "Add the response to each event"})
    assert ChronologyVersion.objects.get().state == "draft"
    page = as_user(world.author_a).get(reverse("chronology:agency", args=[review.pk])).content.decode()
    assert "Add the response to each event" in page


def test_an_author_sees_only_their_own_agencys_versions_and_not_the_merged_chronology(world, as_user, review, tmp_path):
    from casereview.cases.models import CaseAgency
    from tests.chronology.helpers import GOOD_ROWS, accepted_chronology

    CaseAgency.objects.create(case=world.case, agency=world.agency_b)
    other = accepted_chronology(world, review, world.agency_b, GOOD_ROWS, tmp_path)
    client = as_user(world.author_a)
    assert client.get(reverse("chronology:version", args=[review.pk, other.pk])).status_code == 404
    assert client.get(reverse("chronology:merged", args=[review.pk])).status_code == 403
    entry = other.entries.first()
    assert client.get(reverse("chronology:entry_edit", args=[review.pk, entry.pk])).status_code == 404
    assert client.post(reverse("chronology:entry_delete", args=[review.pk, entry.pk])).status_code == 404
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()
