from django.db.models import QuerySet
from django.http import Http404

from casereview.core.permissions import is_board_member
from casereview.partnership.models import Committee, CommitteeMembership

from .models import Attendance, Meeting
from .permissions import sees_all_meetings
from .quorum import Attendee, Quorum, compute_quorum


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


def committee_get_for_user(user, committee_id: int) -> Committee:
    committee = committees_visible_to(user).filter(pk=committee_id).first()
    if committee is None:
        raise Http404("No committee found")
    return committee


def meeting_quorum(meeting: Meeting) -> Quorum:
    attendees = [Attendee(position=a.position, agency=a.represents.name if a.represents else None,
                          present=a.status == Attendance.Status.PRESENT)
                 for a in meeting.attendance.select_related("represents")]
    committee = meeting.committee
    return compute_quorum(requires_chair=committee.quorum_requires_chair,
                          agencies_needed=committee.quorum_agency_representatives, attendees=attendees)


def members_of(committee: Committee) -> QuerySet[CommitteeMembership]:
    return committee.memberships.select_related("user", "represents").filter(user__is_active=True)
