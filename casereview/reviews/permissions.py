"""Who may do what to a review. Scope (which reviews a person may see) is decided by the selectors."""

from casereview.core.permissions import is_board_admin, is_board_member
from casereview.partnership.roles import EXTENSION_DECIDER_ROLES, QUALITY_ASSURANCE_ROLES, Role


def can_manage_reviews(user) -> bool:
    """Set-up, groups, timescale, agency requests and publication: the Business Manager runs the process."""
    return bool(is_board_admin(user))


def can_use_reviews(user) -> bool:
    """Every board member has the reviews pages; which reviews they see is the selectors' decision."""
    return is_board_member(user)


def leads_a_review(user) -> bool:
    from .models import ReviewMember

    return is_board_member(user) and ReviewMember.objects.filter(
        user=user, role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True).exists()


def may_write_reviews(user) -> bool:
    """The Business Manager, and anyone leading a review; `selectors.review_get_for_writer` then limits a lead
    reviewer to the reviews they lead."""
    return can_manage_reviews(user) or leads_a_review(user)


def is_lead_reviewer_of(user, review) -> bool:
    from .models import ReviewMember

    return is_board_member(user) and review.members.filter(user=user, role=ReviewMember.Role.LEAD_REVIEWER,
                                                   removed_at__isnull=True).exists()


def can_write_findings(user, review) -> bool:
    """Findings, recommendations, report versions and replies to the Case Group: the lead reviewers (and the
    Business Manager, who supports them)."""
    return can_manage_reviews(user) or is_lead_reviewer_of(user, review)


def can_quality_assure(user) -> bool:
    """The SCR Committee quality-assures reports (seed s.8)."""
    return is_board_member(user) and user.has_role(*QUALITY_ASSURANCE_ROLES)


def can_approve_for_board(user) -> bool:
    """Board approval of a report and decisions on extensions rest with the Independent Chair."""
    return is_board_member(user) and user.has_role(Role.INDEPENDENT_CHAIR)


def can_decide_extension(user) -> bool:
    return is_board_member(user) and user.has_role(*EXTENSION_DECIDER_ROLES)


def can_accept_hits(user, review) -> bool:
    """Accepting that something identifying may be published is for the Business Manager or the Chair."""
    return can_manage_reviews(user) or can_approve_for_board(user)
