"""Two people writing one meeting's minutes or attendance at once: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.committees import services
from casereview.committees.models import Attendance, Meeting
from casereview.partnership.roles import Role
from tests.committees.factories import meeting, members_for_quorum
from tests.factories import UserFactory
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def _second_manager(world):
    return UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])


def test_a_stale_save_of_the_minutes_is_refused(world, as_user):
    m = meeting(world)
    services.attendance_record(by=world.manager, meeting=m, statuses={})
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_second_manager(world)),
        url=reverse("committees:minutes", args=[m.pk]),
        a_data={"minutes": "The committee noted the report."},
        b_data={"minutes": "Apologies were received."}, what="draft of the minutes")
    assert Meeting.objects.get(pk=m.pk).minutes == "The committee noted the report."


def test_a_stale_save_of_the_attendance_is_refused(world, as_user):
    chair, (member,) = members_for_quorum(world, agencies=1)
    m = meeting(world, days_from_today=0)
    services.attendance_record(by=world.manager, meeting=m,
                               statuses={chair.pk: "present", member.pk: "present"})
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_second_manager(world)),
        url=reverse("committees:attendance", args=[m.pk]),
        a_data={f"member_{chair.pk}": "present", f"member_{member.pk}": "apologies"},
        b_data={f"member_{chair.pk}": "absent", f"member_{member.pk}": "present"}, what="attendance record")
    assert dict(Attendance.objects.filter(meeting=m).values_list("user_id", "status")) == {
        chair.pk: "present", member.pk: "apologies"}


def test_saving_the_attendance_keeps_minutes_written_meanwhile(world):
    m = meeting(world)
    services.attendance_record(by=world.manager, meeting=m, statuses={})
    services.minutes_save(by=world.manager, meeting=Meeting.objects.get(pk=m.pk), minutes="First draft.")
    opened = Meeting.objects.get(pk=m.pk)  # the attendance page, opened before the minutes were redrafted
    services.minutes_save(by=world.manager, meeting=Meeting.objects.get(pk=m.pk), minutes="Noted the report.",
                          version=2)
    services.attendance_record(by=world.manager, meeting=opened, statuses={}, version=opened.attendance_version)
    assert Meeting.objects.get(pk=m.pk).minutes == "Noted the report."
