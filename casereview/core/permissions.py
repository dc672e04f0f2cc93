"""The predicates every app's rules build on: who is an active member of a board, and which kind.

Each app keeps its own rules in `<app>/permissions.py` (plain functions of the user, and of the record where
the rule depends on it), built from these predicates and the role sets in `partnership/roles.py`. Which
records a person may see is never decided here: that is the job of each app's selectors (ADR 0004).
"""

from casereview.partnership.roles import AGENCY_ROLES, BOARD_ADMIN_ROLES, BOARD_WIDE_CASE_ROLES, Role


def is_board_member(user) -> bool:
    """Signed in, active, and belonging to a board: the floor of every other rule."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.board_id)


def has_role(user, roles) -> bool:
    """An active board member holding any of `roles`."""
    return is_board_member(user) and user.has_role(*roles)


def has_board_wide_case_role(user) -> bool:
    return has_role(user, BOARD_WIDE_CASE_ROLES)


def is_board_admin(user) -> bool:
    return has_role(user, BOARD_ADMIN_ROLES)


def can_read_audit(user) -> bool:
    return is_board_admin(user)


def can_manage_board(user) -> bool:
    return is_board_admin(user)


def acts_for_agency(user) -> bool:
    return is_board_member(user) and user.agency_id is not None and user.has_role(*AGENCY_ROLES)


def is_agency_lead(user, agency_id: int | None = None) -> bool:
    if not (is_board_member(user) and user.has_role(Role.AGENCY_LEAD) and user.agency_id):
        return False
    return agency_id is None or user.agency_id == agency_id
