"""The one permission layer. Every view and selector asks these predicates; none writes its own check.

Predicates are `rules` predicates so templates and `user.has_perm` can use the same answers.
"""

import rules

from casereview.partnership.roles import AGENCY_ROLES, BOARD_ADMIN_ROLES, BOARD_WIDE_CASE_ROLES, Role


def _active_board_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.board_id)


@rules.predicate
def is_board_member(user) -> bool:
    return _active_board_member(user)


@rules.predicate
def has_board_wide_case_role(user) -> bool:
    return _active_board_member(user) and user.has_role(*BOARD_WIDE_CASE_ROLES)


@rules.predicate
def is_board_admin(user) -> bool:
    return _active_board_member(user) and user.has_role(*BOARD_ADMIN_ROLES)


def can_read_audit(user) -> bool:
    return is_board_admin(user)


def can_manage_board(user) -> bool:
    return is_board_admin(user)


def acts_for_agency(user) -> bool:
    return _active_board_member(user) and user.agency_id is not None and user.has_role(*AGENCY_ROLES)


def is_agency_lead(user, agency_id: int | None = None) -> bool:
    if not (_active_board_member(user) and user.has_role(Role.AGENCY_LEAD) and user.agency_id):
        return False
    return agency_id is None or user.agency_id == agency_id


@rules.predicate
def can_view_case(user, case) -> bool:
    """Need to know: a board-wide role, an explicit grant, or the user's agency is involved in the case."""
    if case is None or not _active_board_member(user) or case.board_id != user.board_id:
        return False
    from casereview.cases.selectors import hidden_from

    if hidden_from(user, case.pk):
        return False
    if user.has_role(*BOARD_WIDE_CASE_ROLES):
        return True
    if case.access_grants.filter(user=user, revoked_at__isnull=True).exists():
        return True
    return acts_for_agency(user) and case.case_agencies.filter(agency_id=user.agency_id).exists()


@rules.predicate
def can_manage_case_access(user, case) -> bool:
    return case is not None and is_board_admin(user) and case.board_id == user.board_id


rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.manage_access", can_manage_case_access)
rules.add_perm("audit.view_trail", is_board_admin)
rules.add_perm("partnership.manage_board", is_board_admin)
