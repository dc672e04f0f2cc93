"""Minutes drafted, approved at the next quorate meeting and emailed to members; agendas that propose only what
is relevant; reorder controls that are real, labelled buttons; a bad link that explains itself (issues G2, G7,
G6)."""

from django.urls import reverse

from casereview.committees import agenda, services
from casereview.committees.models import Decision, Meeting
from casereview.notifications.models import OutboundEmail
from tests.actions.factories import review
from tests.committees.factories import meeting, members_for_quorum


def _held(world, m, present):
    services.attendance_record(by=world.manager, meeting=m, statuses={u.pk: "present" for u in present})
    return Meeting.objects.get(pk=m.pk)


def test_minutes_are_approved_at_the_next_quorate_meeting_and_emailed_to_members(world, as_user):
    chair, members = members_for_quorum(world)
    last = _held(world, meeting(world, days_from_today=-42), [chair, *members])
    services.minutes_save(by=world.manager, meeting=last, minutes="Apologies from nobody. Plans reviewed.")
    this = meeting(world, days_from_today=0)
    assert [p.title for p in agenda.proposals_for(this)][0].startswith("Minutes of the meeting of")
    this = _held(world, this, [chair, members[0]])  # not quorate
    client = as_user(world.manager)
    page = client.post(reverse("committees:minutes_approve", args=[this.pk]), follow=True).content.decode()
    assert "Minutes can only be approved by a quorate meeting" in page
    assert Meeting.objects.get(pk=last.pk).minutes_state == Meeting.MinutesState.DRAFT
    this = _held(world, this, [chair, *members])
    page = client.post(reverse("committees:minutes_approve", args=[this.pk]), follow=True).content.decode()
    assert "Minutes of the last meeting approved and emailed to the committee&#x27;s members" in page
    last = Meeting.objects.get(pk=last.pk)
    assert last.minutes_state == Meeting.MinutesState.APPROVED and last.minutes_approved_at_meeting == this
    assert Decision.objects.get(meeting=this).text.startswith("The minutes of the meeting of")
    emails = OutboundEmail.objects.filter(about_type="committees.meeting", about_id=str(last.pk),
                                          subject__startswith="Approved minutes")
    assert sorted(emails.values_list("to", flat=True)) == sorted(u.email for u in [chair, *members])
    assert "Plans reviewed" not in emails.first().body  # a link, never the minutes themselves
    refused = client.post(reverse("committees:minutes", args=[last.pk]), {"minutes": "Rewritten"})
    assert "These minutes were approved at a later meeting and circulated" in refused.content.decode()


def test_agendas_propose_only_reviews_completed_since_the_committee_last_met(world):
    review(world, reference="LONG-AGO", approved_days_ago=400)
    review(world, reference="RECENT", approved_days_ago=10)
    first = meeting(world, days_from_today=7)
    titles = [p.title for p in agenda.proposals_for(first)]
    assert any("RECENT" in t for t in titles) and not any("LONG-AGO" in t for t in titles)


def test_referrals_awaiting_consideration_go_on_the_scr_committee_agenda(world):
    from casereview.committees import sources
    from casereview.partnership.models import Committee
    from casereview.referrals.models import Referral
    from tests.factories import CommitteeFactory
    from tests.referrals.factories import make_referral

    scr = CommitteeFactory(board=world.board, kind=Committee.Kind.SCR, name="SCR Committee", meeting_frequency_days=28)
    waiting = make_referral(world, Referral.Status.RECEIVED)
    make_referral(world, Referral.Status.SUBMITTED)  # not received yet: not the committee's business
    proposals = sources.referrals_awaiting_consideration(meeting(world, days_from_today=5, committee=scr))
    assert [(p.kind, p.source_id) for p in proposals] == [("referral", str(waiting.pk))]
    assert "Zebedee" not in proposals[0].title + proposals[0].paper
    assert sources.referrals_awaiting_consideration(meeting(world, days_from_today=6)) == []


def test_agenda_reorder_controls_are_separate_labelled_buttons(world, as_user):
    m = meeting(world, days_from_today=7)
    for title in ("Welcome", "Action plans", "Any other business"):
        services.agenda_add_item(by=world.manager, meeting=m, title=title)
    page = as_user(world.manager).get(reverse("committees:meeting_detail", args=[m.pk])).content.decode()
    assert 'aria-label="Move item 2 up: Action plans">Move up</button>' in page
    assert 'aria-label="Move item 2 down: Action plans">Move down</button>' in page
    assert 'aria-label="Remove item 3: Any other business">Remove</button>' in page
    assert page.count('>Move up</button>') + page.count('>Move down</button>') == 4  # none on the ends


