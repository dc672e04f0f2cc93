"""Writes for action plans. Each service: keyword-only, `by=` first, one transaction, one audit event.

For other apps (the learning app's audits and forums): open a plan with `plan_create(...)`, documented below.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casereview.audit.services import audit_access, audit_record
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError
from casereview.core.links import absolute_url
from casereview.lib import dates
from casereview.lib.clocks import DUE_SOON_DAYS, resolve_clock
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import Agency, Committee, User
from casereview.partnership.roles import PLAN_MANAGER_ROLES, Role
from casereview.partnership.selectors import agency_request_recipients

from .cycles import cycles_through
from .evidence_files import EvidenceFileError, check_evidence
from .models import (
    Action,
    ActionPlan,
    ActionUpdate,
    DesiredOutcome,
    Evidence,
    ImpactEvaluation,
    PlanRecommendation,
    Rag,
    TargetDateRevision,
    UpdateCycle,
)
from .selectors import actions_missing_update

UPDATE_CLOCK = "action-plan-update"
# Reminders go out when the quarterly update is "due soon" in the house sense (casereview.lib.clocks).
REMINDER_DAYS_BEFORE = DUE_SOON_DAYS


class PlanError(ServiceError):
    """A refused change; the message is shown to the person who asked for it."""


def _locked(record):
    """Lock the record's row for the rest of the transaction and make sure nobody changed its state since the
    page was drawn: two people pressing the same button get one change and one clear message. (An edit of a
    record's text is protected by its version instead: `claim_version`.)"""
    current = type(record).objects.select_for_update(of=("self",)).filter(pk=record.pk).values_list("state", flat=True).first()
    if current != record.state:
        raise PlanError("Someone else changed this while you were looking at it: go back, reload the page and "
                        "try again")
    return record


class PlanCloseRefused(PlanError):
    def __init__(self, open_actions: list[Action]):
        self.open_actions = open_actions
        refs = ", ".join(a.reference for a in open_actions)
        super().__init__(f"The plan cannot close while actions are open: {refs}. Each action must be complete "
                         "and evaluated, or closed with a reason.")


# --- Plans ------------------------------------------------------------------------------------------------

def plan_create(*, by, board, source_type: str, source_label: str, recommendations: list[dict],
                title: str = "", review=None, source_id: str = "") -> ActionPlan:
    """Open a draft action plan.

    `source_type` is one of ActionPlan.SourceType ("review", "single_agency_review", "audit", "forum",
    "other"); `source_label` names the source for people (a reference, never a child's name); `source_id`
    is the owning app's record id. `recommendations` is a list of dicts with "number" (int), "text" and
    optionally "level" and "review_recommendation" (a reviews.Recommendation). Returns the plan in draft.
    """
    if not recommendations:
        raise PlanError("A plan needs at least one recommendation or finding to act on")
    numbers = [int(r["number"]) for r in recommendations]
    if len(set(numbers)) != len(numbers):
        raise PlanError("Each recommendation in a plan needs its own number")
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            board=board, source_type=source_type, source_label=source_label[:200], source_id=str(source_id),
            review=review, title=(title or f"Action plan: {source_label}")[:200],
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        for rec in recommendations:
            PlanRecommendation.objects.create(
                plan=plan, number=int(rec["number"]), text=rec["text"], level=rec.get("level", ""),
                review_recommendation=rec.get("review_recommendation"),
            )
        audit_record(by=by, action="action_plan.created", obj=plan,
                     detail={"source_type": source_type, "recommendations": len(recommendations)})
    return plan


def plan_create_from_review(*, by, review) -> ActionPlan:
    """The SCR Committee opens the plan for a review; its recommendations are copied in, linked to the review."""
    if ActionPlan.objects.filter(review=review).exists():
        raise PlanError(f"{review.reference} already has an action plan")
    recs = list(review.recommendations.order_by("number"))
    if not recs:
        raise PlanError(f"{review.reference} has no recommendations yet, so there is nothing to plan")
    source_type = (ActionPlan.SourceType.SINGLE_AGENCY_REVIEW if review.type == "individual_agency"
                   else ActionPlan.SourceType.REVIEW)
    return plan_create(
        by=by, board=review.board, source_type=source_type, review=review, source_id=str(review.pk),
        source_label=review.reference, title=f"Action plan: {review.reference} {review.title}",
        recommendations=[{"number": r.number, "text": r.text, "level": r.level, "review_recommendation": r}
                         for r in recs],
    )


def outcome_add(*, by, recommendation: PlanRecommendation, agency: Agency, text: str) -> DesiredOutcome:
    plan = recommendation.plan
    if agency.board_id != plan.board_id:
        raise PlanError("Choose one of the board's agencies", field="agency")
    if not text.strip():
        raise PlanError("Enter the desired outcome", field="text")
    with transaction.atomic():
        _locked(plan)
        if not plan.is_editable:
            raise PlanError("Desired outcomes can only be added while the plan is being drafted")
        outcome = DesiredOutcome.objects.create(recommendation=recommendation, agency=agency, text=text,
                                                created_by=by)
        audit_record(by=by, action="action_plan.outcome_added", obj=plan,
                     detail={"recommendation": recommendation.number, "agency": agency.short_code})
    return outcome


def outcomes_to_request(plan: ActionPlan) -> list[DesiredOutcome]:
    """The outcomes whose agency has not yet been asked to propose actions (and has proposed none)."""
    if not plan.is_editable:
        return []
    return list(DesiredOutcome.objects.filter(recommendation__plan=plan, requested_at__isnull=True)
                .exclude(actions__isnull=False).select_related("agency", "recommendation")
                .order_by("recommendation__number", "agency__name"))


def actions_request(*, by, plan: ActionPlan) -> list[DesiredOutcome]:
    """Ask each agency with an outcome to propose its actions. A request to an agency with nobody to receive it
    is still recorded but shows as not delivered; it is sent once someone there can receive it."""
    with transaction.atomic():
        _locked(plan)
        if not plan.is_editable:
            raise PlanError("Agencies can only be asked for actions while the plan is being drafted")
        outcomes = outcomes_to_request(plan)
        if not outcomes:
            raise PlanError("Every agency with a desired outcome has already been asked")
        now = timezone.now()
        for outcome in outcomes:
            outcome.requested_at = now
            outcome.save(update_fields=["requested_at"])
            _ask_to_propose(outcome, by=by)
        audit_record(by=by, action="action_plan.actions_requested", obj=plan,
                     detail={"outcomes": len(outcomes),
                             "not_delivered": sorted({o.agency.short_code for o in outcomes
                                                      if not o.request_delivered})})
    return outcomes


# --- Who receives a request ----------------------------------------------------------------------------------

def can_receive(person: User) -> bool:
    return bool(person.is_active and person.email)


def _ask_to_propose(outcome: DesiredOutcome, *, by) -> bool:
    """Email the agency to propose actions for its outcome; record who got it (nobody: "Not delivered")."""
    plan = outcome.recommendation.plan
    recipients = agency_request_recipients(outcome.agency_id)
    for person in recipients:
        email_queue(to=person.email, board_id=plan.board_id, about=plan, by=by,
                    subject=f"Actions to propose: {plan.source_label}, recommendation {outcome.recommendation.number}",
                    body=f"The SCR Committee asks {outcome.agency.name} to propose the actions that will achieve "
                         f"this desired outcome for recommendation {outcome.recommendation.number} of "
                         f"{plan.source_label}:\n\n{outcome.text}\n\nPropose them in CaseReview: "
                         f"{absolute_url('actions:plan_detail', plan.pk)}")
    if recipients:
        outcome.request_delivered_to = ", ".join(person.email for person in recipients)
        outcome.save(update_fields=["request_delivered_to"])
    return bool(recipients)


def outcome_requests_deliver() -> int:
    """Send the requests to propose actions that reached nobody, to agencies that now have someone to receive
    them (part of the daily job). Returns how many were delivered."""
    delivered = 0
    waiting = (DesiredOutcome.objects.filter(requested_at__isnull=False, request_delivered_to="",
                                             recommendation__plan__state=ActionPlan.State.DRAFT)
               .select_related("agency", "recommendation__plan"))
    for outcome in waiting:
        if not agency_request_recipients(outcome.agency_id):
            continue
        with transaction.atomic():
            _ask_to_propose(outcome, by=None)
            audit_record(by=None, action="action_plan.outcome_request_delivered", obj=outcome.recommendation.plan,
                         board_id=outcome.recommendation.plan.board_id,
                         detail={"recommendation": outcome.recommendation.number, "agency": outcome.agency.short_code})
        delivered += 1
    return delivered


def outcome_remove(*, by, outcome: DesiredOutcome) -> None:
    plan = outcome.recommendation.plan
    with transaction.atomic():
        _locked(plan)
        if not plan.is_editable:
            raise PlanError("Desired outcomes can only be removed while the plan is being drafted")
        if outcome.actions.exists():
            raise PlanError("Remove this outcome's actions first")
        audit_record(by=by, action="action_plan.outcome_removed", obj=plan,
                     detail={"recommendation": outcome.recommendation.number, "agency": outcome.agency.short_code})
        outcome.delete()


def _check_action_fields(*, plan, lead_agency, owner, start_date, target_date) -> None:
    if target_date < start_date:
        raise PlanError("The target date must be the same as or after the start date", field="target_date")
    if lead_agency.board_id != plan.board_id:
        raise PlanError("Choose one of the board's agencies as lead agency", field="lead_agency")
    if owner.board_id != plan.board_id or not owner.is_active:
        raise PlanError("The named owner must be an active member of the board", field="owner")


def action_propose(*, by, outcome: DesiredOutcome, description: str, lead_agency: Agency, owner: User,
                   start_date: date, target_date: date, impact_measure: str) -> Action:
    plan = outcome.recommendation.plan
    _check_action_fields(plan=plan, lead_agency=lead_agency, owner=owner, start_date=start_date,
                         target_date=target_date)
    with transaction.atomic():
        _locked(plan)
        if not plan.is_editable:
            raise PlanError("Actions can only be proposed while the plan is being drafted")
        taken = Action.objects.filter(outcome__recommendation=outcome.recommendation).aggregate(n=Max("number"))
        action = Action.objects.create(
            plan=plan, outcome=outcome, number=(taken["n"] or 0) + 1, description=description,
            lead_agency=lead_agency, owner=owner, start_date=start_date, target_date=target_date,
            impact_measure=impact_measure, created_by=by,
        )
        audit_record(by=by, action="action.proposed", obj=action, board_id=plan.board_id)
    return action


def action_edit(*, by, action: Action, version: int | None = None, description: str, lead_agency: Agency,
                owner: User, start_date: date, target_date: date, impact_measure: str) -> Action:
    _check_action_fields(plan=action.plan, lead_agency=lead_agency, owner=owner, start_date=start_date,
                         target_date=target_date)
    with transaction.atomic():
        _locked(action.plan)
        if not action.plan.is_editable:
            raise PlanError("Actions can only be changed while the plan is being drafted")
        claim_version(action, version, "action")
        action.description, action.lead_agency, action.owner = description, lead_agency, owner
        action.start_date, action.target_date, action.impact_measure = start_date, target_date, impact_measure
        action.save()
        audit_record(by=by, action="action.changed", obj=action, board_id=action.plan.board_id)
    return action


def plan_gaps(plan: ActionPlan) -> list[str]:
    """What stops a plan going to the SCR Committee for approval."""
    gaps = []
    for rec in plan.recommendations.prefetch_related("outcomes__actions", "outcomes__agency"):
        outcomes = list(rec.outcomes.all())
        if not outcomes:
            gaps.append(f"Recommendation {rec.number} has no desired outcome")
        for outcome in outcomes:
            if not outcome.actions.all():
                gaps.append(f"Recommendation {rec.number}: the outcome for {outcome.agency} has no action")
    return gaps


def _approvers(plan: ActionPlan) -> list[User]:
    """Who is told that a plan waits for approval: the SCR Committee's chair and the plan managers."""
    return list(User.objects.filter(board_id=plan.board_id, is_active=True,
                                    role_grants__role__in=[Role.SCR_COMMITTEE_CHAIR, *PLAN_MANAGER_ROLES])
                .distinct())


def plan_submit(*, by, plan: ActionPlan) -> ActionPlan:
    """Send the plan to the SCR Committee; its chair and the plan managers are emailed (not the sender)."""
    with transaction.atomic():
        _locked(plan)
        if plan.state != ActionPlan.State.DRAFT:
            raise PlanError(f"Only a plan being drafted can be sent for approval; this one is "
                            f"{plan.get_state_display().lower()}")
        gaps = plan_gaps(plan)
        if gaps:
            raise PlanError("The plan is not ready for approval: " + "; ".join(gaps))
        plan.submit(by=by)
        plan.save()
        audit_record(by=by, action="action_plan.submitted", obj=plan)
        url = absolute_url("actions:plan_detail", plan.pk)
        for person in _approvers(plan):
            if person.pk != by.pk and person.email:
                email_queue(to=person.email, subject=f"Action plan to approve: {plan.source_label}",
                            body="\n".join([f"Dear {person.get_short_name() or person.username},", "",
                                             f"The action plan for {plan.source_label} has been sent to the SCR "
                                             "Committee for approval. Put it on the committee's next agenda, "
                                             "or read it here:", "", url]),
                            board_id=plan.board_id, about=plan)
    return plan


def plan_return(*, by, plan: ActionPlan, reason: str) -> ActionPlan:
    if not reason.strip():
        raise PlanError("Enter what needs to change before the plan can be approved", field="reason")
    with transaction.atomic():
        _locked(plan)
        if plan.state != ActionPlan.State.AWAITING_APPROVAL:
            raise PlanError("Only a plan awaiting approval can be returned")
        plan.return_for_changes(reason)
        plan.save()
        audit_record(by=by, action="action_plan.returned", obj=plan)
    return plan


@dataclass(frozen=True)
class ApprovingDecision:
    """The SCR Committee's decision that approves a plan, as the committees app records it: its id, a label
    naming the meeting, whether the meeting was quorate, and when the meeting took place."""

    id: int
    label: str
    quorate: bool
    at: datetime


def plan_approve(*, by, plan: ActionPlan, decision: ApprovingDecision) -> ActionPlan:
    """The SCR Committee approves the plan by a decision of a quorate meeting, recorded in its minutes (the
    committees app calls this from `decision_record`). Nobody approves a plan they sent for approval."""
    if not decision.quorate:
        raise PlanError("A plan is approved by a quorate meeting of the SCR Committee: this meeting is not quorate",
                        field="approves_plan")
    with transaction.atomic():
        _locked(plan)
        if plan.state != ActionPlan.State.AWAITING_APPROVAL:
            raise PlanError("Only a plan awaiting approval can be approved", field="approves_plan")
        if plan.submitted_by_id is not None and plan.submitted_by_id == by.pk:
            raise PlanError("You sent this plan for approval, so someone else on the SCR Committee must "
                            "record its approval", field="approves_plan")
        plan.approve(by=by, at=decision.at, decision_id=decision.id, decision_label=decision.label[:200])
        plan.save()
        for action in plan.actions.filter(state=Action.State.PROPOSED):
            action.agree()
            action.save()
        audit_record(by=by, action="action_plan.approved", obj=plan, detail={"decision": decision.id})
    return plan


def plan_hand_over(*, by, plan: ActionPlan, committee: Committee, on: date, note: str = "") -> ActionPlan:
    """Oversight passes from the SCR Committee to the Performance Committee (seed s.8); quarters start here."""
    if committee.board_id != plan.board_id:
        raise PlanError("Choose one of the board's committees", field="committee")
    if on > dates.today():
        raise PlanError("The handover date must be today or in the past", field="handed_over_on")
    if plan.approved_at and on < timezone.localtime(plan.approved_at).date():
        raise PlanError("The handover date must be the same as or after the date the plan was approved",
                        field="handed_over_on")
    with transaction.atomic():
        _locked(plan)
        if plan.state != ActionPlan.State.APPROVED:
            raise PlanError("Only an approved plan can be handed over")
        plan.hand_over(by=by, committee=committee, on=on, note=note)
        plan.save()
        cycles_ensure(plan=plan, today=dates.today())
        audit_record(by=by, action="action_plan.handed_over", obj=plan,
                     detail={"committee": committee.name, "on": on.isoformat()})
    return plan


def plan_close(*, by, plan: ActionPlan, note: str, on: date | None = None) -> ActionPlan:
    with transaction.atomic():
        _locked(plan)
        if plan.state != ActionPlan.State.MONITORING:
            raise PlanError("Only a plan being monitored can be closed")
        open_actions = [a for a in plan.actions.select_related("outcome__recommendation")
                        if a.state not in Action.SETTLED_STATES]
        if open_actions:
            raise PlanCloseRefused(open_actions)
        plan.close(by=by, on=on or dates.today(), note=note)
        plan.save()
        audit_record(by=by, action="action_plan.closed", obj=plan)
    return plan


# --- Quarterly cycles ---------------------------------------------------------------------------------------

def cycles_ensure(*, plan: ActionPlan, today: date) -> list[UpdateCycle]:
    """Create every quarter of a monitored plan that has started by today (idempotent)."""
    if plan.state != ActionPlan.State.MONITORING or plan.handed_over_on is None:
        return []
    # Every pack has a quarterly rhythm for plans: one without its own (wt-2018) uses the framework's.
    clock = resolve_clock(plan.board.rule_pack, UPDATE_CLOCK)
    cycles = []
    for number, start, due in cycles_through(clock, plan.handed_over_on, today):
        cycle, _ = UpdateCycle.objects.get_or_create(plan=plan, number=number,
                                                     defaults={"period_start": start, "due_date": due})
        cycles.append(cycle)
    return cycles


def _cycle_for_update(action: Action, today: date) -> UpdateCycle | None:
    """A late update counts for the earliest started quarter this action has not reported for yet."""
    cycles = cycles_ensure(plan=action.plan, today=today)
    reported = set(action.updates.exclude(cycle=None).values_list("cycle_id", flat=True))
    for cycle in cycles:
        if cycle.pk not in reported:
            return cycle
    return cycles[-1] if cycles else None


# --- Updates, evidence, dates ---------------------------------------------------------------------------------

def update_problems(*, status: str, percent_complete: int | None, rag: str, narrative: str,
                    has_evidence: bool, revised_target_date: date | None, revision_reason: str,
                    start_date: date) -> dict[str, str]:
    """Every reason an update would be refused, by form field. Used by the form and again by the service."""
    problems: dict[str, str] = {}
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        problems["percent_complete"] = "Percentage complete must be between 0 and 100"
    if status == ActionUpdate.Status.COMPLETE and percent_complete is not None and percent_complete != 100:
        problems["percent_complete"] = "A complete action must be 100% complete"
    if status == ActionUpdate.Status.NOT_STARTED and percent_complete:
        problems["percent_complete"] = "An action that has not started must be 0% complete"
    if rag in (Rag.RED, Rag.AMBER) and not narrative.strip():
        problems["narrative"] = "Explain why the action is red or amber and what is being done about it"
    if rag == Rag.BLUE and status != ActionUpdate.Status.COMPLETE:
        problems["rag"] = "Blue is only for actions that are complete and evidenced: choose red, amber or green"
    elif rag == Rag.BLUE and not has_evidence:
        problems["evidence"] = "Upload evidence that the action is complete to report it as blue"
    if revised_target_date and not revision_reason.strip():
        problems["revision_reason"] = "Give the reason the target date is changing"
    if revised_target_date and revised_target_date < start_date:
        problems["revised_target_date"] = "The revised target date must be the same as or after the start date"
    if revision_reason.strip() and not revised_target_date:
        problems["revised_target_date"] = "Enter the revised target date"
    return problems


@dataclass
class Upload:
    name: str
    data: bytes


def _store_evidence(*, by, action: Action, upload: Upload, description: str, update=None) -> Evidence:
    mime = check_evidence(upload.data, upload.name, settings.UPLOAD_MAX_BYTES)
    evidence = Evidence(action=action, update=update, original_name=upload.name[-200:], content_type=mime,
                        size=len(upload.data), description=description[:200], uploaded_by=by)
    evidence.file.save("evidence.bin", ContentFile(upload.data), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def action_update_submit(*, by, action: Action, status: str, percent_complete: int, rag: str, narrative: str,
                         uploads: list[Upload] = (), evidence_description: str = "",
                         revised_target_date: date | None = None, revision_reason: str = "",
                         today: date | None = None) -> ActionUpdate:
    """A quarterly (or any) progress update. Refused whole if any part is wrong: nothing is half-written."""
    today = today or dates.today()
    for upload in uploads:
        try:
            check_evidence(upload.data, upload.name, settings.UPLOAD_MAX_BYTES)
        except EvidenceFileError as error:
            raise PlanError(str(error), field="evidence") from None
    problems = update_problems(
        status=status, percent_complete=percent_complete, rag=rag, narrative=narrative,
        has_evidence=bool(uploads) or action.evidence.exists(), revised_target_date=revised_target_date,
        revision_reason=revision_reason, start_date=action.start_date)
    if problems:
        # One refusal names one field; the person fixes it and the next one (if any) is named in turn.
        field, message = next(iter(problems.items()))
        raise PlanError(message, field=field)
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            _locked(action)
            if action.state not in (Action.State.AGREED, Action.State.IN_PROGRESS) or not action.plan.is_live:
                raise PlanError("Updates can only be given for agreed actions of an approved plan")
            update = ActionUpdate.objects.create(
                action=action, cycle=_cycle_for_update(action, today), status=status,
                percent_complete=percent_complete, rag=rag, narrative=narrative, submitted_by=by)
            for upload in uploads:
                stored.append(_store_evidence(by=by, action=action, upload=upload,
                                              description=evidence_description, update=update))
            if revised_target_date and revised_target_date != action.current_target:
                _revise_target(by=by, action=action, new_date=revised_target_date, reason=revision_reason)
            if status == ActionUpdate.Status.COMPLETE:
                action.complete(on=today)
            elif status == ActionUpdate.Status.IN_PROGRESS and action.state == Action.State.AGREED:
                action.record_progress()
            action.rag, action.percent_complete, action.last_update_at = rag, percent_complete, timezone.now()
            action.save()
            audit_record(by=by, action="action.updated", obj=action, board_id=action.plan.board_id,
                         detail={"rag": rag, "percent": percent_complete, "status": status,
                                 "evidence_files": len(uploads)})
    except Exception:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


def _revise_target(*, by, action: Action, new_date: date, reason: str) -> None:
    TargetDateRevision.objects.create(action=action, previous_date=action.current_target, new_date=new_date,
                                      reason=reason, revised_by=by)
    action.revised_target_date = new_date
    audit_record(by=by, action="action.target_revised", obj=action, board_id=action.plan.board_id,
                 detail={"from": action.current_target.isoformat(), "to": new_date.isoformat()})


def evidence_viewed(*, by, evidence: Evidence) -> None:
    audit_access(by=by, action="action.evidence_downloaded", obj=evidence, board_id=evidence.action.plan.board_id)


def action_evaluate(*, by, action: Action, version: int | None = None, evaluated_on: date, method: str,
                    result: str, outcome_improved: str) -> ImpactEvaluation:
    if action.completed_on and evaluated_on < action.completed_on:
        raise PlanError("The evaluation date must be the same as or after the date the action was completed",
                        field="evaluated_on")
    if evaluated_on > dates.today():
        raise PlanError("The evaluation date must be today or in the past", field="evaluated_on")
    if by.pk in _completed_by(action):
        raise PlanError("You reported this action complete, so someone else must evaluate its impact: the "
                        "Performance Committee, or your agency's safeguarding lead")
    with transaction.atomic():
        # Claimed first: a second evaluation opened at the same time is refused as an edit conflict.
        claim_version(action, version, "action")
        _locked(action)
        if action.state not in (Action.State.COMPLETE, Action.State.EVALUATED):
            raise PlanError("Impact can only be evaluated once the action is complete")
        evaluation, _ = ImpactEvaluation.objects.update_or_create(
            action=action, defaults={"evaluated_on": evaluated_on, "method": method, "result": result,
                                     "outcome_improved": outcome_improved, "recorded_by": by})
        action.mark_evaluated()
        action.save()
        audit_record(by=by, action="action.impact_evaluated", obj=action, board_id=action.plan.board_id,
                     detail={"method": method, "improved": outcome_improved})
    return evaluation


def _completed_by(action: Action) -> set[int]:
    """Who reported the action complete: they do not evaluate the impact of their own work."""
    return set(action.updates.filter(status=ActionUpdate.Status.COMPLETE).values_list("submitted_by_id", flat=True))


def action_close(*, by, action: Action, reason: str) -> Action:
    if not reason.strip():
        raise PlanError("Give the reason the action is closing without being completed", field="reason")
    with transaction.atomic():
        _locked(action)
        if action.state not in (Action.State.AGREED, Action.State.IN_PROGRESS, Action.State.COMPLETE):
            raise PlanError("Only an agreed action that is not yet evaluated can be closed")
        action.close_without_completion(reason)
        action.save()
        audit_record(by=by, action="action.closed", obj=action, board_id=action.plan.board_id)
    return action


# --- Reminders and chasers ----------------------------------------------------------------------------------

def _people_to_chase(actions: list[Action]) -> dict[User, list[Action]]:
    """Each owner with the actions they answer for (chasers add the lead agency's safeguarding leads)."""
    people: dict[User, list[Action]] = defaultdict(list)
    for action in actions:
        people[action.owner].append(action)
    return people


def _agency_leads(agency_ids: set[int]) -> dict[int, list[User]]:
    leads: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(agency_id__in=agency_ids, is_active=True,
                                     role_grants__role=Role.AGENCY_LEAD).distinct():
        leads[user.agency_id].append(user)
    return leads


def _email_about(*, person: User, plan: ActionPlan, cycle: UpdateCycle, actions: list[Action], chaser: bool):
    lines = [f"- {a.reference}: {a.description[:120]}" for a in actions]
    path = absolute_url("actions:plan_detail", plan.pk)
    if chaser:
        subject = f"Overdue: quarter {cycle.number} update for {plan.source_label}"
        opening = (f"The quarter {cycle.number} progress update for these actions was due on "
                   f"{long_date(cycle.due_date)} and has not been given:")
    else:
        subject = f"Due {long_date(cycle.due_date)}: quarter {cycle.number} update for {plan.source_label}"
        opening = (f"The Performance Committee needs your quarter {cycle.number} progress update for these "
                   f"actions by {long_date(cycle.due_date)}:")
    body = "\n".join([f"Dear {person.get_short_name() or person.username},", "", opening, "", *lines, "",
                      f"Give the update in CaseReview: {path}", "",
                      "Only red and amber actions need a narrative."])
    if not can_receive(person):
        return False
    email_queue(to=person.email, subject=subject, body=body, board_id=plan.board_id, about=plan)
    return True


def _send_round(*, plan: ActionPlan, cycle: UpdateCycle, actions: list[Action], chaser: bool) -> tuple[int, list[int]]:
    """Email each owner (and, for a chaser, the lead agency's safeguarding leads) about their actions. Returns
    how many people were emailed and the actions whose request reached nobody (ids), never counted as sent."""
    people = _people_to_chase(actions)
    if chaser:
        leads = _agency_leads({a.lead_agency_id for a in actions})
        for action in actions:
            for lead in leads.get(action.lead_agency_id, []):
                if action not in people[lead]:
                    people[lead].append(action)
    emailed, reached = 0, set()
    for person, theirs in people.items():
        if _email_about(person=person, plan=plan, cycle=cycle, actions=theirs, chaser=chaser):
            emailed += 1
            reached.update(a.pk for a in theirs)
    return emailed, sorted(a.pk for a in actions if a.pk not in reached)


def update_requests_not_delivered(plan: ActionPlan) -> list[dict]:
    """The plan's open actions whose quarterly update request reaches nobody, or reached nobody this quarter:
    each with its owner and why, for the plan page (named before anything is sent)."""
    if plan.state != ActionPlan.State.MONITORING:
        return []
    rounds = [c for c in plan.cycles.all() if c.reminders_sent_on or c.chasers_sent_on]
    latest = rounds[-1] if rounds else None
    lost = set(latest.not_delivered) if latest else set()
    given = set(ActionUpdate.objects.filter(cycle=latest).values_list("action_id", flat=True)) if latest else set()
    rows = []
    for action in plan.actions.filter(state__in=[Action.State.AGREED, Action.State.IN_PROGRESS]).select_related(
            "owner", "lead_agency"):
        if can_receive(action.owner) and (action.pk not in lost or action.pk in given):
            continue
        why = ("is no longer active" if not action.owner.is_active else
               "has no email address" if not action.owner.email else "could not be reached")
        rows.append({"action": action, "owner": action.owner, "why": why})
    return rows


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Remind owners before a quarterly update is due and chase them (and their agency lead) after.

    Safe to run any number of times a day: each quarter gets one reminder round and one chaser round. A request
    that reached nobody (an owner no longer active, or without an email address) is recorded on the quarter as
    not delivered, never counted as sent, and goes out on the first run after someone can receive it; so do
    requests to propose actions that reached nobody at their agency.
    """
    today = today or dates.today()
    sent = {"reminders": 0, "chasers": 0}
    plans = ActionPlan.objects.filter(state=ActionPlan.State.MONITORING).select_related("board")
    for plan in plans:
        with transaction.atomic():
            cycles = cycles_ensure(plan=plan, today=today)
            past = [c for c in cycles if c.due_date < today]
            # Only the latest finished quarter is chased; older gaps are history the reports show.
            for cycle in [c for c in cycles if c.due_date >= today] + past[-1:]:
                missing = list(actions_missing_update(cycle))
                if (cycle.reminders_sent_on is None and cycle.due_date >= today
                        and (cycle.due_date - today).days <= REMINDER_DAYS_BEFORE):
                    emailed, lost = _send_round(plan=plan, cycle=cycle, actions=missing, chaser=False)
                    sent["reminders"] += emailed
                    cycle.reminders_sent_on = today
                    cycle.not_delivered = lost
                    cycle.save(update_fields=["reminders_sent_on", "not_delivered"])
                elif cycle.chasers_sent_on is None and cycle.due_date < today and missing:
                    emailed, lost = _send_round(plan=plan, cycle=cycle, actions=missing, chaser=True)
                    sent["chasers"] += emailed
                    cycle.chasers_sent_on = today
                    cycle.not_delivered = lost
                    cycle.save(update_fields=["chasers_sent_on", "not_delivered"])
                    audit_record(by=None, action="action_plan.update_chased", obj=plan,
                                 detail={"quarter": cycle.number, "actions": len(missing),
                                         "not_delivered": len(lost)})
                elif cycle.not_delivered:
                    # A request that reached nobody goes out once someone can receive it.
                    waiting = [a for a in missing if a.pk in cycle.not_delivered]
                    chaser = cycle.chasers_sent_on is not None
                    emailed, still_lost = _send_round(plan=plan, cycle=cycle, actions=waiting, chaser=chaser)
                    sent["chasers" if chaser else "reminders"] += emailed
                    if still_lost != cycle.not_delivered:
                        cycle.not_delivered = still_lost
                        cycle.save(update_fields=["not_delivered"])
                    continue
                else:
                    continue
                if lost:  # a new round that reached nobody for some actions
                    audit_record(by=None, action="action_plan.update_not_delivered", obj=plan,
                                 detail={"quarter": cycle.number, "actions": len(lost)})
    outcome_requests_deliver()
    return sent


def report_downloaded(*, by, report: str, file_format: str, rows: int) -> None:
    """Reports and exports carry the board's whole picture: each download is an audit event."""
    audit_access(by=by, action="action_plan.report_downloaded", board_id=by.board_id,
                 object_type="actions.report", object_id=report, label=f"{report} ({file_format})",
                 detail={"format": file_format, "rows": rows})
