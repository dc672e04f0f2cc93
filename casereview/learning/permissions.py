"""Who may do what with learning. Predicates only; scope (which board, which case) is in selectors."""

from casereview.core.permissions import is_board_member
from casereview.partnership.roles import (
    AUDITOR_ROLES,
    LEARNING_LEAD_ROLES,
    PERFORMANCE_COMMITTEE_ROLES,
    SUMMARY_APPROVER_ROLES,
    SUMMARY_AUTHOR_ROLES,
    Role,
)


def can_use_library(user) -> bool:
    return is_board_member(user)


def can_lead_learning(user) -> bool:
    return is_board_member(user) and user.has_role(*LEARNING_LEAD_ROLES)


def can_answer_sustain_questions(user) -> bool:
    return is_board_member(user) and user.has_role(*PERFORMANCE_COMMITTEE_ROLES)


def can_approve_summaries(user) -> bool:
    return is_board_member(user) and user.has_role(*SUMMARY_APPROVER_ROLES)


def can_write_summaries(user) -> bool:
    return is_board_member(user) and user.has_role(*SUMMARY_AUTHOR_ROLES)


def can_audit_all_agencies(user) -> bool:
    return is_board_member(user) and user.has_role(*AUDITOR_ROLES)


def can_answer_audit_for(user, audit, agency) -> bool:
    """Auditors grade for any participating agency; agency leads and authors for their own agency only."""
    if not is_board_member(user) or audit.board_id != user.board_id:
        return False
    if can_audit_all_agencies(user):
        return True
    return bool(user.agency_id == agency.pk and user.has_role(Role.AGENCY_LEAD, Role.AGENCY_AUTHOR))
