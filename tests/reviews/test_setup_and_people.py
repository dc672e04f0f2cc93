from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.audit.models import AuditEvent
from casereview.cases.models import CaseAccess
from casereview.partnership.roles import Role
from casereview.reviews import services
from casereview.reviews.models import CaseGroupMember, Milestone, Review, ReviewMember
from tests.factories import CaseAgencyFactory, UserFactory
from tests.reviews import helpers as h


def _date(prefix: str, d: date) -> dict:
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


@pytest.mark.django_db
def test_the_business_manager_sets_up_a_review_with_its_methodology_stages(world, as_user):
    client = as_user(world.manager)
    started = timezone.localdate() - timedelta(days=3)
    response = client.post(reverse("reviews:create"), {
        "case": world.case.pk, "type": "cir", "methodology": "silp", **_date("initiated_on", started)})

    review = Review.objects.get(case=world.case)
    assert response.status_code == 302
    assert review.status == "initiated" and review.reference.startswith("REV-")
    stages = list(review.milestones.values_list("name", flat=True))
    assert stages[0] == "Scoping" and stages[-1] == "Publication" and len(stages) == 7
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Learning event" in page and "Target completion" in page
    assert AuditEvent.objects.filter(action="review.initiated", object_id=str(review.pk)).exists()


@pytest.mark.django_db
def test_terms_of_reference_with_the_period_out_of_order_are_refused(world, as_user):
    review = h.make_review(world, status="initiated")
    response = as_user(world.manager).post(reverse("reviews:setup", args=[review.pk]), {
        "title": "Child Q", "type": "scr_intensive", "methodology": "scie",
        **_date("period_start", date(2026, 3, 1)), **_date("period_end", date(2025, 3, 1)),
        "agencies_in_scope": [world.agency_a.pk]})

    assert response.status_code == 200
    assert "The end of the period under review must be the same as or after its start" in response.content.decode()
    review.refresh_from_db()
    assert review.period_start is None and not review.agencies_in_scope.exists()


@pytest.mark.django_db
def test_terms_of_reference_are_saved(world, as_user):
    review = h.make_review(world, status="initiated")
    as_user(world.manager).post(reverse("reviews:setup", args=[review.pk]), {
        "title": "Child Q", "type": "scr_intensive", "methodology": "scie",
        **_date("period_start", date(2025, 1, 1)), **_date("period_end", date(2025, 12, 31)),
        "questions": "How was information shared?", "agencies_in_scope": [world.agency_a.pk, world.agency_b.pk],
        "proportionality_rationale": "Many agencies"})
    review.refresh_from_db()
    assert review.period_end == date(2025, 12, 31)
    assert set(review.agencies_in_scope.all()) == {world.agency_a, world.agency_b}


def _add_member(client, review, user, role="lead_reviewer", involved="no", conflict="no", details=""):
    return client.post(reverse("reviews:people", args=[review.pk]), {
        "user": user.pk, "role": role, "involved_in_case": involved, "has_conflict": conflict,
        "conflict_details": details})


@pytest.mark.django_db
def test_an_scr_lead_reviewer_employed_by_a_board_agency_is_refused_with_the_reason(world, as_user):
    review = h.make_review(world, reference="TST-2", type=Review.Type.SCR_INTENSIVE)
    response = _add_member(as_user(world.manager), review, world.lead_a)

    page = response.content.decode()
    assert response.status_code == 200
    assert "works for Testshire Police, a board agency" in page
    assert "must be independent of every agency of the board" in page
    assert not review.members.filter(user=world.lead_a).exists()


@pytest.mark.django_db
def test_a_lead_reviewer_involved_in_the_case_is_refused_for_any_type_of_review(world, as_user):
    review = h.make_review(world, reference="TST-3", type=Review.Type.CIR)
    independent = UserFactory(board=world.board, roles=[Role.LEAD_REVIEWER])
    response = _add_member(as_user(world.manager), review, independent, involved="yes")

    assert "has been involved in this case, so cannot lead its review" in response.content.decode()
    assert not review.members.filter(user=independent).exists()


