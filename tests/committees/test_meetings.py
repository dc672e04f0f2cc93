"""The committee cycle in the browser: schedule, agenda that fills itself, attendance, quorum, decisions."""

import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from docx import Document

from casereview.actions import services as action_services
from casereview.audit.models import AuditEvent
from casereview.committees import agenda
from casereview.committees.models import AgendaItem, Decision, Meeting
from casereview.partnership.models import Committee
from tests.actions.factories import draft_plan, monitored_plan, review
from tests.committees.factories import meeting, members_for_quorum
from tests.factories import CommitteeFactory


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def test_meetings_are_scheduled_from_the_committees_own_frequency(world, as_user):
    first = timezone.localdate() + timedelta(days=10)
    response = as_user(world.manager).post(reverse("committees:meeting_schedule"), {
        "committee": world.committee.pk, **_date("first_date", first), "start_time": "10:00",
        "duration_minutes": "120", "count": "3", "location": "Room 1"})
    assert response.status_code == 302
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.order_by("starts_at")]
    assert days == [first, first + timedelta(days=42), first + timedelta(days=84)]
    # The next suggested date follows the last meeting by the committee's frequency.
    page = as_user(world.manager).get(reverse("committees:meeting_list")).content.decode()
    assert (first + timedelta(days=126)).strftime("%-d %B %Y") in page


def test_scheduling_refuses_bad_input(world, as_user):
    no_rhythm = CommitteeFactory(board=world.board, name="Ad hoc group", meeting_frequency_days=None)
    client = as_user(world.manager)
    page = client.post(reverse("committees:meeting_schedule"), {
        "committee": no_rhythm.pk, **_date("first_date", timezone.localdate() + timedelta(days=3)),
        "start_time": "25:00", "duration_minutes": "60", "count": "2", "location": "Room"}).content.decode()
    assert "Enter the start time as hours and minutes" in page
    page = client.post(reverse("committees:meeting_schedule"), {
        "committee": no_rhythm.pk, **_date("first_date", timezone.localdate() + timedelta(days=3)),
        "start_time": "10:00", "duration_minutes": "60", "count": "2", "location": "Room"}).content.decode()
    assert "has no meeting frequency set" in page
    page = client.post(reverse("committees:meeting_schedule"), {
        "committee": world.committee.pk, **_date("first_date", date(2020, 1, 1)), "start_time": "10:00",
        "duration_minutes": "60", "count": "1", "location": "Room"}).content.decode()
    assert "The first meeting must be in the future" in page
    assert not Meeting.objects.exists()


def test_the_agenda_proposes_what_is_waiting(world, as_user):
    rev = review(world, reference="DONE-1")
    monitored_plan(world, reference="MON-1")
    m = meeting(world, days_from_today=14)
    page = as_user(world.manager).get(reverse("committees:meeting_detail", args=[m.pk])).content.decode()
    assert "Completed review DONE-1" in page
    assert "Action plans: quarterly exception report" in page
    keys = [p.key for p in agenda.proposals_for(m)]
    as_user(world.manager).post(reverse("committees:agenda_add", args=[m.pk]), {"item": keys})
    # Both published reviews (the monitored plan's own review too) and the exception report.
    assert list(m.agenda_items.values_list("kind", flat=True)) == ["review", "review", "exception_report"]
    # A review is placed once per committee: the next meeting is not offered it again, the exception report is.
    later = meeting(world, days_from_today=56)
    assert [p.kind for p in agenda.proposals_for(later)] == ["exception_report"]
    assert rev.pk


def test_a_review_is_proposed_only_for_meetings_after_it_was_completed(world):
    review(world, reference="DONE-2")
    earlier = Meeting.objects.create(board=world.board, committee=world.committee, location="Room",
                                     starts_at=timezone.now() - timedelta(days=30))
    assert agenda.proposals_for(earlier) == []


def test_a_review_misses_no_meeting_but_is_not_carried_for_ever(world):
    from casereview.committees import services

    rev = review(world, reference="OLD-1")
    held = meeting(world, days_from_today=0)
    upcoming = meeting(world, days_from_today=42)
    assert "reviews.review" in {p.source_type for p in agenda.proposals_for(upcoming)}
    services.attendance_record(by=world.manager, meeting=held, statuses={})
    assert "reviews.review" not in {p.source_type for p in agenda.proposals_for(upcoming)}
    assert rev.pk


def test_plans_awaiting_approval_go_to_the_scr_committee(world):
    scr = CommitteeFactory(board=world.board, kind=Committee.Kind.SCR, name="SCR Committee", meeting_frequency_days=28)
    plan = draft_plan(world)
    action_services.plan_submit(by=world.manager, plan=plan)
    proposals = agenda.proposals_for(meeting(world, days_from_today=5, committee=scr))
    assert [(p.kind, p.title) for p in proposals] == [("plan_approval", f"Approve {plan.title}")]


def test_other_apps_plug_in_agenda_sources(world):
    def referrals_waiting(m):
        return [agenda.Proposal(kind="referral", source_type="referrals.referral", source_id="7",
                                title="Referral REF-7 awaiting recommendation")]

    agenda.register_source(referrals_waiting)
    try:
        assert "Referral REF-7 awaiting recommendation" in [p.title for p in agenda.proposals_for(meeting(world, days_from_today=3))]
    finally:
        agenda._SOURCES.remove(referrals_waiting)


