from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from casereview.api.models import ApiToken
from casereview.api.services import api_token_authenticate
from casereview.audit.models import AuditEvent
from tests.api.two_factor import enrol_two_factor


def test_the_openapi_document_is_published(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "CaseReview API"
    assert "/api/v1/cases" in document["paths"]


def test_a_call_without_a_token_is_refused_with_the_error_shape(client, db):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": None, "message":
                                           "Send a valid API token as 'Authorization: Bearer <token>'"}]}


def test_a_token_carries_its_owners_permissions(world, api_client):
    visible = [c["reference"] for c in api_client(world.author_a).get("/api/v1/cases").json()["items"]]
    hidden = [c["reference"] for c in api_client(world.author_b).get("/api/v1/cases").json()["items"]]
    assert visible == ["TEST-0001"] and hidden == []
    assert api_client(world.author_b).get(f"/api/v1/cases/{world.case.pk}").status_code == 404
    assert api_client(world.outsider).get(f"/api/v1/cases/{world.case.pk}").status_code == 404


def test_an_api_read_of_a_case_is_audited(world, api_client):
    api_client(world.reviewer).get(f"/api/v1/cases/{world.case.pk}")
    assert AuditEvent.objects.filter(action="case.viewed", actor_username="reviewer", detail__page="api").exists()


def test_pagination_is_bounded(world, api_client):
    body = api_client(world.manager).get("/api/v1/cases", {"limit": 5000}).json()
    assert body["count"] == 1 and len(body["items"]) == 1


def test_bad_parameters_name_the_field(world, api_client):
    response = api_client(world.manager).get("/api/v1/clocks/deadline",
                                             {"pack": "lscb-2015", "clock": "nope", "start": "2024-01-31"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "clock" and "scr-decision" in error["message"]
    malformed = api_client(world.manager).get("/api/v1/clocks/deadline",
                                              {"pack": "lscb-2015", "clock": "scr-decision", "start": "31/01/2024"})
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "start"


def test_the_deadline_endpoint_uses_the_rule_pack(world, api_client):
    body = api_client(world.manager).get("/api/v1/clocks/deadline",
                                         {"pack": "lscb-2015", "clock": "scr-decision", "start": "2024-01-31"}).json()
    assert body["due"] == "2024-02-29"


def test_a_revoked_token_stops_working(world, as_user, api_client):
    client = as_user(world.manager)
    client.post(reverse("api_tokens:list"), {"name": "Dashboard sync"})
    token = ApiToken.objects.get(name="Dashboard sync")
    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked").exists()


def test_the_new_token_is_shown_once_and_only_its_hash_is_stored(world, as_user):
    html = as_user(world.manager).post(reverse("api_tokens:list"), {"name": "Dashboard sync"}).text
    token = ApiToken.objects.get(name="Dashboard sync")
    shown = html.split('<code class="cr-token">')[1].split("</code>")[0]
    assert shown.startswith(f"cr_{token.prefix}_") and shown not in token.key_hash
    assert api_token_authenticate(shown) == world.manager
    assert shown not in as_user(world.manager).get(reverse("api_tokens:list")).text


def test_a_token_needs_a_purpose(world, as_user):
    html = as_user(world.manager).post(reverse("api_tokens:list"), {"name": ""}).text
    assert "Say what the token is for" in html and "govuk-error-summary" in html


def test_the_command_prints_a_working_token(world, capsys):
    enrol_two_factor(world.reviewer)
    call_command("api_token", "reviewer")
    key = capsys.readouterr().out.strip()
    assert api_token_authenticate(key) == world.reviewer


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("api_token", "nobody")


def test_a_switched_off_account_cannot_use_its_token(world, api_client):
    client = api_client(world.reviewer)
    world.reviewer.is_active = False
    world.reviewer.save()
    assert client.get("/api/v1/me").status_code == 401


def test_a_review_reads_with_its_timescale_findings_and_recommendations(world, api_client):
    from casereview.reviews import services
    from casereview.reviews.models import Finding, Review
    from tests.factories import review_in

    review = review_in(world, type=Review.Type.SCR_INTENSIVE, reference="API-2", initiated_on=date(2026, 1, 31),
                       lead_reviewer=None)
    finding = services.finding_save(by=world.manager, review=review, kind=Finding.Kind.IMPROVEMENT,
                                    title="Referrals were not followed up", narrative="Twice.")
    services.recommendation_save(by=world.manager, review=review, text="Follow up referrals", level="partnership",
                                 findings=[finding], target_agencies=[])
    client = api_client(world.reviewer)
    detail = client.get(f"/api/v1/reviews/{review.pk}").json()
    assert detail["reference"] == "API-2" and detail["timescale"]["target"] == "2026-07-31"
    assert client.get(f"/api/v1/reviews/{review.pk}/findings").json()[0]["title"] == "Referrals were not followed up"
    assert client.get(f"/api/v1/reviews/{review.pk}/recommendations").json()[0]["findings"] == [1]
    assert AuditEvent.objects.filter(action="review.viewed", actor_username="reviewer").count() == 3
