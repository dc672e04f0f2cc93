"""The board's framework as written (issue G2): each numbered rule has a test named after it."""

import io
from datetime import timedelta

import pypdf
import pytest
from django.core import mail
from django.urls import reverse

from casereview.actions import services as plan_services
from casereview.actions.models import ActionPlan
from casereview.lib.clocks import add_calendar_months
from casereview.lib.dates import today
from casereview.notifications.models import OutboundEmail
from casereview.notifications.tasks import send_email
from casereview.partnership.roles import Role
from casereview.referrals import hooks, services
from casereview.referrals.clocks import referral_clocks
from casereview.referrals.models import ChairDecision, CirConsideration, PanelLogEntry, Referral
from casereview.reviews.models import Review
from tests.actions.factories import approve_at_meeting, draft_plan
from tests.factories import UserFactory
from tests.referrals.factories import make_referral, minute_recommendation
from tests.referrals.test_flow import _date, matrix_post


def test_purpose_routes_the_referral(world, as_user):
    """A learning or good-practice referral goes from receipt to the SCR Committee's routing: no matrix, no
    Chair's decision, no National Panel notice and no Panel clock."""
    referral = make_referral(world, "received", purpose="learning")
    manager = as_user(world.manager)
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Route the referral" in page and "Start the decision matrix" not in page
    assert "National Panel" not in page
    assert as_user(world.chair).get(reverse("referrals:decide", args=[referral.pk])).status_code == 403
    assert manager.get(reverse("referrals:matrix", args=[referral.pk])).status_code == 403

    response = manager.post(reverse("referrals:route", args=[referral.pk]), {
        "outcome": "cir", "reason": "Agencies want to learn from how the school and police worked together.",
        **_date("decided_on", today())})
    assert response.status_code == 302
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == Referral.Status.DECIDED and not ChairDecision.objects.exists()
    assert Review.objects.get(case=referral.case).type == Review.Type.CIR
    assert [c.slug for c in referral_clocks(referral)] == ["scr-decision"]  # no Panel clock
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "The SCR Committee's routing" in page and "Critical Incident Review" in page
    assert "Prepare and record the notice" not in page
    # Feedback alone closes it: there is no Panel notice to wait for.
    response = manager.post(reverse("referrals:letter_sent", args=[referral.pk]), _date("sent_on", today()))
    assert response.status_code == 302 and Referral.objects.get(pk=referral.pk).status == Referral.Status.CLOSED


def test_purpose_routes_the_referral_to_a_forum_through_the_registered_hook(world):
    made = []
    learning_handler = hooks._HANDLERS.get("forum")
    hooks.register_outcome_handler("forum", lambda *, by, referral, reason: made.append(reason) or
                                   "Forum topic: Housing moves")
    try:
        referral = make_referral(world, "decided", purpose="good_practice", route_to="forum")
    finally:
        hooks.unregister_outcome_handler("forum")
        if learning_handler is not None:
            hooks.register_outcome_handler("forum", learning_handler)
    routing = CirConsideration.objects.get(referral=referral)
    assert made == ["The committee's fictional rationale."]
    assert routing.follow_up == "Forum topic: Housing moves" and routing.review is None


def test_purpose_routes_the_referral_to_a_single_agency_audit(world):
    referral = make_referral(world, "decided", purpose="learning", route_to="single_agency_audit")
    assert CirConsideration.objects.get(referral=referral).get_outcome_display() == "Single-agency audit"
    assert not Review.objects.filter(case=referral.case).exists()


