"""What every list and write of the API does with awkward input: pages stay in range, ids stay in the database's
range, and nothing becomes a server error."""

import pytest

from . import records

LISTS = ["/api/v1/referrals", "/api/v1/actions/plans", "/api/v1/actions/actions", "/api/v1/learning/findings"]


@pytest.mark.parametrize("path", LISTS)
def test_limits_are_kept_between_1_and_200_and_a_far_offset_is_an_empty_page(world, api_client, path):
    records.referral(world)
    records.plan(world)
    client = api_client(world.manager)
    everything = client.get(path, {"limit": 10**30}).json()
    assert everything["count"] == len(everything["items"])
    one = client.get(path, {"limit": -10**30, "offset": -10**30}).json()
    assert len(one["items"]) == min(1, everything["count"])
    far = client.get(path, {"offset": 10**30})
    assert far.status_code == 200 and far.json()["items"] == [] and far.json()["count"] == everything["count"]


def test_the_merged_chronology_pages_the_same_way(world, api_client):
    review = records.chronology_review(world)
    response = api_client(world.reviewer).get(f"/api/v1/chronology/reviews/{review.pk}/entries",
                                              {"offset": 10**30, "limit": 10**30})
    assert response.status_code == 200 and response.json() == {"items": [], "count": 0}


def test_ids_outside_the_database_range_are_refused_or_not_found(world, api_client):
    client = api_client(world.manager)
    huge = 2**70
    plan = client.get("/api/v1/actions/actions", {"plan": huge})
    assert plan.status_code == 422 and plan.json()["errors"][0]["field"] == "plan"
    for path in (f"/api/v1/referrals/{huge}", f"/api/v1/actions/plans/{huge}", f"/api/v1/actions/actions/{huge}",
                 f"/api/v1/chronology/reviews/{huge}/entries"):
        assert client.get(path).status_code == 404, path
    review = records.chronology_review(world)
    entry = api_client(world.author_a).post(f"/api/v1/chronology/reviews/{review.pk}/entries",
                                            {**records.ENTRY, "people": [huge]}, content_type="application/json")
    assert entry.status_code == 422 and entry.json()["errors"][0]["field"] == "people.0"


def test_an_idempotency_key_must_be_printable_and_short(world, api_client):
    action = records.action(world)
    client = api_client(world.author_a)
    url = f"/api/v1/actions/actions/{action.pk}/updates"
    long_key = client.post(url, records.UPDATE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 201)
    assert long_key.status_code == 422 and long_key.json()["errors"][0]["field"] == "Idempotency-Key"
    control = client.post(url, records.UPDATE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a\tb")
    assert control.status_code == 422 and control.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_openapi_document_names_every_enum_once(world, client):
    document = client.get("/api/v1/openapi.json").json()
    plan_state = next(p for p in document["paths"]["/api/v1/actions/plans"]["get"]["parameters"]
                      if p["name"] == "state")
    referral_status = next(p for p in document["paths"]["/api/v1/referrals"]["get"]["parameters"]
                           if p["name"] == "status")
    schemas = document["components"]["schemas"]
    assert "monitoring" in schemas["PlanState"]["enum"] and "received" in schemas["ReferralStatus"]["enum"]
    assert plan_state != referral_status


@pytest.mark.parametrize("query", ["source_type=xyz&source_type=review", "source_type=review&source_type=xyz",
                                   "state=draft&state=bogus"])
def test_a_filter_given_twice_is_refused_not_read_as_its_last_value(world, api_client, query):
    response = api_client(world.manager).get(f"/api/v1/actions/plans?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"source_type", "state"}
