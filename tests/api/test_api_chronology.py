"""The merged chronology and new draft entries through the API: the chronology app's selectors, entry form
rules and services, with the same people allowed as on the pages."""

import pytest

from casereview.audit.models import AuditEvent
from casereview.cases.models import CaseAgency
from casereview.chronology.models import ChronologyEntry, ChronologyVersion
from tests.chronology.helpers import accepted_chronology, import_rows, make_review

from . import records

POLICE = [
    ["12/03/2014", "14:30", "Yvonne said Zara had a fall at home", "Police log", "Officer attended", "Incident",
     "Child Q, Mother", "Injury", "Told Testshire Health", "", "Y"],
    ["March 2014", "", "Zara's attendance fell", "Police log", "", "Contact", "Child Q", "", "", "", "N"],
    ["01/09/2015", "09:00", "Police were called to a disturbance", "Police log", "", "Incident", "", "", "", "", ""],
]
HEALTH = [
    ["13/03/2014", "", "Yvonne said Zara had a fall at home and hurt her arm", "ED notes", "X-ray",
     "Health appointment", "Child Q", "", "", "", ""],
    ["2014", "", "Health visitor saw the family during the year", "HV notes", "", "Home visit", "", "", "", "", ""],
]


@pytest.fixture
def merged(world, tmp_path):
    review = make_review(world, "API-MERGED")
    CaseAgency.objects.create(case=world.case, agency=world.agency_b)
    accepted_chronology(world, review, world.agency_a, POLICE, tmp_path, name="pol.csv")
    accepted_chronology(world, review, world.agency_b, HEALTH, tmp_path, name="hlt.csv")
    return review


def _entries(client, review, **query):
    return client.get(f"/api/v1/chronology/reviews/{review.pk}/entries", query)


def _starts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [(e["agency"], e["start"]) for e in response.json()["items"]]


def test_the_merged_chronology_is_in_date_order_and_audited(world, api_client, merged):
    response = _entries(api_client(world.reviewer), merged)
    assert _starts(response) == [("THLT", "2014"), ("TPOL", "2014-03"), ("TPOL", "2014-03-12"),
                                 ("THLT", "2014-03-13"), ("TPOL", "2015-09-01")]
    first_police = response.json()["items"][2]
    assert first_police["start_time"] == "14:30" and first_police["event_type"] == "incident"
    assert first_police["description"] == "Yvonne said Zara had a fall at home"
    assert first_police["key_practice_episode"] is True
    assert AuditEvent.objects.filter(action="review.viewed", actor_username="reviewer",
                                     detail__page="api chronology").count() == 1


def test_filters_agency_dates_event_type_and_words(world, api_client, merged):
    client = api_client(world.reviewer)
    assert _starts(_entries(client, merged, agency="thlt")) == [("THLT", "2014"), ("THLT", "2014-03-13")]
    assert _starts(_entries(client, merged, date_from="2014-03-13", date_to="2015")) == [
        ("THLT", "2014-03-13"), ("TPOL", "2015-09-01")]
    assert _starts(_entries(client, merged, date_to="March 2014")) == [
        ("THLT", "2014"), ("TPOL", "2014-03"), ("TPOL", "2014-03-12"), ("THLT", "2014-03-13")]
    assert _starts(_entries(client, merged, event_type=["incident", "home_visit"])) == [
        ("THLT", "2014"), ("TPOL", "2014-03-12"), ("TPOL", "2015-09-01")]
    assert _starts(_entries(client, merged, q="fall ARM")) == [("THLT", "2014-03-13")]
    assert _starts(_entries(client, merged, key_practice_episode=True)) == [("TPOL", "2014-03-12")]