def test_only_the_independent_chair_initiates_an_scr(world, as_user):
    """The referral side: routing can never open an SCR, and the Chair decides only an SCR referral the
    committee has recommended."""
    assert not {"scr_intensive", "scr_targeted"} & set(CirConsideration.Outcome.values)
    referral = make_referral(world, "received", purpose="learning")
    with pytest.raises(services.ReferralError):
        services.referral_route(by=world.manager, referral=referral, outcome="scr_intensive", reason="No",
                                decided_on=today())
    scr = make_referral(world, "recommended")
    with pytest.raises(services.ReferralError, match="The Chair decides"):
        services.decision_record(by=world.manager, referral=scr, decision="scr_intensive", decided_on=today(),
                                 rationale="Not the Chair")
    made = services.decision_record(by=world.chair, referral=scr, decision="scr_intensive", decided_on=today(),
                                    rationale="Threshold met")
    assert made.review.type == Review.Type.SCR_INTENSIVE


def test_feedback_comes_from_the_scr_committee_chair(world, as_user):
    """The letter gives the outcome, the committee's multi-agency rationale and the Chair's; it is signed by the
    SCR Committee chair and can be emailed from the service, recorded."""
    UserFactory(board=world.board, username="scr-chair", first_name="Sam", last_name="Demo-Chairperson",
                roles=[Role.SCR_COMMITTEE_CHAIR])
    referral = make_referral(world, "decided")
    response = as_user(world.manager).post(reverse("referrals:letter_sent", args=[referral.pk]),
                                           {**_date("sent_on", today()), "email": "on"})
    assert response.status_code == 302
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.feedback_emailed_to == "referrer@testshire.example"
    email = OutboundEmail.objects.get(to="referrer@testshire.example")
    assert "The committee finds criteria 1 and 2b met." in email.body  # the committee's discussion
    assert "The Chair's fictional rationale." in email.body  # the Chair's reasons
    assert "Sam Demo-Chairperson" in email.body and "Chair of the Serious Case Review Committee" in email.body
    # The letter goes with the email as a PDF; once sent, the log keeps its name but not its content.
    send_email.call(email.pk)
    sent = next(m for m in mail.outbox if m.to == ["referrer@testshire.example"])
    (name, content, mime), = sent.attachments
    assert name == f"feedback-{referral.reference}.pdf" and mime == "application/pdf"
    attached = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Sam Demo-Chairperson" in attached
    stored = OutboundEmail.objects.get(pk=email.pk).attachments.get()
    assert stored.removed_after_sending and bytes(stored.content) == b""
    pdf = as_user(world.manager).get(reverse("referrals:letter_pdf", args=[referral.pk])).content
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Sam Demo-Chairperson" in text and "The SCR Committee's discussion" in text
    page = as_user(world.manager).get(reverse("referrals:detail", args=[referral.pk])).text
    assert "emailed to referrer@testshire.example" in page


def test_clocks_start_where_the_framework_says(world):
    """The decision clock runs from the board being notified of the incident when that came before the
    referral was received (the framework: within one month of the board being notified)."""
    referral = make_referral(world, "submitted")
    notified = today() - timedelta(days=20)
    services.referral_receive(by=world.manager, referral=referral, received_on=today(), board_notified_on=notified)
    decision = next(c for c in referral_clocks(Referral.objects.get(pk=referral.pk)) if c.slug == "scr-decision")
    assert decision.start == notified and decision.due == add_calendar_months(notified, 1)


