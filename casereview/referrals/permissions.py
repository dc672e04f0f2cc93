"""Who may do what with a referral. Role checks build on casereview.core.permissions; scope is in selectors."""

from casereview.core.permissions import is_agency_lead, is_board_admin, is_board_member
from casereview.partnership.roles import LETTER_ROLES, MATRIX_ROLES, Role

from .models import Referral


def can_raise_referral(user) -> bool:
    """Any professional with an account who works for one of the board's agencies."""
    return is_board_member(user) and user.agency_id is not None


def can_manage_referrals(user) -> bool:
    return is_board_admin(user)


def can_work_matrix(user) -> bool:
    return is_board_member(user) and user.has_role(*MATRIX_ROLES)


def can_decide(user) -> bool:
    return is_board_member(user) and user.has_role(Role.INDEPENDENT_CHAIR)


def can_read_letters(user) -> bool:
    return is_board_member(user) and user.has_role(*LETTER_ROLES)


def is_referrers_lead(user, referral: Referral) -> bool:
    return is_agency_lead(user, referral.referrer_agency_id)


def can_edit_referral(user, referral: Referral) -> bool:
    if referral.status == Referral.Status.DRAFT:
        return referral.created_by_id == user.pk or is_referrers_lead(user, referral)
    if referral.status in (Referral.Status.SUBMITTED, Referral.Status.RECEIVED):
        return can_manage_referrals(user)
    return False


def can_submit_referral(user, referral: Referral) -> bool:
    return referral.status == Referral.Status.DRAFT and is_referrers_lead(user, referral)


def can_answer_request(user, request) -> bool:
    return request.referral.is_open and is_agency_lead(user, request.agency_id)
