"""Who may do what with action plans. Role checks here; scope (which plans) lives in selectors."""

from casereview.core.permissions import acts_for_agency, is_board_member
from casereview.partnership.roles import MONITOR_ROLES, OVERSIGHT_ROLES, PLAN_MANAGER_ROLES, Role

from .models import Action


def oversees_plans(user) -> bool:
    return is_board_member(user) and user.has_role(*OVERSIGHT_ROLES)


def manages_plans(user) -> bool:
    return is_board_member(user) and user.has_role(*PLAN_MANAGER_ROLES)


def monitors_plans(user) -> bool:
    return is_board_member(user) and user.has_role(*MONITOR_ROLES)


def can_hand_over(user) -> bool:
    return manages_plans(user) or (is_board_member(user) and user.has_role(Role.PERFORMANCE_CHAIR))


def can_use_plans(user) -> bool:
    """Shows the "Action plans" navigation entry."""
    return oversees_plans(user) or acts_for_agency(user) or (
        is_board_member(user) and user.owned_actions.exists()
    )


def can_read_reports(user) -> bool:
    return oversees_plans(user)


def can_propose_action(user, outcome) -> bool:
    """While the plan is drafted: the SCR Committee, or the agency the outcome is for."""
    if not is_board_member(user) or not outcome.recommendation.plan.is_editable:
        return False
    if manages_plans(user):
        return True
    return acts_for_agency(user) and user.agency_id == outcome.agency_id


def can_edit_action(user, action) -> bool:
    """Change a proposed action before approval."""
    if not is_board_member(user) or not action.plan.is_editable:
        return False
    if manages_plans(user):
        return True
    return acts_for_agency(user) and user.agency_id == action.lead_agency_id


def can_update_action(user, action) -> bool:
    """Quarterly updates, evidence and revised dates: the named owner, the lead agency's own lead or author,
    or the Business Manager on their behalf. Never another agency."""
    if (not is_board_member(user) or not action.plan.is_live
            or action.state not in (Action.State.AGREED, Action.State.IN_PROGRESS)):
        return False
    if user.pk == action.owner_id or user.has_role(Role.BUSINESS_MANAGER):
        return True
    return acts_for_agency(user) and user.agency_id == action.lead_agency_id


def can_evaluate_action(user, action) -> bool:
    """The Performance Committee, the owner or the lead agency's safeguarding lead; the service refuses
    whoever reported the action complete (nobody evaluates the impact of their own work)."""
    if (not is_board_member(user) or not action.plan.is_live
            or action.state not in (Action.State.COMPLETE, Action.State.EVALUATED)):
        return False
    if monitors_plans(user) or user.pk == action.owner_id:
        return True
    return is_board_member(user) and user.has_role(Role.AGENCY_LEAD) and user.agency_id == action.lead_agency_id


def can_close_action(user, action) -> bool:
    """Closing an action without completing it is a committee decision, recorded with the reason."""
    return (monitors_plans(user) and action.plan.is_live
            and action.state in (Action.State.AGREED, Action.State.IN_PROGRESS, Action.State.COMPLETE))
