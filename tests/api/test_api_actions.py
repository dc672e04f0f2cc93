"""Action plans and progress updates through the API: the same permissions, validation, service and audit as the
update page."""

from casereview.actions.models import Action, ActionUpdate
from casereview.audit.models import AuditEvent

from . import records


def _post(client, action, body, **headers):
    return client.post(f"/api/v1/actions/actions/{action.pk}/updates", body, content_type="application/json",
                       **headers)


def test_plans_list_with_their_rag_roll_up(world, api_client):
    plan = records.plan(world)
    first, second = plan.actions.order_by("id")
    _post(api_client(world.author_a), first, {**records.UPDATE, "rag": "red", "narrative": "Trainer is off sick."})
    body = api_client(world.manager).get("/api/v1/actions/plans").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == plan.pk and item["state"] == "monitoring" and item["review_reference"] == "API-PLAN"
    assert item["summary"]["total"] == 2 and item["summary"]["worst_rag"] == "red"
    assert item["summary"]["rag_counts"] == {"red": 1, "amber": 0, "green": 0, "blue": 0, "none": 1}
    assert item["summary"]["percent_complete"] == 20
    assert api_client(world.manager).get("/api/v1/actions/plans", {"state": "closed"}).json()["count"] == 0
    assert api_client(world.author_b).get("/api/v1/actions/plans").json()["count"] == 0


def test_a_plan_shows_recommendations_outcomes_and_actions(world, api_client):
    plan = records.plan(world)
    owner = api_client(world.author_a).get(f"/api/v1/actions/plans/{plan.pk}").json()
    assert [r["number"] for r in owner["recommendations"]] == [1, 2]
    outcome = owner["recommendations"][0]["outcomes"][0]
    assert outcome["agency"] == "TPOL" and outcome["text"] == "Outcome for recommendation 1"
    action = outcome["actions"][0]
    assert action["reference"] == "1.1" and action["state"] == "agreed" and action["rag"] is None
    assert action["can_update"] is True and action["owner"] == str(world.author_a)
    assert owner["current_cycle"]["number"] >= 1
    chair = api_client(world.chair).get(f"/api/v1/actions/plans/{plan.pk}").json()
    assert chair["recommendations"][0]["outcomes"][0]["actions"][0]["can_update"] is False


def test_the_owner_gives_an_update_through_the_service(world, api_client):
    action = records.action(world)
    response = _post(api_client(world.author_a), action, records.UPDATE)
    assert response.status_code == 201
    body = response.json()
    assert body["rag"] == "green" and body["percent_complete"] == 40 and body["narrative"] == "Training booked."
    assert body["action"]["state"] == "in_progress" and body["action"]["rag"] == "green"
    action = Action.objects.get(pk=action.pk)
    assert (action.state, action.rag, action.percent_complete) == ("in_progress", "green", 40)
    event = AuditEvent.objects.get(action="action.updated")
    assert event.actor_username == "author-a" and event.detail["rag"] == "green"
    detail = api_client(world.manager).get(f"/api/v1/actions/actions/{action.pk}").json()
    assert [u["id"] for u in detail["updates"]] == [body["id"]]


def test_red_or_amber_without_a_narrative_is_refused_and_nothing_is_written(world, api_client):
    action = records.action(world)
    response = _post(api_client(world.author_a), action, {**records.UPDATE, "rag": "amber", "narrative": "  "})
    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": "narrative", "message": "Explain why the action is red or "
                                                                            "amber and what is being done about it"}]}
    assert not ActionUpdate.objects.exists() and not AuditEvent.objects.filter(action="action.updated").exists()


def test_every_problem_is_named_at_once(world, api_client):
    action = records.action(world)
    response = _post(api_client(world.author_a), action,
                     {**records.UPDATE, "rag": "red", "narrative": "", "percent_complete": 150,
                      "revision_reason": "Trainer left"})
    fields = {e["field"] for e in response.json()["errors"]}
    assert response.status_code == 422 and fields == {"percent_complete", "narrative", "revised_target_date"}


