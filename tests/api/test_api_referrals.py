"""Referrals and the board's clocks through the API: the same scope and audit as the referral pages."""

from casereview.audit.models import AuditEvent
from casereview.deadlines.services import board_today
from casereview.referrals.models import Referral
from tests.referrals.factories import make_referral

from . import records


def test_the_list_shows_each_referral_with_who_it_waits_on_and_its_next_clock(world, api_client):
    referral = records.referral(world)
    body = api_client(world.manager).get("/api/v1/referrals").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == referral.reference and item["status"] == "received"
    assert item["referrer_agency"] == "TPOL" and item["case_reference"] == referral.case.reference
    assert item["waiting_on"] == "SCR Committee (decision matrix)"
    assert item["next_clock"]["slug"] == "scr-decision" and item["next_clock"]["start"] == str(board_today())


def test_a_draft_is_seen_only_by_its_author_and_their_lead(world, api_client):
    make_referral(world, Referral.Status.DRAFT)
    assert api_client(world.author_a).get("/api/v1/referrals").json()["count"] == 1
    assert api_client(world.lead_a).get("/api/v1/referrals").json()["count"] == 1
    assert api_client(world.manager).get("/api/v1/referrals").json()["count"] == 0
    assert api_client(world.author_b).get("/api/v1/referrals").json()["count"] == 0


def test_the_list_filters_by_status_reference_and_agency(world, api_client):
    received = records.referral(world)
    make_referral(world, Referral.Status.SUBMITTED, child_name="Yolanda Fictionperson")
    client = api_client(world.manager)

    def refs(**query):
        return [r["reference"] for r in client.get("/api/v1/referrals", query).json()["items"]]

    assert len(refs()) == 2
    assert refs(status="received") == [received.reference]
    assert refs(reference=received.reference.lower()) == [received.reference]
    assert refs(agency="tpol") == refs() and refs(agency="THLT") == []
    assert refs(purpose="learning") == []


def test_bad_filters_name_the_field(world, api_client):
    client = api_client(world.manager)
    response = client.get("/api/v1/referrals", {"status": "lost"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    response = client.get("/api/v1/referrals", {"agency": "NOPE"})
    assert response.json()["errors"] == [{"field": "agency", "message": "There is no agency with the code NOPE"}]
    response = client.get("/api/v1/referrals", {"reference": "REF\x00"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reference",
                                          "message": "Remove the null character from this value"}]


def test_pages_are_limited_and_an_offset_past_the_end_is_empty(world, api_client):
    records.referral(world)
    make_referral(world, Referral.Status.SUBMITTED, child_name="Yolanda Fictionperson")
    client = api_client(world.manager)
    first = client.get("/api/v1/referrals", {"limit": 1}).json()
    second = client.get("/api/v1/referrals", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    beyond = client.get("/api/v1/referrals", {"offset": 10**30})
    assert beyond.status_code == 200 and beyond.json() == {"items": [], "count": 2}


def test_the_detail_is_audited_and_shows_clocks_requests_and_the_decision(world, api_client):
    referral = make_referral(world, Referral.Status.DECIDED)
    body = api_client(world.chair).get(f"/api/v1/referrals/{referral.pk}").json()
    assert body["status"] == "decided"
    assert body["decision"]["decision"] == "not_initiated"
    assert body["decision"]["rationale"] == "The Chair's fictional rationale."
    assert [c["code"] for c in body["criteria"]] == ["1", "2b"]
    scr = next(c for c in body["clocks"] if c["slug"] == "scr-decision")
    assert scr["met_on"] == str(board_today()) and scr["status"] == "met"
    assert "panel-notice" in [c["slug"] for c in body["clocks"]]
    assert "Zebedee" not in str(body)  # the child's name stays on the case, out of the API
    event = AuditEvent.objects.get(action="referral.viewed", actor_username="ichair")
    assert event.detail == {"page": "api"} and event.object_label == referral.reference


def test_a_referral_out_of_scope_is_not_found_and_not_audited(world, api_client):
    referral = records.referral(world)
    response = api_client(world.author_b).get(f"/api/v1/referrals/{referral.pk}")
    assert response.status_code == 404 and response.json() == {"errors": [{"field": None, "message": "Not found"}]}
    assert api_client(world.author_b).get("/api/v1/referrals/999999").status_code == 404
    assert not AuditEvent.objects.filter(action="referral.viewed").exists()


def test_the_clocks_are_the_boards_rule_pack(world, api_client):
    client = api_client(world.practitioner)
    body = client.get("/api/v1/clocks").json()
    assert body["pack"] == "lscb-2015" and body["board_pack"] is True
    decision = next(c for c in body["clocks"] if c["slug"] == "scr-decision")
    assert decision["length"] == "1 calendar month after" and decision["unit"] == "calendar_months"
    other = client.get("/api/v1/clocks", {"pack": "wt-2018"}).json()
    assert other["pack"] == "wt-2018" and other["board_pack"] is False
    unknown = client.get("/api/v1/clocks", {"pack": "nope"})
    assert unknown.status_code == 422
    error = unknown.json()["errors"][0]
    assert error["field"] == "pack" and "lscb-2015" in error["message"]
