"""Committee meetings: who may see them and who runs them."""

from casereview.core.permissions import is_board_member
from casereview.partnership.models import CommitteeMembership
from casereview.partnership.roles import OVERSIGHT_ROLES, Role


def sees_all_meetings(user) -> bool:
    return is_board_member(user) and user.has_role(*OVERSIGHT_ROLES)


def can_use_committees(user) -> bool:
    """Shows the "Committees" navigation entry."""
    return sees_all_meetings(user) or (is_board_member(user) and user.committee_memberships.exists())


def can_run_meetings(user, committee) -> bool:
    """The business unit prepares papers and minutes (seed s.4); a committee's chair runs its own meetings."""
    if not is_board_member(user) or committee.board_id != user.board_id:
        return False
    if user.has_role(Role.BUSINESS_MANAGER):
        return True
    return CommitteeMembership.objects.filter(committee=committee, user=user,
                                              position=CommitteeMembership.Position.CHAIR).exists()


def can_schedule_any(user) -> bool:
    return is_board_member(user) and (user.has_role(Role.BUSINESS_MANAGER) or CommitteeMembership.objects.filter(
        user=user, position=CommitteeMembership.Position.CHAIR, committee__board_id=user.board_id).exists())