def test_malformed_bodies_name_the_field(world, api_client):
    action = records.action(world)
    client = api_client(world.author_a)
    missing = _post(client, action, {"rag": "green", "percent_complete": 10})
    assert missing.status_code == 422 and {e["field"] for e in missing.json()["errors"]} == {"status"}
    wrong = _post(client, action, {**records.UPDATE, "rag": "purple"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "rag"
    assert _post(client, action, {**records.UPDATE, "narrative": "a\x00b"}).json()["errors"][0]["field"] == \
        "narrative"
    assert not ActionUpdate.objects.exists()


def test_who_may_not_update_is_told_so(world, api_client):
    action = records.action(world)
    refused = _post(api_client(world.chair), action, records.UPDATE)
    assert refused.status_code == 403 and refused.json()["errors"][0]["message"] == "Your roles do not allow this"
    assert _post(api_client(world.author_b), action, records.UPDATE).status_code == 404
    assert not ActionUpdate.objects.exists()


def test_a_complete_action_takes_no_more_updates(world, api_client):
    action = records.action(world)
    client = api_client(world.author_a)
    done = _post(client, action, {**records.UPDATE, "status": "complete", "percent_complete": 100})
    assert done.status_code == 201 and done.json()["action"]["state"] == "complete"
    again = _post(client, action, records.UPDATE)
    assert again.status_code == 409
    assert again.json()["errors"][0]["message"].startswith("Updates can only be given for agreed actions")
    assert ActionUpdate.objects.count() == 1


def test_a_retried_update_with_the_same_key_is_written_once(world, api_client, settings, tmp_path):
    # The production cache (files shared by every worker process) keeps what was answered.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    action = records.action(world)
    client = api_client(world.author_a)
    first = _post(client, action, records.UPDATE, HTTP_IDEMPOTENCY_KEY="sync-42")
    retry = _post(client, action, records.UPDATE, HTTP_IDEMPOTENCY_KEY="sync-42")
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    assert ActionUpdate.objects.count() == 1 and any((tmp_path / "cache").iterdir())
    other = _post(client, action, {**records.UPDATE, "percent_complete": 60}, HTTP_IDEMPOTENCY_KEY="sync-42")
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _post(client, action, records.UPDATE, HTTP_IDEMPOTENCY_KEY="sync-43").status_code == 201
    assert ActionUpdate.objects.count() == 2


def test_a_refused_update_can_be_corrected_under_the_same_key(world, api_client):
    action = records.action(world)
    client = api_client(world.author_a)
    refused = _post(client, action, {**records.UPDATE, "rag": "red", "narrative": ""}, HTTP_IDEMPOTENCY_KEY="k1")
    assert refused.status_code == 422
    fixed = _post(client, action, {**records.UPDATE, "rag": "red", "narrative": "Delayed"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert fixed.status_code == 201


def test_actions_list_filters(world, api_client):
    plan = records.plan(world)
    first, second = plan.actions.order_by("id")
    _post(api_client(world.author_a), first, {**records.UPDATE, "rag": "amber", "narrative": "Slipping"})
    client = api_client(world.manager)

    def refs(**query):
        return [a["reference"] for a in client.get("/api/v1/actions/actions", query).json()["items"]]

    assert refs() == ["1.1", "2.1"]
    assert refs(rag="amber") == ["1.1"] and refs(state="agreed") == ["2.1"]
    assert refs(agency="TPOL") == ["1.1", "2.1"] and refs(agency="THLT") == []
    assert client.get("/api/v1/actions/actions", {"agency": "EPOL"}).json()["errors"] == [
        {"field": "agency", "message": "There is no agency with the code EPOL"}]  # another board's agency
    assert refs(plan=plan.pk) == ["1.1", "2.1"] and refs(plan=plan.pk + 1000) == []
    assert refs(mine=True) == []  # the Business Manager owns none of them
    assert [a["reference"] for a in api_client(world.author_a).get(
        "/api/v1/actions/actions", {"mine": True}).json()["items"]] == ["1.1", "2.1"]
    overdue = refs(overdue=True)
    assert sorted(overdue + refs(overdue=False)) == ["1.1", "2.1"]