@pytest.mark.django_db
def test_a_case_group_member_cannot_lead_the_review(world, as_user):
    review = h.make_review(world, reference="TST-3", type=Review.Type.CIR)
    h.case_group_member(review, world.author_a, world.agency_a)
    response = _add_member(as_user(world.manager), review, world.author_a)
    assert "has been involved in this case" in response.content.decode()


@pytest.mark.django_db
def test_a_cir_may_have_an_internal_lead_reviewer_who_is_given_access_to_the_case(world, as_user):
    review = h.make_review(world, reference="TST-4", type=Review.Type.CIR)
    response = _add_member(as_user(world.manager), review, world.author_b, conflict="yes",
                           details="Was a colleague of the team manager")

    assert response.status_code == 302
    member = review.members.get(user=world.author_b)
    assert member.role == "lead_reviewer" and member.conflict_details == "Was a colleague of the team manager"
    assert CaseAccess.objects.filter(case=world.case, user=world.author_b, revoked_at__isnull=True).exists()
    page = as_user(world.manager).get(reverse("reviews:people", args=[review.pk])).content.decode()
    assert "Declared: Was a colleague of the team manager" in page and "(internal: Testshire Health)" in page


@pytest.mark.django_db
def test_turning_a_cir_with_an_internal_lead_into_an_scr_is_refused(world, as_user):
    review = h.make_review(world, reference="TST-5", type=Review.Type.CIR)
    services.member_add(by=world.manager, review=review, user=world.author_b, role=ReviewMember.Role.LEAD_REVIEWER,
                        has_conflict=False, conflict_details="", involved_in_case=False)
    response = as_user(world.manager).post(reverse("reviews:setup", args=[review.pk]), {
        "title": "Child Q", "type": "scr_intensive", "methodology": "scie"})
    assert "Changing a review into a Serious Case Review is the Independent Chair&#x27;s decision" in \
        response.content.decode()
    review.refresh_from_db()
    assert review.type == Review.Type.CIR


@pytest.mark.django_db
def test_a_declared_conflict_needs_its_details(world, as_user):
    review = h.make_review(world)
    independent = UserFactory(board=world.board, roles=[Role.LEAD_REVIEWER])
    response = _add_member(as_user(world.manager), review, independent, conflict="yes")
    assert "Describe the conflict of interest" in response.content.decode()
    assert not review.members.filter(user=independent).exists()


@pytest.mark.django_db
def test_a_case_group_member_who_is_not_a_practitioner_of_an_involved_agency_is_refused(world, as_user):
    review = h.make_review(world)
    response = as_user(world.manager).post(reverse("reviews:case_group", args=[review.pk]), {
        "user": world.practitioner.pk, "involvement": "Health visitor"})

    assert response.status_code == 200
    assert "is not a practitioner of an agency involved in this case" in response.content.decode()
    assert not CaseGroupMember.objects.exists()


@pytest.mark.django_db
def test_a_practitioner_of_an_involved_agency_is_added_invited_and_tracked(world, as_user):
    from casereview.notifications.models import OutboundEmail

    review = h.make_review(world)
    client = as_user(world.manager)
    client.post(reverse("reviews:case_group", args=[review.pk]), {
        "user": world.author_a.pk, "involvement": "Attended the strategy meeting"})
    member = CaseGroupMember.objects.get(review=review)
    today = timezone.localdate()
    response = client.post(reverse("reviews:case_group_status", args=[review.pk, member.pk]), {
        f"m{member.pk}-status": "invited", **_date(f"m{member.pk}-on", today)})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "invited" and member.invited_on == today
    email = OutboundEmail.objects.get(to=world.author_a.email)
    assert email.subject == "You are invited to the Case Group of review TST-1"
    assert "Invited" in client.get(reverse("reviews:case_group", args=[review.pk])).content.decode()


