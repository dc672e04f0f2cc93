"""The framework's rules for action plans (issue G2), each test named after the rule it shows, and the evidence
checks that read a file's content rather than its first bytes (issue G6)."""

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casereview.actions import services
from casereview.actions.evidence_files import EvidenceFileError, check_evidence
from casereview.actions.models import Action, ActionPlan
from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import Board
from tests.actions.factories import (
    approve_at_meeting,
    draft_plan,
    monitored_plan,
    perf_chair,
    scr_chair,
    scr_meeting,
)


def test_rule_7_nobody_approves_a_plan_they_sent_for_approval(world, as_user):
    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    meeting = scr_meeting(world)
    page = as_user(world.manager).get(reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert "Whoever sent the plan for approval does not record its approval" in page
    url = reverse("committees:decision_add", args=[meeting.pk])
    page = as_user(world.manager).post(url, {"text": "Approved", "approves_plan": plan.pk}).content.decode()
    assert "You sent this plan for approval, so someone else on the SCR Committee must record its approval" in page
    assert ActionPlan.objects.get(pk=plan.pk).state == ActionPlan.State.AWAITING_APPROVAL
    assert not meeting.decisions.exists()
    as_user(scr_chair(world)).post(url, {"text": "Approved", "approves_plan": plan.pk})
    assert ActionPlan.objects.get(pk=plan.pk).state == ActionPlan.State.APPROVED


def test_plan_approval_is_a_decision_of_a_quorate_scr_committee_meeting(world, as_user):
    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    inquorate = scr_meeting(world, present=[scr_chair(world), world.lead_a])
    page = as_user(scr_chair(world)).post(reverse("committees:decision_add", args=[inquorate.pk]), {
        "text": "Approved", "approves_plan": plan.pk, "acknowledge_inquorate": "on"}).content.decode()
    assert "A plan is approved by a quorate meeting of the SCR Committee: this meeting is not quorate" in page
    assert ActionPlan.objects.get(pk=plan.pk).state == ActionPlan.State.AWAITING_APPROVAL
    assert not inquorate.decisions.exists()
    decision = approve_at_meeting(world, ActionPlan.objects.get(pk=plan.pk))
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.state == ActionPlan.State.APPROVED and decision.quorate and decision.approves_plan == plan


def test_rule_7_nobody_evaluates_the_impact_of_an_action_they_reported_complete(world, as_user):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))
    action = plan.actions.first()
    services.action_update_submit(by=world.manager, action=action, status="complete", percent_complete=100,
                                  rag="green", narrative="")
    today = date.today()
    response = as_user(world.manager).post(reverse("actions:action_evaluate", args=[action.pk]), {
        "evaluated_on_0": today.day, "evaluated_on_1": today.month, "evaluated_on_2": today.year,
        "method": "audit", "result": "Better", "outcome_improved": "yes"})
    assert "You reported this action complete, so someone else must evaluate its impact" in response.content.decode()
    assert Action.objects.get(pk=action.pk).state == Action.State.COMPLETE
    services.action_evaluate(by=perf_chair(world), action=Action.objects.get(pk=action.pk), evaluated_on=today,
                             method="audit", result="Better", outcome_improved="yes")
    assert Action.objects.get(pk=action.pk).state == Action.State.EVALUATED


@pytest.mark.parametrize("pack", ["lscb-2015", "wt-2018"])
def test_rule_8_a_plan_is_handed_to_the_performance_committee_under_every_rule_pack(world, pack):
    Board.objects.filter(pk=world.board.pk).update(rule_pack=pack)
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.state == ActionPlan.State.MONITORING
    first = plan.cycles.get(number=1)
    assert first.period_start == date(2026, 1, 31) and first.due_date == date(2026, 4, 30)


def test_sending_a_plan_for_approval_emails_the_scr_committee_chair(world):
    chair = scr_chair(world)
    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    emails = OutboundEmail.objects.filter(about_type="actions.actionplan", about_id=str(plan.pk))
    assert list(emails.values_list("to", flat=True)) == [chair.email]
    assert "Action plan to approve: TREV-1" in emails.get().subject


def test_an_update_refusal_names_the_field_to_fix(world, as_user):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        plan = monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))
    action = plan.actions.first()
    with pytest.raises(services.PlanError) as refused:
        services.action_update_submit(by=world.manager, action=action, status="in_progress", percent_complete=20,
                                      rag="red", narrative="")
    assert refused.value.field == "narrative"
    page = as_user(world.manager).post(reverse("actions:action_update", args=[action.pk]), {
        "status": "in_progress", "percent_complete": "20", "rag": "red", "narrative": ""}).content.decode()
    assert 'href="#id_narrative"' in page
    assert "Explain why the action is red or amber" in page
    assert not action.updates.exists()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="x"/>',
              "word/document.xml": b"<w:document/>"}


def test_evidence_is_checked_by_its_content_not_its_first_bytes():
    assert check_evidence(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n", "minutes.pdf", 10_000) == (
        "application/pdf")
    with pytest.raises(EvidenceFileError, match="is not really a PDF file"):
        check_evidence(b"%PDF-1.7\n" + b"MZ\x90\x00" + b"\x00" * 200, "minutes.pdf", 10_000)
    with pytest.raises(EvidenceFileError, match="is not really a PDF file"):
        check_evidence(b"%PDF-1.7\n%%EOF\nMZ\x90\x00\x03\x00\x00\x00This program cannot be run", "x.pdf", 10_000)
    assert check_evidence(_zip(DOCX_PARTS), "plan.docx", 100_000).endswith("wordprocessingml.document")
    with pytest.raises(EvidenceFileError, match="is not a Word document"):
        check_evidence(_zip({"[Content_Types].xml": b"<Types/>", "word/x.bin": b"MZ"}), "plan.docx", 100_000)


def test_evidence_that_unpacks_into_a_zip_bomb_is_refused():
    bomb = _zip({**DOCX_PARTS, **{f"word/media/part{n}.bin": b"\x00" * (1024 * 1024) for n in range(3)}})
    with pytest.raises(EvidenceFileError, match="zip bomb"):
        check_evidence(bomb, "plan.docx", 10_000_000)