def test_pages_of_the_merged_chronology(world, api_client, merged):
    client = api_client(world.reviewer)
    first = _entries(client, merged, limit=2).json()
    rest = _entries(client, merged, limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 5
    assert [e["start"] for e in first["items"] + rest["items"]] == ["2014", "2014-03", "2014-03-12", "2014-03-13"]


def test_bad_filters_name_the_field(world, api_client, merged):
    client = api_client(world.reviewer)
    unknown = _entries(client, merged, agency="NOPE")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "agency"
    assert "THLT, TPOL" in unknown.json()["errors"][0]["message"]
    bad_date = _entries(client, merged, date_from="the 32nd")
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "date_from"
    backwards = _entries(client, merged, date_from="2015", date_to="2014")
    assert backwards.json()["errors"] == [{"field": "date_to", "message": "'To' must be the same as or after 'From'"}]
    assert _entries(client, merged, event_type="picnic").json()["errors"][0]["field"] == "event_type.0"
    assert _entries(client, merged, limit="many").json()["errors"][0]["field"] == "limit"


def test_names_can_be_replaced_by_glossary_labels(world, api_client, merged):
    items = _entries(api_client(world.reviewer), merged, anonymised=True).json()["items"]
    police = next(e for e in items if e["start"] == "2014-03-12")
    assert police["description"] == "Mother said Child Q had a fall at home"
    assert {p["name"] for p in police["people"]} == {"Child Q", "Mother"}
    named = next(e for e in _entries(api_client(world.reviewer), merged).json()["items"] if e["start"] == "2014-03-12")
    assert {p["name"] for p in named["people"]} == {"Zara Fictionperson", "Yvonne Fictionperson"}


def test_only_accepted_chronologies_unless_submitted_ones_are_asked_for(world, api_client, tmp_path):
    review = make_review(world, "API-SUB")
    import_rows(world, review, world.agency_a, POLICE, tmp_path, name="pol.csv")  # submitted, not accepted
    client = api_client(world.reviewer)
    assert _entries(client, review).json()["count"] == 0
    assert _entries(client, review, include_submitted=True).json()["count"] == 3


def test_an_agency_author_adds_an_entry_to_their_own_draft(world, api_client):
    review = records.chronology_review(world)
    response = api_client(world.author_a).post(f"/api/v1/chronology/reviews/{review.pk}/entries",
                                               {**records.ENTRY, "start": "?2014-03", "significance": ["q_child"],
                                                "event_ref": "POL-77"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agency"] == "TPOL" and body["event_ref"] == "POL-77" and body["start"] == "?2014-03"
    assert body["start_time"] == "14:30" and body["significance"] == ["q_child"]
    entry = ChronologyEntry.objects.get(pk=body["id"])
    assert entry.version.state == ChronologyVersion.State.DRAFT and entry.author == world.author_a
    assert AuditEvent.objects.filter(action="chronology.entry_added", actor_username="author-a").count() == 1
    # A draft is not part of the merged chronology.
    assert _entries(api_client(world.reviewer), review).json()["count"] == 0


def test_the_next_reference_is_given_when_none_is_sent(world, api_client):
    review = records.chronology_review(world)
    client = api_client(world.author_a)
    url = f"/api/v1/chronology/reviews/{review.pk}/entries"
    refs = [client.post(url, records.ENTRY, content_type="application/json").json()["event_ref"] for _ in range(2)]
    assert refs == ["TPOL-0001", "TPOL-0002"]  # one reference format per agency: CODE-0001


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"start": "31/02/2014"}, "start", "Start date: "),
    ({"start": "", "description": "x"}, "start", "Start date: "),
    ({"end": "2013"}, "end", "End date must be the same as or after the start date"),
    ({"end_time": "10:00"}, "end", "Enter the end date as well as the end time"),
    ({"start_time": "25:99"}, "start_time", "Start time (optional): "),
    ({"source": ""}, "source", "Enter the source of information"),
    ({"description": " "}, "description", "Enter a description of what happened"),
    ({"event_type": "picnic"}, "event_type", "Input should be"),
    ({"people": [999999]}, "people", "Select a valid choice"),
    ({"significance": ["q_nothing"]}, "significance.0", "Input should be"),
    ({"event_ref": "x" * 41}, "event_ref", "Event reference must be 40 characters or fewer"),
])
def test_a_bad_entry_is_refused_field_by_field_and_nothing_is_written(world, api_client, change, field, message):
    review = records.chronology_review(world)
    response = api_client(world.author_a).post(f"/api/v1/chronology/reviews/{review.pk}/entries",
                                               {**records.ENTRY, **change}, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == field and error["message"].startswith(message), error
    assert not ChronologyEntry.objects.exists() and not ChronologyVersion.objects.exists()


def test_a_missing_field_is_named(world, api_client):
    review = records.chronology_review(world)
    body = {k: v for k, v in records.ENTRY.items() if k != "source"}
    response = api_client(world.author_a).post(f"/api/v1/chronology/reviews/{review.pk}/entries", body,
                                               content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"] == [{"field": "source",
                                                                           "message": "Field required"}]


