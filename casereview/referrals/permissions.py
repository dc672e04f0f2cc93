"""Who may do what with a referral, and when. Role checks build on casereview.core.permissions; which referrals
a person sees is decided by the selectors. The `can_<action>(user, referral)` rules include the referral's
state, so the page offers an action (selectors.referral_actions) exactly when its view and service allow it."""

from casereview.core.permissions import (
    has_board_wide_case_role,
    is_agency_lead,
    is_board_admin,
    is_board_member,
)
from casereview.partnership.roles import LETTER_ROLES, MATRIX_ROLES, Role

from .models import Referral

S = Referral.Status


# --- role rules (the views' @allowed_if) -----------------------------------------------------------------
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


def can_liaise_on_threshold(user) -> bool:
    """The Performance Committee chair, told when a case may meet the threshold for a Serious Case Review."""
    return is_board_member(user) and user.has_role(Role.PERFORMANCE_CHAIR)


def can_ask_questions(user) -> bool:
    return can_work_matrix(user) or can_decide(user)


def can_send_feedback_role(user) -> bool:
    """The feedback comes from the SCR Committee chair; the Business Manager sends it for them."""
    return is_board_member(user) and user.has_role(Role.BUSINESS_MANAGER, Role.SCR_COMMITTEE_CHAIR)


# --- rules on one referral, state included ---------------------------------------------------------------
def is_referrers_lead(user, referral: Referral) -> bool:
    return referral.referrer_agency_id is not None and is_agency_lead(user, referral.referrer_agency_id)


def can_edit_referral(user, referral: Referral) -> bool:
    if referral.status == S.DRAFT:
        return referral.created_by_id == user.pk or is_referrers_lead(user, referral)
    if referral.status in (S.SUBMITTED, S.RECEIVED):
        return can_manage_referrals(user)
    return False


def can_submit_referral(user, referral: Referral) -> bool:
    return referral.status == S.DRAFT and is_referrers_lead(user, referral)


def can_follow_chronologies(user, referral: Referral) -> bool:
    """The business unit asks agencies for chronologies while the referral is considered; the board-wide roles
    (the SCR Committee, the Chair) read them there to inform the decision (the chronology app's page; referrals
    only link to it)."""
    return has_board_wide_case_role(user) and referral.status not in (S.DRAFT, S.SUBMITTED)


def can_receive(user, referral: Referral) -> bool:
    return can_manage_referrals(user) and referral.status == S.SUBMITTED


def can_request_information(user, referral: Referral) -> bool:
    return can_manage_referrals(user) and referral.status in (S.RECEIVED, S.RECOMMENDED)


def can_work_matrix_on(user, referral: Referral) -> bool:
    return can_work_matrix(user) and referral.status == S.RECEIVED and referral.considers_scr


def can_reopen_matrix(user, referral: Referral) -> bool:
    return can_work_matrix(user) and referral.status == S.RECOMMENDED


def can_route(user, referral: Referral) -> bool:
    """A learning or good-practice referral is routed by the SCR Committee, without the Chair."""
    return can_work_matrix(user) and referral.status == S.RECEIVED and not referral.considers_scr


def can_decide_on(user, referral: Referral) -> bool:
    return can_decide(user) and referral.status == S.RECOMMENDED and referral.considers_scr


def has_outcome(referral: Referral) -> bool:
    return referral.status in (S.DECIDED, S.CLOSED)


def can_read_letters_of(user, referral: Referral) -> bool:
    return can_read_letters(user) and has_outcome(referral)


def can_send_feedback(user, referral: Referral) -> bool:
    return can_send_feedback_role(user) and has_outcome(referral) and not referral.feedback_sent_on


def can_record_panel_notice(user, referral: Referral) -> bool:
    return can_manage_referrals(user) and hasattr(referral, "decision")


def can_read_panel_notice(user, referral: Referral) -> bool:
    return can_read_letters(user) and hasattr(referral, "decision")


def can_keep_panel_log(user, referral: Referral) -> bool:
    return can_manage_referrals(user) and referral.considers_scr and referral.status not in (S.DRAFT, S.SUBMITTED)


def can_consider_cir(user, referral: Referral) -> bool:
    cir = getattr(referral, "cir_consideration", None)
    return can_work_matrix(user) and referral.considers_scr and cir is not None and cir.is_open


def can_answer_request(user, request) -> bool:
    return request.referral.is_open and is_agency_lead(user, request.agency_id)
