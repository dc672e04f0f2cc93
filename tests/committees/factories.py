from datetime import date, datetime, time, timedelta

from django.utils import timezone

from casereview.committees import services
from casereview.partnership.models import CommitteeMembership
from casereview.partnership.roles import Role
from tests.factories import AgencyFactory, UserFactory


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def meeting(world, *, days_from_today: int = -1, committee=None):
    committee = committee or world.committee
    return services.meetings_schedule(by=world.manager, committee=committee,
                                      first_starts_at=at(timezone.localdate() + timedelta(days=days_from_today)),
                                      count=1, location="Room 1, Testshire House", duration_minutes=90,
                                      allow_past=days_from_today < 1)[0]


def held_meeting(world, statuses=None):
    m = meeting(world)
    services.attendance_record(by=world.manager, meeting=m, statuses=statuses or {})
    from casereview.committees.models import Meeting

    return Meeting.objects.get(pk=m.pk)


def seat(committee, *, position="member", agency=None, username=None, board=None):
    user = UserFactory(board=board or committee.board, agency=agency, username=username,
                       roles=[Role.PERFORMANCE_MEMBER]) if username else UserFactory(
        board=board or committee.board, agency=agency, roles=[Role.PERFORMANCE_MEMBER])
    CommitteeMembership.objects.create(committee=committee, user=user, position=position, represents=agency)
    return user


def members_for_quorum(world, agencies: int = 3):
    """A chair (agency A) and `agencies` members from other agencies."""
    chair = seat(world.committee, position="chair", agency=world.agency_a)
    members = [seat(world.committee, agency=AgencyFactory(board=world.board, name=f"Agency Q{i}",
                                                          short_code=f"Q{i}")) for i in range(agencies)]
    return chair, members
