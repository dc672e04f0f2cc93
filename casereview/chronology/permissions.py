"""Who may do what with chronologies. Scope (which reviews) always comes from reviews_visible_to."""

from casereview.core.permissions import (
    acts_for_agency,
    has_board_wide_case_role,
    is_agency_lead,
    is_board_admin,
    is_board_member,
)
from casereview.partnership.roles import Role


def is_review_group(user) -> bool:
    """Sees the merged multi-agency chronology of the reviews they can see: lead reviewers, board-wide roles."""
    return is_board_member(user) and (has_board_wide_case_role(user) or user.has_role(Role.LEAD_REVIEWER))


def can_manage_requests(user) -> bool:
    """Asks agencies for chronologies, sets deadlines and chases: the Business Manager."""
    return is_board_admin(user)


def can_read_referral_chronologies(user) -> bool:
    """Reads the chronologies returned while a referral is considered: they inform the SCR Committee's matrix
    and the Chair's decision, so every board-wide case role (the business unit asks for them)."""
    return is_board_member(user) and has_board_wide_case_role(user)


def can_accept(user) -> bool:
    """Accepts a submitted chronology or sends it back: the lead reviewer or the Business Manager."""
    return is_board_member(user) and (is_board_admin(user) or user.has_role(Role.LEAD_REVIEWER))


def can_write_entries(user) -> bool:
    """Writes their own agency's draft entries: agency authors and safeguarding leads."""
    return acts_for_agency(user)


def can_submit(user) -> bool:
    """Only the agency's safeguarding lead signs off and submits its chronology."""
    return is_agency_lead(user)


def can_use_chronologies(user) -> bool:
    return is_review_group(user) or can_write_entries(user)


def can_decide_duplicates(user) -> bool:
    """Confirms or dismisses suggested duplicates: the review group."""
    return is_review_group(user)