def test_a_committee_link_that_is_not_a_number_says_so(world, as_user):
    response = as_user(world.manager).get(reverse("committees:meeting_schedule") + "?committee=abc")
    assert response.status_code == 200
    assert "That committee was not found among the committees you run" in response.content.decode()


def test_rule_6_committee_quorum_problems_reads_the_committees_membership(world):
    from casereview.committees.selectors import committee_quorum_problems
    from tests.committees.factories import seat

    world.committee.quorum_agency_representatives = 3
    world.committee.save()
    assert committee_quorum_problems(world.committee)[0].endswith("can never be quorate: add its chair")
    members_for_quorum(world, agencies=3)
    assert committee_quorum_problems(world.committee) == []
    seat(world.committee, position="vice_chair", agency=world.agency_b)
    assert committee_quorum_problems(world.committee) == []


def test_draft_minutes_wait_for_the_next_meeting_and_the_chair_is_told(world):
    from casereview.committees.dashboard import minutes_to_approve_waiting

    chair, members = members_for_quorum(world)
    last = _held(world, meeting(world, days_from_today=-42), [chair, *members])
    upcoming = meeting(world, days_from_today=7)
    assert minutes_to_approve_waiting(world.manager) == []
    services.minutes_save(by=world.manager, meeting=last, minutes="Plans reviewed.")
    waiting = minutes_to_approve_waiting(world.manager)
    assert [(w["url"], w["due"]) for w in waiting] == [
        (reverse("committees:meeting_detail", args=[upcoming.pk]), upcoming.starts_at.date())]
    assert waiting[0]["label"].startswith("Approve the minutes of the Testshire Performance Committee meeting of")
    assert minutes_to_approve_waiting(members[0]) == []  # a member does not run the meetings
    told = OutboundEmail.objects.filter(about_type="committees.meeting", about_id=str(last.pk))
    assert list(told.values_list("to", flat=True)) == [chair.email]
    services.minutes_save(by=world.manager, meeting=Meeting.objects.get(pk=last.pk), minutes="Plans reviewed again.")
    assert told.count() == 1  # told once, when the first draft is ready


def test_the_scr_committees_recommendation_on_a_referral_is_a_quorate_minuted_decision(world, as_user):
    from casereview.committees.selectors import referral_recommendation_decisions
    from casereview.referrals.models import Referral
    from tests.actions.factories import scr_chair, scr_meeting
    from tests.referrals.factories import make_referral

    referral = make_referral(world, Referral.Status.RECEIVED)
    client = as_user(scr_chair(world))
    inquorate = scr_meeting(world, present=[scr_chair(world)])
    page = client.post(reverse("committees:decision_add", args=[inquorate.pk]), {
        "text": "Recommend an intensive review", "recommends_on_referral": referral.pk,
        "acknowledge_inquorate": "on"}).content.decode()
    assert "A recommendation on a referral is made by a quorate meeting of the SCR Committee" in page
    assert not referral_recommendation_decisions(referral).exists()
    quorate = scr_meeting(world)
    client.post(reverse("committees:decision_add", args=[quorate.pk]), {
        "text": "Recommend an intensive review", "recommends_on_referral": referral.pk})
    decision = referral_recommendation_decisions(referral).get()
    assert decision.meeting == quorate and decision.quorate


def test_other_apps_learn_from_the_minutes_which_meetings_took_their_record(world):
    from casereview.committees.selectors import meetings_that_took

    m = meeting(world, days_from_today=0)
    services.agenda_add_item(by=world.manager, meeting=m, title="Any other business")
    proposal = agenda.Proposal(kind="learning_summary", source_type="learning.summary", source_id="5",
                               title="Learning summary: TREV-1")
    agenda.register_source(lambda _m: [proposal])
    try:
        services.agenda_add_proposals(by=world.manager, meeting=m, keys=[proposal.key])
    finally:
        agenda._SOURCES.pop()
    assert list(meetings_that_took("learning.summary", "5")) == []  # on the agenda, not yet held
    services.attendance_record(by=world.manager, meeting=m, statuses={})
    assert list(meetings_that_took("learning.summary", "5")) == [Meeting.objects.get(pk=m.pk)]


def test_rule_6_whoever_runs_a_committee_is_told_its_membership_can_never_be_quorate(world, as_user):
    page = as_user(world.manager).get(reverse("committees:meeting_list")).content.decode()
    assert "The Testshire Performance Committee has no chair, so it can never be quorate: add its chair" in page
    members_for_quorum(world, agencies=max(world.committee.quorum_agency_representatives, 1))
    page = as_user(world.manager).get(reverse("committees:meeting_list")).content.decode()
    assert "can never be quorate" not in page
