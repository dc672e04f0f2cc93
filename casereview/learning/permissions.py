"""Who may do what with learning. Predicates only; scope (which board, which case) is in selectors."""

from casereview.core.permissions import is_board_member
from casereview.partnership.roles import Role

# The Business Manager runs the framework; the Performance Committee owns audits, forums and the
# monitoring of learning (seed Appendix G).
LEARNING_LEADS = (Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR)
# Who may answer "why was this learning not sustained?" for the Performance Committee.
PERFORMANCE_COMMITTEE = (Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER)
# Who may approve a learning summary for the board.
SUMMARY_APPROVERS = (Role.BUSINESS_MANAGER, Role.INDEPENDENT_CHAIR, Role.PERFORMANCE_CHAIR)
# Who may draft and edit a summary (of a review they can see).
SUMMARY_AUTHORS = (Role.BUSINESS_MANAGER, Role.LEAD_REVIEWER)
# Who may grade audit cases besides agency staff answering for their own agency.
AUDITORS = (Role.BUSINESS_MANAGER, Role.PERFORMANCE_CHAIR, Role.PERFORMANCE_MEMBER, Role.QUALITY_AUDITOR)


def can_use_library(user) -> bool:
    return is_board_member(user)


def can_lead_learning(user) -> bool:
    return is_board_member(user) and user.has_role(*LEARNING_LEADS)


def can_answer_sustain_questions(user) -> bool:
    return is_board_member(user) and user.has_role(*PERFORMANCE_COMMITTEE)


def can_approve_summaries(user) -> bool:
    return is_board_member(user) and user.has_role(*SUMMARY_APPROVERS)


def can_write_summaries(user) -> bool:
    return is_board_member(user) and user.has_role(*SUMMARY_AUTHORS)


def can_audit_all_agencies(user) -> bool:
    return is_board_member(user) and user.has_role(*AUDITORS)


def can_answer_audit_for(user, audit, agency) -> bool:
    """Auditors grade for any participating agency; agency leads and authors for their own agency only."""
    if not is_board_member(user) or audit.board_id != user.board_id:
        return False
    if can_audit_all_agencies(user):
        return True
    return bool(user.agency_id == agency.pk and user.has_role(Role.AGENCY_LEAD, Role.AGENCY_AUTHOR))
