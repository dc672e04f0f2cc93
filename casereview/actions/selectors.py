"""Reads for action plans. Every query starts from what the requesting user may see."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from casereview.core.permissions import acts_for_agency, is_board_member
from casereview.lib.formats import long_date

from . import permissions as perms
from .models import (
    Action,
    ActionPlan,
    ActionUpdate,
    DesiredOutcome,
    Evidence,
    PlanRecommendation,
    UpdateCycle,
)
from .permissions import oversees_plans


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    """Oversight roles see every plan of their board; an agency sees the plans it has outcomes or actions in;
    a named owner sees the plans of their actions."""
    if not is_board_member(user):
        return ActionPlan.objects.none()
    plans = ActionPlan.objects.filter(board_id=user.board_id)
    if oversees_plans(user):
        return plans
    condition = Q(Exists(Action.objects.filter(plan=OuterRef("pk"), owner=user)))
    if acts_for_agency(user):
        condition |= Q(Exists(DesiredOutcome.objects.filter(recommendation__plan=OuterRef("pk"),
                                                            agency_id=user.agency_id)))
        condition |= Q(Exists(Action.objects.filter(plan=OuterRef("pk"), lead_agency_id=user.agency_id)))
    return plans.filter(condition)


def plan_get_for_user(user, plan_id: int) -> ActionPlan:
    plan = plans_visible_to(user).filter(pk=plan_id).select_related("review", "monitoring_committee").first()
    if plan is None:
        raise Http404("No action plan found")
    return plan


def actions_visible_to(user) -> QuerySet[Action]:
    return Action.objects.filter(plan__in=plans_visible_to(user)).select_related(
        "plan", "outcome__recommendation", "lead_agency", "owner")


def action_get_for_user(user, action_id: int) -> Action:
    action = actions_visible_to(user).filter(pk=action_id).first()
    if action is None:
        raise Http404("No action found")
    return action


def _or_404(record, allowed: bool, what: str):
    """Out of scope or not this person's to change: the same 404, so nothing reveals the record exists."""
    if record is None or not allowed:
        raise Http404(f"No {what} found")
    return record


def outcome_get_for_proposer(user, plan_id: int, outcome_id: int) -> DesiredOutcome:
    """An outcome of a visible plan that this person may propose actions for."""
    outcome = (DesiredOutcome.objects.filter(recommendation__plan__in=plans_visible_to(user), pk=outcome_id,
                                             recommendation__plan_id=plan_id)
               .select_related("agency", "recommendation__plan").first())
    return _or_404(outcome, outcome is not None and perms.can_propose_action(user, outcome), "outcome")


def outcome_get_for_manager(user, plan: ActionPlan, outcome_id: int) -> DesiredOutcome:
    outcome = (DesiredOutcome.objects.filter(recommendation__plan=plan, pk=outcome_id)
               .select_related("agency", "recommendation__plan").first())
    return _or_404(outcome, perms.manages_plans(user), "outcome")


def recommendation_get_for_manager(user, plan: ActionPlan, rec_id: int) -> PlanRecommendation:
    rec = plan.recommendations.filter(pk=rec_id).select_related("review_recommendation").first()
    return _or_404(rec, perms.manages_plans(user), "recommendation")


def action_to_edit_get_for_user(user, action_id: int) -> Action:
    action = actions_visible_to(user).filter(pk=action_id).first()
    return _or_404(action, action is not None and perms.can_edit_action(user, action), "action")


def action_to_update_get_for_user(user, action_id: int) -> Action:
    action = actions_visible_to(user).filter(pk=action_id).first()
    return _or_404(action, action is not None and perms.can_update_action(user, action), "action")


def action_to_evaluate_get_for_user(user, action_id: int) -> Action:
    action = actions_visible_to(user).filter(pk=action_id).first()
    return _or_404(action, action is not None and perms.can_evaluate_action(user, action), "action")


def action_to_close_get_for_user(user, action_id: int) -> Action:
    action = actions_visible_to(user).filter(pk=action_id).first()
    return _or_404(action, action is not None and perms.can_close_action(user, action), "action")