def test_quorum_is_shown_and_an_inquorate_decision_is_warned_and_flagged(world, as_user):
    chair, members = members_for_quorum(world, agencies=3)
    m = meeting(world, days_from_today=0)
    client = as_user(world.manager)
    statuses = {f"member_{chair.pk}": "present", f"member_{members[0].pk}": "present",
                f"member_{members[1].pk}": "present", f"member_{members[2].pk}": "apologies"}
    response = client.post(reverse("committees:attendance", args=[m.pk]), statuses, follow=True)
    assert "Not quorate: chair present; 2 of 3 agency representatives" in response.content.decode()
    page = client.get(reverse("committees:decision_add", args=[m.pk])).content.decode()
    assert "Decisions recorded now are flagged as made while the meeting was not quorate" in page
    page = client.post(reverse("committees:decision_add", args=[m.pk]), {"text": "Approve the plan"}).content.decode()
    assert "The meeting is not quorate" in page and not Decision.objects.exists()
    client.post(reverse("committees:decision_add", args=[m.pk]), {"text": "Approve the plan",
                                                                 "acknowledge_inquorate": "on"})
    decision = Decision.objects.get()
    assert not decision.quorate and decision.quorum_note.startswith("Not quorate")
    assert "Made while not quorate" in client.get(reverse("committees:meeting_detail", args=[m.pk])).content.decode()
    # With the fourth member present the meeting becomes quorate and decisions are not flagged.
    statuses[f"member_{members[2].pk}"] = "present"
    client.post(reverse("committees:attendance", args=[m.pk]), statuses)
    client.post(reverse("committees:decision_add", args=[m.pk]), {"text": "Note the report"})
    assert Decision.objects.get(text="Note the report").quorate


def test_attendance_needs_an_answer_for_every_member(world, as_user):
    chair, members = members_for_quorum(world, agencies=1)
    m = meeting(world, days_from_today=0)
    page = as_user(world.manager).post(reverse("committees:attendance", args=[m.pk]),
                                       {f"member_{chair.pk}": "present"}).content.decode()
    assert f"Choose whether {members[0]} attended" in page
    assert Meeting.objects.get(pk=m.pk).state == "scheduled"


def test_attendance_cannot_be_recorded_before_the_day(world, as_user):
    chair, _ = members_for_quorum(world, agencies=0)
    m = meeting(world, days_from_today=3)
    page = as_user(world.manager).post(reverse("committees:attendance", args=[m.pk]),
                                       {f"member_{chair.pk}": "present"}).content.decode()
    assert "Attendance can be recorded from the day of the meeting" in page


def test_minutes_and_actions_from_the_meeting(world, as_user):
    members_for_quorum(world, agencies=0)
    m = meeting(world, days_from_today=0)
    client = as_user(world.manager)
    assert "Record who attended before writing the minutes" in client.post(
        reverse("committees:minutes", args=[m.pk]), {"minutes": "x"}).content.decode()
    chair = world.committee.memberships.get().user
    client.post(reverse("committees:attendance", args=[m.pk]), {f"member_{chair.pk}": "present"})
    client.post(reverse("committees:minutes", args=[m.pk]), {"minutes": "The chair welcomed members."})
    page = client.post(reverse("committees:action_add", args=[m.pk]), {"description": ""}).content.decode()
    assert "Enter the action" in page and "Choose who owns the action" in page
    client.post(reverse("committees:action_add", args=[m.pk]), {
        "description": "Write to the police about the overdue action", "owner": world.manager.pk,
        **_date("due_date", timezone.localdate() + timedelta(days=14))})
    page = client.get(reverse("committees:meeting_detail", args=[m.pk])).content.decode()
    assert "The chair welcomed members." in page and "Write to the police about the overdue action" in page


def test_the_agenda_pack_is_a_word_document_with_the_papers(world, as_user):
    monitored_plan(world, reference="MON-2")
    m = meeting(world, days_from_today=7)
    client = as_user(world.manager)
    client.post(reverse("committees:agenda_add", args=[m.pk]), {"item": [p.key for p in agenda.proposals_for(m)]})
    client.post(reverse("committees:agenda_item_add", args=[m.pk]), {"title": "A & B <review>", "paper": "Line 1\nLine 2"})
    response = client.get(reverse("committees:pack", args=[m.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Agenda and papers" in text and "3. A & B <review>" in text and "Line 1\nLine 2" in text
    assert "Action plans: quarterly exception report" in cells and "MON-2" in cells
    assert AuditEvent.objects.filter(action="meeting.document_downloaded").exists()


def test_the_invitation_downloads_as_ics(world, as_user):
    m = meeting(world, days_from_today=7)
    response = as_user(world.chair).get(reverse("committees:invite", args=[m.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Testshire Performance Committee\r\n" in body
    assert f"UID:meeting-{m.pk}-testshire@" in body


def test_the_agenda_can_be_reordered_and_items_removed(world, as_user):
    m = meeting(world, days_from_today=7)
    client = as_user(world.manager)
    for title in ("First", "Second", "Third"):
        client.post(reverse("committees:agenda_item_add", args=[m.pk]), {"title": title})
    third = AgendaItem.objects.get(title="Third")
    client.post(reverse("committees:agenda_item_move", args=[m.pk, third.pk]), {"direction": "up"})
    client.post(reverse("committees:agenda_item_remove", args=[m.pk, AgendaItem.objects.get(title="First").pk]))
    assert list(m.agenda_items.values_list("order", "title")) == [(1, "Third"), (2, "Second")]


def test_members_see_their_committees_meetings_and_nobody_elses(world, as_user):
    m = meeting(world, days_from_today=7)
    members_for_quorum(world, agencies=1)
    member = world.committee.memberships.filter(position="member").get().user
    assert as_user(member).get(reverse("committees:meeting_detail", args=[m.pk])).status_code == 200
    # A member may read but not run the meeting.
    assert as_user(member).get(reverse("committees:attendance", args=[m.pk])).status_code == 404
    assert as_user(world.author_b).get(reverse("committees:meeting_detail", args=[m.pk])).status_code == 404