def test_a_reference_already_in_the_draft_is_refused(world, api_client):
    review = records.chronology_review(world)
    client = api_client(world.author_a)
    url = f"/api/v1/chronology/reviews/{review.pk}/entries"
    assert client.post(url, {**records.ENTRY, "event_ref": "POL-1"}, content_type="application/json").status_code == 201
    again = client.post(url, {**records.ENTRY, "event_ref": "pol-1"}, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "event_ref"
    assert ChronologyEntry.objects.count() == 1


def test_a_retried_entry_with_the_same_key_is_added_once(world, api_client):
    review = records.chronology_review(world)
    client = api_client(world.author_a)
    url = f"/api/v1/chronology/reviews/{review.pk}/entries"
    answers = [client.post(url, records.ENTRY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="row-7")
               for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    assert ChronologyEntry.objects.count() == 1


def test_people_of_the_case_can_be_linked(world, api_client):
    review = make_review(world, "API-PEOPLE")
    from casereview.chronology.models import ChronologyRequest

    ChronologyRequest.objects.create(review=review, agency=world.agency_a)
    mother = world.case.people.get(anonymised_label="Mother")
    response = api_client(world.author_a).post(f"/api/v1/chronology/reviews/{review.pk}/entries",
                                               {**records.ENTRY, "people": [mother.pk]},
                                               content_type="application/json")
    assert response.json()["people"] == [{"id": mother.pk, "name": "Yvonne Fictionperson"}]


def test_only_agencies_asked_may_write_and_only_the_review_group_reads_the_merged_view(world, api_client):
    review = records.chronology_review(world)
    url = f"/api/v1/chronology/reviews/{review.pk}/entries"
    assert api_client(world.reviewer).post(url, records.ENTRY, content_type="application/json").status_code == 403
    assert api_client(world.author_b).post(url, records.ENTRY, content_type="application/json").status_code == 404
    assert api_client(world.author_a).get(url).status_code == 403
    assert not ChronologyEntry.objects.exists()


def test_after_returning_its_chronology_an_agency_adds_to_a_copy_of_it(world, api_client, merged):
    client = api_client(world.author_a)
    url = f"/api/v1/chronology/reviews/{merged.pk}/entries"
    taken = client.post(url, {**records.ENTRY, "event_ref": "TPOL-0002"}, content_type="application/json")
    assert taken.status_code == 422 and taken.json()["errors"][0]["field"] == "event_ref"
    response = client.post(url, {**records.ENTRY, "event_ref": "TPOL-NEW"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == 2
    draft = ChronologyVersion.objects.get(review=merged, agency=world.agency_a, state=ChronologyVersion.State.DRAFT)
    assert draft.entries.count() == 4  # the three returned entries, copied, and the new one
    # The accepted version stays in the merged chronology until the new draft is submitted and accepted.
    police = [e for e in _entries(api_client(world.reviewer), merged).json()["items"] if e["agency"] == "TPOL"]
    assert len(police) == 3 and all(e["version"] == 1 for e in police)