@pytest.mark.parametrize("pack", ["lscb-2015", "wt-2018"])
def test_the_wt_2018_rule_pack_works_everywhere(world, as_user, pack):
    """The whole flow under each pack, referral to action-plan handover: every page answers, every clock
    resolves, and the decision clock is the pack's own."""
    world.board.rule_pack = pack
    world.board.save()
    referral = make_referral(world, "received")
    manager = as_user(world.manager)
    if pack == "wt-2018":
        services.panel_log_add(by=world.manager, referral=referral, kind=PanelLogEntry.Kind.INCIDENT_NOTIFIED,
                               on=today())
    minute_recommendation(world, referral)
    referral = Referral.objects.get(pk=referral.pk)
    assert manager.post(reverse("referrals:matrix", args=[referral.pk]), matrix_post(
        referral, recommended_outcome="cir")).status_code == 302
    chair = as_user(world.chair)
    assert chair.get(reverse("referrals:decide", args=[referral.pk])).status_code == 200
    assert chair.post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "not_initiated", **_date("decided_on", today()), "rationale": "Not met."}).status_code == 302
    referral = Referral.objects.get(pk=referral.pk)
    slugs = {c.slug: c for c in referral_clocks(referral)}
    decision_clock = "rapid-review" if pack == "wt-2018" else "scr-decision"
    assert slugs[decision_clock].status.met_on == today()
    for url in ("referrals:detail", "referrals:panel_notice", "referrals:letter_pdf", "referrals:letter_docx"):
        assert manager.get(reverse(url, args=[referral.pk])).status_code == 200
    assert manager.get(reverse("home")).status_code == 200
    assert manager.get(reverse("deadlines:list")).status_code == 200

    # The review's recommendations become a plan, approved by the SCR Committee and handed to the Performance
    # Committee, whose quarterly update clock comes from the pack (or the framework's, through the fallback).
    plan = draft_plan(world, "TREV-PACK")
    plan_services.plan_submit(by=world.manager, plan=plan)
    approve_at_meeting(world, ActionPlan.objects.get(pk=plan.pk))
    plan = plan_services.plan_hand_over(by=world.manager, plan=ActionPlan.objects.get(pk=plan.pk),
                                        committee=world.committee, on=today())
    assert ActionPlan.objects.get(pk=plan.pk).state == ActionPlan.State.MONITORING
    for url, args in (("actions:plan_detail", [plan.pk]), ("actions:reports", [])):
        assert manager.get(reverse(url, args=args)).status_code == 200


def test_the_panel_log_records_requests_with_due_and_answered_dates(world, as_user):
    referral = make_referral(world, "decided", decision="scr_targeted")
    manager = as_user(world.manager)
    response = manager.post(reverse("referrals:panel_log_add", args=[referral.pk]), {
        "kind": "request_information", **_date("on", today()), "notes": "Chronology summary"})
    assert "Enter when the Panel expects an answer" in response.text
    response = manager.post(reverse("referrals:panel_log_add", args=[referral.pk]), {
        "kind": "request_information", **_date("on", today()), **_date("due_on", today() + timedelta(days=7)),
        "notes": "Chronology summary"})
    assert response.status_code == 302
    entry = PanelLogEntry.objects.get()
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Panel request for information" in page and "Record as answered" in page
    manager.post(reverse("referrals:panel_log_answer", args=[entry.pk]), _date("answered_on", today()))
    entry.refresh_from_db()
    assert entry.answered_on == today()
    services.panel_log_add(by=world.manager, referral=referral, kind="dfe_told", on=today())
    assert "DfE told of the Serious Case Review" in manager.get(reverse("referrals:detail", args=[referral.pk])).text


def test_the_scr_committee_is_told_of_a_new_referral_and_sees_it_waiting(world, as_user):
    member = UserFactory(board=world.board, username="scr-member", roles=[Role.SCR_COMMITTEE_MEMBER])
    referral = make_referral(world, "received")
    email = OutboundEmail.objects.get(to=member.email)
    assert "New referral" in email.subject and "decision matrix" in email.body
    page = as_user(member).get(reverse("home")).text
    assert "Referrals waiting for the SCR Committee" in page and referral.reference in page
    assert "Complete the decision matrix" in page


def test_purpose_routes_the_referral_so_a_learning_referral_needs_no_scr_criteria(world, as_user):
    from tests.referrals.test_flow import referral_post

    author = as_user(world.author_a)
    response = author.post(reverse("referrals:create"), referral_post(world, criteria=[]))
    assert "Select the criteria you think are met" in response.text and not Referral.objects.exists()
    response = author.post(reverse("referrals:create"), referral_post(world, criteria=[], purpose="good_practice"))
    assert response.status_code == 302 and Referral.objects.get().purpose == "good_practice"
