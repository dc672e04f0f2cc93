"""What learning registers into the apps below it: agenda items and minutes (committees), the "finding saved"
and "close blocker" hooks (reviews) and routing outcomes (referrals)."""

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from casereview.committees import services as committees
from casereview.committees.agenda import proposals_for
from casereview.committees.models import Meeting
from casereview.learning import hooks
from casereview.learning.errors import LearningError
from casereview.learning.models import AuditTheme, Forum, LibraryEntry, SummaryPresentation, SustainQuestion
from tests.committees import factories as meetings

from . import factories as f


def test_approved_summaries_are_proposed_for_the_committee_and_recorded_from_its_minutes(world):
    summary = f.summary(world)
    draft = f.summary(world, approved=False)
    meeting = meetings.meeting(world, days_from_today=0)
    proposed = [p for p in proposals_for(meeting) if p.source_type == hooks.AGENDA_SOURCE]
    assert [p.source_id for p in proposed] == [str(summary.pk)]
    assert str(draft.pk) not in {p.source_id for p in proposed}
    committees.agenda_add_proposals(by=world.manager, meeting=meeting, keys=[proposed[0].key])
    committees.attendance_record(by=world.manager, meeting=meeting, statuses={})
    with pytest.raises(LearningError, match="Record the meeting's minutes first"):
        hooks.presentations_from_minutes(by=world.manager, meeting=meeting)
    committees.minutes_save(by=world.manager, meeting=meeting, minutes="The committee received the summary.")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert hooks.presentations_from_minutes(by=world.manager, meeting=meeting) == 1
    assert hooks.presentations_from_minutes(by=world.manager, meeting=meeting) == 0
    presented = SummaryPresentation.objects.get(summary=summary)
    assert presented.committee == world.committee and presented.presented_on == timezone.localtime(meeting.starts_at).date()
    # Received: not proposed to this committee again.
    later = meetings.meeting(world, days_from_today=14)
    assert not [p for p in proposals_for(later) if p.source_type == hooks.AGENDA_SOURCE]


def test_other_committees_are_not_offered_summaries(world):
    from tests.factories import CommitteeFactory

    f.summary(world)
    scr = CommitteeFactory(board=world.board, kind="scr", name="SCR Committee")
    assert hooks.learning_summaries_waiting(meetings.meeting(world, committee=scr, days_from_today=3)) == []


def test_a_saved_finding_joins_the_library_and_raises_the_question(world):
    question = f.question(world)
    SustainQuestion.objects.all().delete()
    finding = question.finding
    finding.title = "The school was never told about the incidents"
    finding.save()
    with transaction.atomic():
        hooks.finding_saved(by=world.manager, finding=finding)
    assert LibraryEntry.objects.get(kind="finding", source_id=finding.pk).title == finding.title
    assert SustainQuestion.objects.filter(finding=finding).exists()


def test_a_review_cannot_close_without_its_learning_summary(world):
    rev = f.review(world)
    assert "learning summary" in hooks.learning_summary_needed(rev)
    f.summary(world, rev=rev, approved=False)
    assert hooks.learning_summary_needed(rev) is None


def _referral(world):
    return SimpleNamespace(board=world.board, board_id=world.board.pk, reference="R-2026-7")


def test_routing_a_referral_to_a_forum_opens_the_forum_without_naming_the_child(world):
    made = hooks.forum_from_referral(by=world.manager, referral=_referral(world), reason="Housing moves")
    forum = Forum.objects.get(board=world.board)
    assert made == f"Practitioner forum: {forum.title}"
    assert "R-2026-7" in forum.title and forum.state == Forum.State.OPEN


def test_routing_a_referral_to_an_audit_adds_a_theme_waiting_to_be_planned(world, as_user):
    from django.urls import reverse

    assert hooks.single_agency_audit_from_referral(by=world.manager, referral=_referral(world)) == \
        "Audit theme: Audit theme from referral R-2026-7"
    theme = AuditTheme.objects.get(board=world.board)
    assert theme.kind == "single_agency" and theme.audit is None
    page = as_user(world.manager).get(reverse("learning:audit_list")).content.decode()
    assert "Audit themes waiting to be planned" in page and "Referral R-2026-7" in page
    tool = f.tool(world)
    client = as_user(world.manager)
    response = client.post(reverse("learning:audit_create"), {
        "title": "Housing moves", "tool": tool.pk, "kind": "single_agency", "agencies": [world.agency_a.pk],
        "audited_on_0": "1", "audited_on_1": "6", "audited_on_2": "2026", "sample_size": "4",
        "audit_theme": theme.pk})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.audit is not None and theme.audit.title == "Housing moves"
    assert "Audit themes waiting to be planned" not in client.get(reverse("learning:audit_list")).content.decode()


def test_a_minuted_summary_is_recorded_as_presented_from_its_page(world, as_user):
    from django.urls import reverse

    summary = f.summary(world)
    meeting = meetings.meeting(world, days_from_today=0)
    key = next(p.key for p in proposals_for(meeting) if p.source_type == hooks.AGENDA_SOURCE)
    committees.agenda_add_proposals(by=world.manager, meeting=meeting, keys=[key])
    committees.attendance_record(by=world.manager, meeting=meeting, statuses={})
    client = as_user(world.manager)
    page = client.get(reverse("learning:summary_detail", args=[summary.pk])).content.decode()
    assert "Record it as presented" not in page  # not minuted yet
    committees.minutes_save(by=world.manager, meeting=meeting, minutes="Received.")
    page = client.get(reverse("learning:summary_detail", args=[summary.pk])).content.decode()
    assert "now minuted" in page
    response = client.post(reverse("learning:summary_presented_from_minutes", args=[summary.pk, meeting.pk]),
                           follow=True)
    assert f"Recorded as presented to the {world.committee.name}" in response.content.decode()
    assert SummaryPresentation.objects.filter(summary=summary, committee=world.committee).exists()
    assert "Record it as presented" not in response.content.decode()


@pytest.mark.parametrize("outcome, kind", [("audit", "multi_agency"), ("single_agency_audit", "single_agency")])
def test_the_scr_committee_routing_a_referral_to_an_audit_leaves_a_theme_to_plan(world, outcome, kind):
    from casereview.referrals.models import CirConsideration
    from tests.referrals.factories import make_referral

    referral = make_referral(world, "decided", purpose="learning", route_to=outcome)
    theme = AuditTheme.objects.get(board=world.board)
    assert theme.kind == kind and referral.reference in theme.title
    assert CirConsideration.objects.get(referral=referral).follow_up == f"Audit theme: {theme.title}"


def test_the_scr_committee_routing_a_referral_to_a_forum_opens_the_forum(world):
    from casereview.referrals import hooks as referral_hooks
    from casereview.referrals.models import CirConsideration
    from tests.referrals.factories import make_referral

    referral_hooks.register_outcome_handler("forum", hooks.forum_from_referral)  # as LearningConfig.ready does
    referral = make_referral(world, "decided", purpose="good_practice", route_to="forum")
    forum = Forum.objects.get(board=world.board)
    assert CirConsideration.objects.get(referral=referral).follow_up == f"Practitioner forum: {forum.title}"
    assert referral.case.pseudonym not in forum.title
