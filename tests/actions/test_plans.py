"""From recommendation to an approved plan handed to the Performance Committee, in the browser."""

from django.urls import reverse

from casereview.actions.models import Action, ActionPlan
from casereview.audit.models import AuditEvent
from tests.actions.factories import approve_at_meeting, draft_plan, review, scr_chair, scr_meeting


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def test_the_scr_committee_opens_a_plan_from_a_published_review(world, as_user):
    rev = review(world)
    client = as_user(scr_chair(world))
    page = client.get(reverse("actions:plan_create"))
    assert "TREV-1" in page.content.decode()
    response = client.post(reverse("actions:plan_create"), {"from": "review", "review-review": rev.pk})
    plan = ActionPlan.objects.get(review=rev)
    assert response.url == reverse("actions:plan_detail", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert "Recommendation 1" in page and "Recommendation text 2" in page
    assert plan.state == "draft" and plan.source_label == "TREV-1"
    assert AuditEvent.objects.filter(action="action_plan.created", object_id=str(plan.pk)).exists()


def test_reviews_not_yet_completed_are_not_offered(world, as_user):
    review(world, status="analysis")
    page = as_user(world.manager).get(reverse("actions:plan_create")).content.decode()
    assert "No completed or published review is waiting" in page


def test_a_plan_for_an_audit_numbers_its_findings(world, as_user):
    client = as_user(world.manager)
    client.post(reverse("actions:plan_create"), {
        "from": "other", "other-source_type": "audit", "other-source_label": "Neglect audit 2026",
        "other-recommendations": "Supervision must cover neglect\n\nChronologies in every neglect case"})
    plan = ActionPlan.objects.get(source_label="Neglect audit 2026")
    assert plan.source_type == "audit" and plan.review is None
    assert [(r.number, r.text) for r in plan.recommendations.all()] == [
        (1, "Supervision must cover neglect"), (2, "Chronologies in every neglect case")]


def test_an_audit_plan_needs_at_least_one_finding(world, as_user):
    response = as_user(world.manager).post(reverse("actions:plan_create"), {
        "from": "other", "other-source_type": "forum", "other-source_label": "Forum", "other-recommendations": " \n"})
    assert "Enter at least one recommendation or finding" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_desired_outcomes_are_added_per_agency(world, as_user):
    plan = draft_plan(world)
    rec = plan.recommendations.first()
    client = as_user(world.manager)
    response = client.post(reverse("actions:outcome_add", args=[plan.pk, rec.pk]), {"agency": "", "text": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Choose the agency the outcome is for" in page
    client.post(reverse("actions:outcome_add", args=[plan.pk, rec.pk]),
                {"agency": world.agency_b.pk, "text": "Health staff ask about exploitation"})
    assert rec.outcomes.filter(agency=world.agency_b).exists()


def test_a_target_date_before_the_start_date_is_refused(world, as_user):
    plan = draft_plan(world)
    outcome = plan.recommendations.first().outcomes.first()
    before = Action.objects.count()
    response = as_user(world.author_a).post(reverse("actions:action_propose", args=[plan.pk, outcome.pk]), {
        "description": "Train staff", "lead_agency": world.agency_a.pk, "owner": world.author_a.pk,
        **{f"start_date_{i}": v for i, v in enumerate([10, 6, 2026])},
        **{f"target_date_{i}": v for i, v in enumerate([1, 6, 2026])},
        "impact_measure": "Survey"})
    assert "The target date must be the same as or after the start date" in response.content.decode()
    assert Action.objects.count() == before


def test_an_agency_proposes_actions_only_for_its_own_outcomes(world, as_user):
    plan = draft_plan(world)
    rec = plan.recommendations.first()
    from casereview.actions import services

    outcome_b = services.outcome_add(by=world.manager, recommendation=rec, agency=world.agency_b, text="B outcome")
    assert as_user(world.author_a).get(reverse("actions:action_propose", args=[plan.pk, outcome_b.pk])).status_code == 404
    # Agency A may only name itself as lead agency.
    page = as_user(world.author_a).get(
        reverse("actions:action_propose", args=[plan.pk, rec.outcomes.get(agency=world.agency_a).pk])).content.decode()
    assert "Testshire Police" in page and "Testshire Health" not in page


def test_a_plan_goes_for_approval_only_when_every_outcome_has_an_action(world, as_user):
    plan = draft_plan(world)
    from casereview.actions import services

    services.outcome_add(by=world.manager, recommendation=plan.recommendations.first(), agency=world.agency_b,
                         text="B outcome")
    client = as_user(world.manager)
    page = client.get(reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert "the outcome for Testshire Health has no action" in page
    response = client.post(reverse("actions:plan_submit", args=[plan.pk]), follow=True)
    assert "The plan is not ready for approval" in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).state == "draft"


def test_approval_and_handover_start_the_quarterly_cycle(world, as_user):
    plan = draft_plan(world)
    as_user(world.manager).post(reverse("actions:plan_submit", args=[plan.pk]))
    assert ActionPlan.objects.get(pk=plan.pk).state == "awaiting_approval"
    meeting = scr_meeting(world)
    client = as_user(scr_chair(world))
    client.post(reverse("committees:decision_add", args=[meeting.pk]),
                {"text": "Plan approved", "approves_plan": plan.pk})
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.state == "approved" and plan.approved_by == scr_chair(world)
    assert plan.approval_decision_id == meeting.decisions.get().pk
    meeting_page = client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'Approves the <a class="govuk-link" href="/actions/plans/{plan.pk}/">action plan for TREV-1</a>' in (
        meeting_page)
    assert "Testshire SCR Committee, meeting of" in client.get(
        reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert set(plan.actions.values_list("state", flat=True)) == {"agreed"}
    from django.utils import timezone

    today = timezone.localdate()
    response = client.post(reverse("actions:plan_handover", args=[plan.pk]), {
        "committee": world.committee.pk, **_date("handed_over_on", today), "note": ""}, follow=True)
    assert f"Oversight handed to the {world.committee}" in response.content.decode()
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.state == "monitoring" and plan.handed_over_on == today
    cycle = plan.cycles.get()
    assert cycle.number == 1 and cycle.period_start == today


def test_a_handover_in_the_future_is_refused(world, as_user):
    from datetime import timedelta

    from django.utils import timezone

    from casereview.actions import services

    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    approve_at_meeting(world, plan)
    response = as_user(world.manager).post(reverse("actions:plan_handover", args=[plan.pk]), {
        "committee": world.committee.pk, **_date("handed_over_on", timezone.localdate() + timedelta(days=3))})
    assert "The handover date must be today or in the past" in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).state == "approved"


def test_the_scr_committee_can_return_a_plan_with_a_reason(world, as_user):
    from casereview.actions import services

    plan = draft_plan(world)
    services.plan_submit(by=world.manager, plan=plan)
    client = as_user(world.manager)
    response = client.post(reverse("actions:plan_return", args=[plan.pk]), {"reason": ""})
    assert "Enter what needs to change before the plan can be approved" in response.content.decode()
    client.post(reverse("actions:plan_return", args=[plan.pk]), {"reason": "Action 1.1 is not measurable"})
    page = client.get(reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert "Returned by the SCR Committee: Action 1.1 is not measurable" in page


def test_other_boards_never_see_the_plan(world, as_user):
    plan = draft_plan(world)
    client = as_user(world.outsider)
    assert client.get(reverse("actions:plan_detail", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("actions:plan_list")).content.decode()
