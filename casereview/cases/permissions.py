"""Who may do what with a case. Whether a person may see a case at all is decided once, by
`cases_visible_to`; the per-object question below asks that same selector."""

from casereview.core.permissions import is_board_admin

from .selectors import cases_visible_to


def can_view_case(user, case) -> bool:
    return case is not None and cases_visible_to(user).filter(pk=case.pk).exists()


def can_manage_case_access(user, case) -> bool:
    return case is not None and is_board_admin(user) and case.board_id == user.board_id
