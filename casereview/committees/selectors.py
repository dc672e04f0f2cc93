from django.db.models import QuerySet
from django.http import Http404

from casereview.actions.models import ActionPlan
from casereview.core.permissions import is_board_member
from casereview.partnership.models import Committee, CommitteeMembership
from casereview.referrals.models import Referral

from .models import Attendance, Decision, Meeting
from .permissions import can_run_meetings, sees_all_meetings
from .quorum import Attendee, Quorum, compute_quorum, quorum_problems


def committees_visible_to(user) -> QuerySet[Committee]:
    if not is_board_member(user):
        return Committee.objects.none()
    committees = Committee.objects.filter(board_id=user.board_id)
    if sees_all_meetings(user):
        return committees
    return committees.filter(memberships__user=user).distinct()


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Members see their committees' meetings; oversight roles see every meeting of their board."""
    return Meeting.objects.filter(committee__in=committees_visible_to(user)).select_related("committee")


def meeting_get_for_user(user, meeting_id: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No meeting found")
    return meeting


def meeting_to_run_get_for_user(user, meeting_id: int) -> Meeting:
    """A meeting this person runs (the business unit, or the committee's chair); any other is a 404."""
    meeting = meetings_visible_to(user).filter(pk=meeting_id).first()
    if meeting is None or not can_run_meetings(user, meeting.committee):
        raise Http404("No meeting found")
    return meeting


def committee_get_for_user(user, committee_id: int) -> Committee:
    committee = committees_visible_to(user).filter(pk=committee_id).first()
    if committee is None:
        raise Http404("No committee found")
    return committee


def vice_chair_stands_in(committee: Committee) -> bool:
    """Whether the committee's terms of reference let a vice chair stand in for the chair. The framework names
    no substitute, so a committee without that rule (the field on the committee's set-up) never has one."""
    return committee.quorum_vice_chair_may_stand_in


def meeting_quorum(meeting: Meeting) -> Quorum:
    attendees = [Attendee(position=a.position, agency=a.represents.name if a.represents else None,
                          present=a.status == Attendance.Status.PRESENT)
                 for a in meeting.attendance.select_related("represents")]
    committee = meeting.committee
    return compute_quorum(requires_chair=committee.quorum_requires_chair,
                          agencies_needed=committee.quorum_agency_representatives, attendees=attendees,
                          vice_chair_stands_in=vice_chair_stands_in(committee))


def committee_quorum_problems(committee: Committee) -> list[str]:
    """Why the committee, as its membership stands, could never be quorate (empty when it can be). For the
    committee set-up pages and the Business Manager's checklist."""
    members = [Attendee(position=m.position, agency=m.represents.name if m.represents else None, present=True)
               for m in members_of(committee)]
    return quorum_problems(committee_name=committee.name, requires_chair=committee.quorum_requires_chair,
                           agencies_needed=committee.quorum_agency_representatives, members=members,
                           vice_chair_stands_in=vice_chair_stands_in(committee))


def members_of(committee: Committee) -> QuerySet[CommitteeMembership]:
    return committee.memberships.select_related("user", "represents").filter(user__is_active=True)


def plans_to_approve_at(meeting: Meeting):
    """Action plans this meeting may approve: an SCR Committee meeting, plans of the board awaiting approval.
    None where the committee does not approve plans, so the question is not asked."""
    if meeting.committee.kind != Committee.Kind.SCR:
        return None
    return ActionPlan.objects.filter(board_id=meeting.board_id, state=ActionPlan.State.AWAITING_APPROVAL)


def referrals_to_recommend_at(meeting: Meeting):
    """Referrals an SCR Committee meeting may recommend on: received and awaiting the committee. None for other
    committees, so the question is not asked."""
    if meeting.committee.kind != Committee.Kind.SCR:
        return None
    return Referral.objects.filter(board_id=meeting.board_id, status=Referral.Status.RECEIVED).order_by("reference")


def referral_recommendation_decisions(referral) -> QuerySet[Decision]:
    """The SCR Committee's minuted decisions recommending on this referral, latest first: for the referral's
    page and for the check that a recommendation rests on a quorate decision."""
    return Decision.objects.filter(recommends_on_referral=referral).select_related("meeting").order_by(
        "-recorded_at")


def recommendation_minuted_at_quorate_meeting(referral) -> bool:
    """Whether a quorate meeting of the SCR Committee recorded its recommendation on the referral: what the
    referral asks (through its hook) before the recommendation or the Chair's refusal of an SCR is recorded."""
    return referral_recommendation_decisions(referral).filter(quorate=True).exists()


def meetings_that_took(source_type: str, source_id: str) -> QuerySet[Meeting]:
    """The held meetings that had this record on their agenda (a learning summary presented to the Performance
    Committee, say), earliest first: how another app records from the minutes that something was presented."""
    return (Meeting.objects.filter(state=Meeting.State.HELD, agenda_items__source_type=source_type,
                                   agenda_items__source_id=str(source_id))
            .select_related("committee").distinct().order_by("starts_at"))