@pytest.mark.django_db
def test_case_group_suggestions_are_people_of_the_involved_agencies(world, as_user):
    review = h.make_review(world)
    page = as_user(world.manager).get(reverse("reviews:case_group", args=[review.pk])).content.decode()
    suggestions = page.split("Suggested from the chronology")[1].split("Add a practitioner")[0]
    assert str(world.author_a) in suggestions and str(world.practitioner) not in suggestions


@pytest.mark.django_db
def test_a_stage_completed_before_the_review_started_is_refused(world, as_user):
    review = h.make_review(world)
    stage = h.milestone(review)
    response = as_user(world.manager).post(reverse("reviews:stage_edit", args=[review.pk, stage.pk]), {
        "name": "Preparation", **_date("completed_on", review.initiated_on - timedelta(days=5))})
    assert "The date completed must be on or after the review started" in response.content.decode()
    stage.refresh_from_db()
    assert stage.completed_on is None


@pytest.mark.django_db
def test_stages_are_editable_with_dates_and_owners(world, as_user):
    review = h.make_review(world)
    stage = h.milestone(review)
    due = review.initiated_on + timedelta(days=40)
    as_user(world.manager).post(reverse("reviews:stage_edit", args=[review.pk, stage.pk]), {
        "name": "Preparation and scoping", **_date("due_on", due), "owner": world.reviewer.pk})
    stage.refresh_from_db()
    assert (stage.name, stage.due_on, stage.owner) == ("Preparation and scoping", due, world.reviewer)


@pytest.mark.django_db
def test_an_agency_request_due_before_it_was_made_is_refused(world, as_user):
    review = h.make_review(world)
    today = timezone.localdate()
    response = as_user(world.manager).post(reverse("reviews:requests", args=[review.pk]), {
        "agency": world.agency_a.pk, "what": "Agency report", **_date("requested_on", today),
        **_date("due_on", today - timedelta(days=1))})
    assert "The deadline must be after the date of the request" in response.content.decode()
    assert not review.agency_requests.exists()


@pytest.mark.django_db
def test_agency_returns_are_tracked_against_their_deadlines(world, as_user):
    review = h.make_review(world)
    client = as_user(world.manager)
    today = timezone.localdate()
    client.post(reverse("reviews:requests", args=[review.pk]), {
        "agency": world.agency_a.pk, "what": "Agency report", **_date("requested_on", today - timedelta(days=20)),
        **_date("due_on", today - timedelta(days=2))})
    request = review.agency_requests.get()
    assert "Overdue" in client.get(reverse("reviews:requests", args=[review.pk])).content.decode()
    client.post(reverse("reviews:request_returned", args=[review.pk, request.pk]), {**_date("ret-returned_on", today)})
    request.refresh_from_db()
    assert request.returned_on == today
    assert "Met late" in client.get(reverse("reviews:requests", args=[review.pk])).content.decode()


@pytest.mark.django_db
def test_moving_to_analysis_needs_the_terms_of_reference_and_a_lead_reviewer(world, as_user):
    CaseAgencyFactory(case=world.case, agency=world.agency_b)
    review = h.make_review(world, status="initiated")
    # A methodology always brings its stages through the services; this review predates them, so that any
    # stage written by starting the analysis would show below.
    Milestone.objects.filter(review=review).delete()
    client = as_user(world.manager)
    response = client.post(reverse("reviews:start_analysis", args=[review.pk]), follow=True)
    assert "record the period under review in the terms of reference" in response.content.decode()
    Review.objects.filter(pk=review.pk).update(period_start=date(2025, 1, 1), period_end=date(2025, 6, 1))
    client.post(reverse("reviews:start_analysis", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == "analysis"
    assert Milestone.objects.count() == 0  # no stray writes
