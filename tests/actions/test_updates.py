"""Quarterly updates: RAG rules, evidence files, revised dates, and who may give them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.actions.models import Action, ActionUpdate, Evidence
from casereview.audit.models import AuditEvent
from tests.actions.factories import monitored_plan
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _post(client, action, **data):
    payload = {"status": "in_progress", "percent_complete": "40", "rag": "green", "narrative": ""}
    payload.update(data)
    return client.post(reverse("actions:action_update", args=[action.pk]), payload)


@pytest.fixture
def action(world):
    return monitored_plan(world).actions.first()


def test_a_green_update_needs_no_narrative(world, as_user, action):
    response = _post(as_user(world.author_a), action)
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert (action.rag, action.percent_complete, action.state) == ("green", 40, "in_progress")
    assert action.updates.get().cycle is not None


@pytest.mark.parametrize("rag", ["red", "amber"])
def test_red_and_amber_need_a_narrative(world, as_user, action, rag):
    response = _post(as_user(world.author_a), action, rag=rag)
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Explain why the action is red or amber" in page
    assert not ActionUpdate.objects.exists()


def test_blue_is_only_for_complete_and_evidenced_actions(world, as_user, action):
    client = as_user(world.author_a)
    page = _post(client, action, rag="blue").content.decode()
    assert "Blue is only for actions that are complete and evidenced" in page
    page = _post(client, action, rag="blue", status="complete", percent_complete="100").content.decode()
    assert "Upload evidence that the action is complete to report it as blue" in page
    assert not ActionUpdate.objects.exists()
    response = _post(client, action, rag="blue", status="complete", percent_complete="100",
                     evidence=SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert (action.state, action.rag) == ("complete", "blue")
    evidence = action.evidence.get()
    assert evidence.original_name == "audit.pdf" and evidence.content_type == "application/pdf"
    # Stored under var/uploads with a name of our own, never the uploaded one.
    assert "audit" not in evidence.file.name and evidence.file.name.startswith("actions/evidence/")


def test_complete_means_100_percent(world, as_user, action):
    page = _post(as_user(world.author_a), action, status="complete", percent_complete="90").content.decode()
    assert "A complete action must be 100% complete" in page


def test_evidence_of_the_wrong_type_is_refused(world, as_user, action):
    page = _post(as_user(world.author_a), action,
                 evidence=SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
                 ).content.decode()
    assert "run.exe must be a PDF, Word (.docx)" in page
    page = _post(as_user(world.author_a), action,
                 evidence=SimpleUploadedFile("fake.pdf", b"not a pdf", content_type="application/pdf")
                 ).content.decode()
    assert "fake.pdf is not really a PDF file" in page
    assert not ActionUpdate.objects.exists() and not Evidence.objects.exists()


def test_evidence_that_is_too_large_is_refused(world, as_user, action, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    page = _post(as_user(world.author_a), action,
                 evidence=SimpleUploadedFile("big.txt", b"x" * 2048, content_type="text/plain")).content.decode()
    assert "big.txt is larger than 1 KB: make it smaller" in page
    assert not Evidence.objects.exists()


def test_evidence_is_served_only_to_those_who_see_the_plan_and_each_download_is_audited(world, as_user, action):
    _post(as_user(world.author_a), action, evidence=SimpleUploadedFile("note.txt", b"minutes", content_type="text/plain"))
    evidence = Evidence.objects.get()
    url = reverse("actions:evidence_download", args=[action.pk, evidence.pk])
    response = as_user(world.manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"minutes"
    assert response["Content-Disposition"].startswith('attachment; filename="note.txt"')
    assert AuditEvent.objects.filter(action="action.evidence_downloaded", actor_id=world.manager.pk).exists()
    assert as_user(world.author_b).get(url).status_code == 404


def test_a_revised_target_date_needs_a_reason_and_is_kept_in_the_history(world, as_user, action):
    client = as_user(world.author_a)
    revised = {"revised_target_date_0": "30", "revised_target_date_1": "9", "revised_target_date_2": "2026"}
    page = _post(client, action, **revised).content.decode()
    assert "Give the reason the target date is changing" in page
    _post(client, action, revision_reason="Supplier delay", **revised)
    _post(client, action, revision_reason="Second delay", revised_target_date_0="31", revised_target_date_1="12",
          revised_target_date_2="2026")
    action = Action.objects.get(pk=action.pk)
    assert action.target_date == date(2026, 6, 30) and action.revised_target_date == date(2026, 12, 31)
    history = [(r.previous_date, r.new_date, r.reason) for r in action.target_revisions.all()]
    assert history == [(date(2026, 6, 30), date(2026, 9, 30), "Supplier delay"),
                       (date(2026, 9, 30), date(2026, 12, 31), "Second delay")]
    page = as_user(world.manager).get(reverse("actions:action_detail", args=[action.pk])).content.decode()
    assert "Supplier delay" in page and "revised from 30 June 2026" in page


def test_an_agency_lead_updates_only_their_own_agencys_actions(world, as_user, action):
    from casereview.partnership.roles import Role

    lead_b = UserFactory(board=world.board, agency=world.agency_b, username="lead-b", roles=[Role.AGENCY_LEAD])
    assert _post(as_user(world.lead_a), action).status_code == 302
    assert _post(as_user(lead_b), action).status_code == 404  # agency B takes no part in this plan
    # Even once agency B has its own action in the plan, it still cannot touch agency A's.
    from casereview.actions.models import DesiredOutcome

    rec = action.outcome.recommendation
    outcome_b = DesiredOutcome.objects.create(recommendation=rec, agency=world.agency_b, text="B")
    Action.objects.create(plan=action.plan, outcome=outcome_b, number=9, description="B's action",
                          lead_agency=world.agency_b, owner=lead_b, start_date=date(2026, 1, 1),
                          target_date=date(2026, 12, 1), impact_measure="x", state="agreed")
    assert _post(as_user(lead_b), action).status_code == 404
    assert as_user(lead_b).get(reverse("actions:plan_detail", args=[action.plan_id])).status_code == 200
    assert ActionUpdate.objects.filter(submitted_by=lead_b).count() == 0


def test_the_plan_page_rolls_status_up_to_the_recommendation_and_plan(world, as_user):
    plan = monitored_plan(world)
    first, second = plan.actions.order_by("outcome__recommendation__number")
    client = as_user(world.manager)
    _post(client, first, rag="red", narrative="Stuck", percent_complete="20")
    _post(client, second, rag="green", percent_complete="60")
    page = client.get(reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert "2 actions, 40% complete on average" in page
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in page
