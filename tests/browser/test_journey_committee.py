"""A Performance Committee meeting in the browser, run by the committee's chair.

The chair schedules the next meeting, sees what is waiting for it (a completed review) and puts it on the
agenda; on the day they record who attended, see that the meeting is quorate, and record a decision against the
agenda item. Every distinct page is checked with axe-core for WCAG 2.2 A and AA.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from casereview.committees.models import Meeting
from casereview.partnership.models import CommitteeMembership
from casereview.partnership.roles import Role
from tests.browser_support import accessible, fill_date, success
from tests.committees.factories import seat
from tests.factories import AgencyFactory, UserFactory
from tests.reviews.helpers import published_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_performance_chair_runs_a_meeting_from_schedule_to_decision(page, live_server, world, sign_in):
    page.set_default_timeout(10_000)
    committee = world.committee  # a Performance Committee: quorate with 3 agency representatives
    chair = UserFactory(board=world.board, agency=world.agency_a, username="perf-chair", first_name="Petra",
                        last_name="Chairperson", roles=[Role.PERFORMANCE_CHAIR])
    CommitteeMembership.objects.create(committee=committee, user=chair, position="chair", represents=world.agency_a)
    health = seat(committee, agency=world.agency_b, username="member-health")
    school = seat(committee, agency=AgencyFactory(board=world.board, name="Testshire Schools", short_code="TSCH"),
                  username="member-schools")
    housing = seat(committee, agency=AgencyFactory(board=world.board, name="Testshire Housing", short_code="THSG"),
                   username="member-housing")
    probation = seat(committee, agency=AgencyFactory(board=world.board, name="Testshire Probation",
                                                     short_code="TPRB"), username="member-probation")
    review = published_review(world)
    tomorrow = timezone.localdate() + timedelta(days=1)

    # The chair schedules the next meeting.
    sign_in(page, chair)
    page.goto(f"{live_server.url}/committees/")
    accessible(page)
    page.get_by_role("button", name="Schedule meetings").click()
    page.get_by_role("heading", name="Schedule meetings").wait_for()
    accessible(page)
    page.get_by_label("Committee", exact=True).select_option(label=committee.name)
    fill_date(page, "first_date", tomorrow)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where").fill("Room 2, Testshire House")
    page.get_by_role("button", name="Schedule").click()
    assert f"1 meeting of the {committee.name} scheduled" in success(page)
    meeting = Meeting.objects.get()

    # It sees the completed review waiting for the meeting and puts it on the agenda.
    waiting = page.get_by_role("group", name="Waiting for this meeting")
    title = f"Completed review {review.reference}: {review.title}"
    assert waiting.get_by_label(title, exact=False).is_checked()
    accessible(page)
    page.get_by_role("button", name="Add selected to the agenda").click()
    assert "1 item added to the agenda" in success(page)
    assert page.get_by_role("listitem").filter(has_text=title).first.is_visible()

    # The day of the meeting comes.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    # The chair records who attended: the chair and three agencies' representatives, so the meeting is quorate.
    page.reload()
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("heading", name="Who attended?").wait_for()
    accessible(page)
    for member, status in ((chair, "Present"), (health, "Present"), (school, "Present"), (housing, "Present"),
                           (probation, "Sent apologies")):
        page.get_by_role("group", name=str(member), exact=False).get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved. Quorate: chair present; 3 of 3 agency representatives" in success(page)
    assert page.get_by_text("Quorate", exact=True).is_visible()
    accessible(page)

    # The chair records a decision against the agenda item.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_role("heading", name="Record a decision").wait_for()
    accessible(page)
    page.get_by_label("Agenda item (optional)").select_option(index=1)
    page.get_by_label("Decision", exact=True).fill("The committee accepts the review's learning for the next "
                                                   "practitioner forum.")
    page.get_by_role("button", name="Record decision").click()
    assert "Decision recorded" in success(page)
    assert page.get_by_text("The committee accepts the review's learning").is_visible()
    decision = Meeting.objects.get().decisions.get()
    assert decision.quorate and decision.agenda_item.title.startswith(title)