def plan_available_actions(user, plan: ActionPlan) -> dict[str, bool]:
    """What the plan page offers this person, decided here rather than by the template comparing states."""
    manages = perms.manages_plans(user)
    state = plan.state
    awaiting = state == ActionPlan.State.AWAITING_APPROVAL
    return {
        "can_add_outcomes": manages and plan.is_editable,
        "can_submit": manages and state == ActionPlan.State.DRAFT,
        # Approval is a decision of a quorate SCR Committee meeting, recorded with the meeting.
        "awaits_committee": awaiting,
        "can_return": manages and awaiting,
        "can_hand_over": perms.can_hand_over(user) and state == ActionPlan.State.APPROVED,
        "can_close": perms.monitors_plans(user) and state == ActionPlan.State.MONITORING,
        "shows_closure": state == ActionPlan.State.CLOSED,
        "shows_returned_reason": bool(plan.returned_reason) and state == ActionPlan.State.DRAFT,
        "has_cycles": state in (ActionPlan.State.MONITORING, ActionPlan.State.CLOSED),
    }


def evidence_get_for_user(user, action: Action, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(action=action, pk=evidence_id).first()
    if evidence is None:
        raise Http404("No evidence found")
    return evidence


def plan_structure(plan: ActionPlan) -> QuerySet[PlanRecommendation]:
    """Recommendations with their outcomes and actions, ready to draw the plan page without more queries."""
    actions = Action.objects.select_related("lead_agency", "owner", "outcome__recommendation").prefetch_related(
        "evaluation")
    outcomes = DesiredOutcome.objects.select_related("agency").prefetch_related(Prefetch("actions", actions))
    return plan.recommendations.prefetch_related(Prefetch("outcomes", outcomes))


def plan_actions(plan: ActionPlan) -> QuerySet[Action]:
    return plan.actions.select_related("outcome__recommendation", "lead_agency", "owner", "plan")


def current_cycle(plan: ActionPlan, today: date) -> UpdateCycle | None:
    """The quarter whose update is due next (or the last generated one)."""
    cycles = plan.cycles.all()
    return cycles.filter(due_date__gte=today).order_by("number").first() or cycles.order_by("-number").first()


def actions_missing_update(cycle: UpdateCycle) -> QuerySet[Action]:
    """Open actions of the plan without an update counted for this quarter."""
    updated = ActionUpdate.objects.filter(action=OuterRef("pk"), cycle=cycle)
    return (cycle.plan.actions.filter(state__in=["agreed", "in_progress"]).exclude(Exists(updated))
            .select_related("owner", "lead_agency", "outcome__recommendation", "plan"))


def actions_for_person(user) -> QuerySet[Action]:
    """Open actions this person answers for: their own, and (for an agency lead) their agency's."""
    if not is_board_member(user):
        return Action.objects.none()
    condition = Q(owner=user)
    if acts_for_agency(user) and user.has_role("agency_lead"):
        condition |= Q(lead_agency_id=user.agency_id)
    return (Action.objects.filter(condition, plan__board_id=user.board_id,
                                  plan__state__in=[ActionPlan.State.APPROVED, ActionPlan.State.MONITORING],
                                  state__in=["agreed", "in_progress", "complete"])
            .select_related("plan", "outcome__recommendation", "lead_agency"))


def publication_statement(review) -> dict[str, str]:
    """Seed s.8: what to publish with the report, drafted from the review's action plans: actions taken,
    their impact, and what more will be done. The reviews app offers it as editable text."""
    from .models import Action

    actions = (Action.objects.filter(plan__review=review).exclude(state=Action.State.PROPOSED)
               .select_related("lead_agency", "evaluation").order_by("plan_id", "outcome_id", "number"))
    taken, impact, more = [], [], []
    for action in actions:
        line = f"- {action.description} ({action.lead_agency})"
        if action.state in (Action.State.COMPLETE, Action.State.EVALUATED):
            taken.append(line)
            evaluation = getattr(action, "evaluation", None)
            if evaluation is not None:
                impact.append(f"- {action.description}: {evaluation.result} "
                              f"(outcomes for children improved: {evaluation.get_outcome_improved_display().lower()})")
        elif action.state != Action.State.CLOSED:
            due = action.revised_target_date or action.target_date
            more.append(f"{line}, due {long_date(due)}")
    return {"actions_taken": "\n".join(taken), "impact": "\n".join(impact), "what_more": "\n".join(more)}
