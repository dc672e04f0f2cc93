"""The framework's rules for reviews, each named after the rule (issue G2): who starts an SCR, who may lead one,
which clock a review runs on, reminders for its deadlines, and what must exist before a review closes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import CommitteeMembership
from casereview.partnership.roles import Role
from casereview.reviews import hooks, selectors, services
from casereview.reviews.models import Review
from casereview.reviews.services.reminders import reminders_send
from tests.factories import UserFactory
from tests.reviews import helpers as h


def _date(prefix: str, d: date) -> dict:
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _add_lead(client, review, user, **extra):
    return client.post(reverse("reviews:people", args=[review.pk]), {
        "user": user.pk, "role": "lead_reviewer", "involved_in_case": "no", "has_conflict": "no", **extra})


# --- Rule 1: only the Independent Chair initiates an SCR ------------------------------------------------------
@pytest.mark.django_db
def test_rule_1_the_business_manager_cannot_open_a_serious_case_review(world, as_user):
    client = as_user(world.manager)
    page = client.get(reverse("reviews:create")).content.decode()
    assert "Critical Incident Review" in page and "Serious Case Review (Targeted)" not in page
    assert "starts only from the Independent Chair&#x27;s decision" in page

    response = client.post(reverse("reviews:create"), {
        "case": world.case.pk, "type": "scr_targeted", "methodology": "silp",
        **_date("initiated_on", timezone.localdate())})

    assert response.status_code == 200
    assert "Only the Independent Chair starts a Serious Case Review" in response.content.decode()
    assert not Review.objects.filter(case=world.case).exists()
    with pytest.raises(services.ReviewError, match="Only the Independent Chair starts a Serious Case Review"):
        services.review_initiate(by=world.manager, case=world.case, type=Review.Type.SCR_INTENSIVE,
                                 initiated_on=timezone.localdate())


@pytest.mark.django_db
def test_rule_1_the_chairs_decision_opens_a_serious_case_review(world):
    review = services.review_initiate(by=world.chair, case=world.case, type=Review.Type.SCR_INTENSIVE,
                                      initiated_on=timezone.localdate())
    assert review.is_scr and review.created_by == world.chair


@pytest.mark.django_db
def test_rule_1_changing_a_review_into_an_scr_goes_back_to_the_chair(world, as_user):
    review = h.make_review(world, reference="TST-CIR", type=Review.Type.CIR, status="initiated")
    client = as_user(world.manager)
    form_page = client.get(reverse("reviews:setup", args=[review.pk])).content.decode()
    assert "is the Independent Chair&#x27;s decision on the case&#x27;s referral" in form_page
    assert f'href="{reverse("cases:detail", args=[world.case.pk])}">the case' in form_page

    response = client.post(reverse("reviews:setup", args=[review.pk]), {
        "title": "Child Q", "type": "scr_targeted", "methodology": "scie", "version": review.version})

    assert "ask the Chair for a new decision on the case&#x27;s referral" in response.content.decode()
    review.refresh_from_db()
    assert review.type == Review.Type.CIR
    with pytest.raises(services.ReviewError, match="Independent Chair's decision"):
        services.review_update_setup(by=world.manager, review=review, type=Review.Type.SCR_TARGETED,
                                     methodology="scie", period_start=None, period_end=None, questions="",
                                     agencies_in_scope=[], proportionality_rationale="", title="Child Q")


# --- Rule 4: an SCR lead reviewer is independent of the board and every agency --------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BUSINESS_MANAGER, Role.INDEPENDENT_CHAIR, Role.SCR_COMMITTEE_MEMBER,
                                  Role.PERFORMANCE_CHAIR])
def test_rule_4_a_person_holding_a_board_role_cannot_lead_an_scr(world, as_user, role):
    review = h.make_review(world, reference="TST-SCR")
    officer = UserFactory(board=world.board, first_name="Pat", last_name="Demoson", roles=[role])
    response = _add_lead(as_user(world.manager), review, officer, qualifications="Social worker",
                         **_date("independence_declared_on", timezone.localdate()))

    page = response.content.decode()
    assert f"holds a role on the board ({Role(role).label})" in page
    assert "must be independent of the board" in page
    assert not review.members.filter(user=officer).exists()


@pytest.mark.django_db
def test_rule_4_a_committee_member_cannot_lead_an_scr(world, as_user):
    review = h.make_review(world, reference="TST-SCR")
    member = UserFactory(board=world.board, first_name="Robin", last_name="Sampleton", roles=[Role.LEAD_REVIEWER])
    CommitteeMembership.objects.create(committee=world.committee, user=member)
    response = _add_lead(as_user(world.manager), review, member, qualifications="Nurse",
                         **_date("independence_declared_on", timezone.localdate()))
    assert "a member of the Testshire Performance Committee" in response.content.decode()
    assert not review.members.filter(user=member).exists()


@pytest.mark.django_db
def test_rule_4_an_scr_lead_reviewer_records_qualifications_and_a_signed_declaration(world, as_user):
    review = h.make_review(world, reference="TST-SCR")
    independent = UserFactory(board=world.board, first_name="Alex", last_name="Fakeley", roles=[Role.LEAD_REVIEWER])
    client = as_user(world.manager)

    missing = _add_lead(client, review, independent).content.decode()
    assert "Record the lead reviewer&#x27;s qualifications and experience" in missing
    no_declaration = _add_lead(client, review, independent, qualifications="Former head of service").content
    assert b"Enter the date the lead reviewer signed the declaration of independence" in no_declaration
    assert not review.members.filter(user=independent).exists()

    signed = timezone.localdate() - timedelta(days=2)
    response = _add_lead(client, review, independent, qualifications="Former head of service; 10 SCRs",
                         **_date("independence_declared_on", signed))
    assert response.status_code == 302
    member = review.members.get(user=independent)
    assert member.qualifications == "Former head of service; 10 SCRs" and member.independence_declared_on == signed
    page = client.get(reverse("reviews:people", args=[review.pk])).content.decode()
    assert "Former head of service; 10 SCRs" in page and "Declaration of independence signed" in page


@pytest.mark.django_db
def test_rule_4_a_cir_may_still_have_an_internal_lead_without_a_declaration(world, as_user):
    review = h.make_review(world, reference="TST-CIR", type=Review.Type.CIR)
    response = _add_lead(as_user(world.manager), review, world.author_b)
    assert response.status_code == 302 and review.members.filter(user=world.author_b).exists()


# --- Rule 5: each type of review has its own timescale; published reviews are never overdue ------------------
@pytest.mark.django_db
def test_rule_5_a_cir_never_runs_on_the_scr_six_months(world, as_user):
    long_ago = timezone.localdate() - timedelta(days=400)
    review = h.make_review(world, reference="TST-CIR", type=Review.Type.CIR, initiated_on=long_ago)
    timescale = selectors.review_timescale(review, timezone.localdate())
    assert timescale.target is None and timescale.status is None
    client = as_user(world.manager)
    for name in ("detail", "stages", "timescale"):
        page = client.get(reverse(f"reviews:{name}", args=[review.pk])).content.decode()
        assert ("No target yet" in page or "no target date yet" in page) and "Overdue" not in page, name
    assert "No target yet" in client.get(reverse("reviews:list")).content.decode()

    target = timezone.localdate() + timedelta(days=30)
    services.review_update_setup(by=world.manager, review=review, type=Review.Type.CIR, methodology="scie",
                                 period_start=None, period_end=None, questions="", agencies_in_scope=[],
                                 proportionality_rationale="", title="Child Q", target_on=target)
    review.refresh_from_db()
    timescale = selectors.review_timescale(review, timezone.localdate())
    assert timescale.target == target and timescale.clock is None and timescale.status.label == "On track"


@pytest.mark.django_db
def test_rule_5_a_review_type_takes_its_clock_from_the_rule_pack(world, monkeypatch):
    from casereview.lib import clocks

    scr = h.make_review(world, reference="TST-SCR")
    assert selectors.completion_clock(scr).slug == "scr-completion"
    cir = h.make_review(world, reference="TST-CIR", type=Review.Type.CIR)
    asked = []
    real = clocks.resolve_clock

    def resolve(pack, *slugs):
        asked.append(slugs)
        return real(pack, "scr-completion") if "cir-completion" in slugs else real(pack, *slugs)

    monkeypatch.setattr(clocks, "resolve_clock", resolve)
    assert selectors.completion_clock(cir) is not None
    assert ("cir-completion",) in asked


@pytest.mark.django_db
def test_rule_5_a_published_review_is_never_overdue(world, as_user):
    # Six months was its target; the board approved it well over a year late.
    today = timezone.localdate()
    review = h.make_review(world, reference="TST-LATE", status=Review.Status.PUBLISHED,
                           initiated_on=today - timedelta(days=500), approved_on=today - timedelta(days=20))
    timescale = selectors.review_timescale(review, timezone.localdate())
    assert timescale.status.met_on == today - timedelta(days=20) and timescale.status.label != "Overdue"
    assert "Overdue" not in as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()


# --- Missing steps: reminders for review deadlines, and the learning summary before a review closes ------------
@pytest.mark.django_db
def test_reminders_go_once_before_a_review_is_due_and_for_late_agency_information(world):
    world.manager.email, world.lead_a.email = "bm@testshire.example", "lead-a@testshire.example"
    world.manager.save(update_fields=["email"])
    world.lead_a.save(update_fields=["email"])
    today = timezone.localdate()
    review = h.make_review(world)
    due = selectors.review_timescale(review, today).target
    services.agency_request_add(by=world.manager, review=review, agency=world.agency_a, what="Agency report",
                                requested_on=today - timedelta(days=30), due_on=today - timedelta(days=1))

    sent = reminders_send(today=due - timedelta(days=2))
    again = reminders_send(today=due - timedelta(days=2))

    assert sent == {"completion": 1, "agency_information": 1, "panel_copy": 0}
    assert again == {"completion": 0, "agency_information": 0, "panel_copy": 0}
    subjects = list(OutboundEmail.objects.values_list("to", "subject"))
    assert ("bm@testshire.example", f"Reminder: review {review.reference} is due in 2 days") in subjects
    assert any(to == "lead-a@testshire.example" and "Testshire Police's information" in subject
               for to, subject in subjects)


@pytest.mark.django_db
def test_the_business_manager_is_reminded_to_send_the_panel_its_copy_before_publication(world):
    world.manager.email = "bm@testshire.example"
    world.manager.save(update_fields=["email"])
    today = timezone.localdate()
    review = h.make_review(world, status=Review.Status.APPROVED)
    review = services.publication_plan(by=world.manager, review=review,
                                       planned_publication_on=today + timedelta(days=9))
    due = selectors.publication.prepublication_due(review, review.planned_publication_on)
    assert reminders_send(today=due - timedelta(days=2))["panel_copy"] == 1
    assert reminders_send(today=due - timedelta(days=2))["panel_copy"] == 0
    assert OutboundEmail.objects.filter(to="bm@testshire.example",
                                        subject__startswith=f"Reminder: the National Panel's copy of review "
                                                            f"{review.reference}").exists()
    services.panel_copy_sent(by=world.manager, review=review, sent_on=today)
    assert reminders_send(today=due)["panel_copy"] == 0


@pytest.mark.django_db
def test_a_review_closes_only_once_its_learning_summary_is_written(world, as_user):
    from casereview.learning import services as learning

    review = h.make_review(world, status=Review.Status.APPROVED)
    assert any("learning summary" in blocker for blocker in hooks.close_blockers(review))
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Before this review is published or closed" in page and "learning summary" in page
    learning.summary_draft(by=world.manager, review=review)
    assert hooks.close_blockers(review) == []


@pytest.mark.django_db
def test_the_reminders_command_says_what_it_queued(world):
    from io import StringIO

    from django.core.management import call_command

    world.manager.email = "bm@testshire.example"
    world.manager.save(update_fields=["email"])
    review = h.make_review(world)
    due = selectors.review_timescale(review, timezone.localdate()).target
    out = StringIO()
    call_command("send_review_reminders", today=due.isoformat(), stdout=out)
    assert "Review completion reminders queued: 1" in out.getvalue()
