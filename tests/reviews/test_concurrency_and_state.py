"""Two people editing one record, references taken under a lock, and states that move only by their rules."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.reviews import services
from casereview.reviews.models import CaseGroupMember, Extension, Finding, Review
from tests.reviews import helpers as h


def _finding_post(title, version):
    return {"kind": "improvement", "title": title, "narrative": "Nobody joined up.", "version": version}


@pytest.mark.django_db
def test_the_second_save_of_a_stale_finding_is_refused_and_overwrites_nothing(world, as_user):
    review = h.make_review(world)
    finding = h.finding(review)
    url = reverse("reviews:finding_edit", args=[review.pk, finding.pk])
    opened_at = finding.version
    first = as_user(world.reviewer).post(url, _finding_post("The reviewer's wording", opened_at))
    second = as_user(world.manager).post(url, _finding_post("The manager's wording", opened_at))

    assert first.status_code == 302
    page = second.content.decode()
    assert second.status_code == 200
    assert "Someone else changed this finding while you were editing it" in page
    assert "govuk-error-summary" in page
    finding.refresh_from_db()
    assert finding.title == "The reviewer's wording" and finding.version == opened_at + 1


@pytest.mark.django_db
def test_the_edit_form_carries_the_version_it_was_opened_at(world, as_user):
    review = h.make_review(world)
    finding = h.finding(review)
    page = as_user(world.reviewer).get(reverse("reviews:finding_edit", args=[review.pk, finding.pk])).content
    assert f'name="version" value="{finding.version}"'.encode() in page


@pytest.mark.django_db
def test_a_stale_save_of_the_terms_of_reference_is_refused(world):
    review = h.make_review(world, status="initiated")
    common = {"type": review.type, "methodology": "scie", "period_start": None, "period_end": None,
              "agencies_in_scope": [], "proportionality_rationale": ""}
    services.review_update_setup(by=world.manager, review=review, version=1, questions="First", title="A",
                                 **common)
    with pytest.raises(services.ConflictError, match="Someone else changed this review"):
        services.review_update_setup(by=world.manager, review=review, version=1, questions="Second", title="B",
                                     **common)
    review.refresh_from_db()
    assert review.questions == "First" and review.version == 2


@pytest.mark.django_db
def test_a_stale_save_of_a_recommendation_is_refused(world):
    review = h.make_review(world)
    recommendation = h.recommendation(review)
    findings = [h.finding(review)]
    services.recommendation_save(by=world.reviewer, review=review, recommendation=recommendation, version=1,
                                 text="Share it now", level="partnership", findings=findings, target_agencies=[])
    with pytest.raises(services.ConflictError):
        services.recommendation_save(by=world.manager, review=review, recommendation=recommendation, version=1,
                                     text="Share it later", level="partnership", findings=findings,
                                     target_agencies=[])
    recommendation.refresh_from_db()
    assert recommendation.text == "Share it now"


@pytest.mark.django_db
def test_review_references_come_from_a_counter_that_honours_references_already_taken(world):
    year = timezone.localdate().year
    h.make_review(world, reference=f"REV-{year}-007")
    first = services.review_next_reference(board_id=world.board.pk, year=year)
    second = services.review_next_reference(board_id=world.board.pk, year=year)
    assert (first, second) == (f"REV-{year}-008", f"REV-{year}-009")
    other = services.review_next_reference(board_id=world.other_board.pk, year=year)
    assert other == f"REV-{year}-001"


@pytest.mark.django_db
def test_an_extension_is_decided_once_through_its_transition(world):
    review = h.make_review(world)
    extension = h.pending_extension(review, world)
    services.extension_decide(by=world.chair, extension=extension, approve=False, note="Not needed")
    assert Extension.objects.get(pk=extension.pk).decision == Extension.Decision.REFUSED
    with pytest.raises(services.ReviewError, match="already been decided"):
        services.extension_decide(by=world.chair, extension=extension, approve=True, note="")
    with pytest.raises(AttributeError):
        extension.decision = Extension.Decision.APPROVED


@pytest.mark.django_db
def test_a_case_group_member_who_declined_cannot_be_marked_as_contributing(world, as_user):
    review = h.make_review(world)
    member = h.case_group_member(review, world.author_a, world.agency_a)
    today = timezone.localdate()
    services.case_group_update(by=world.manager, member=member, status="declined", on=today)
    response = as_user(world.manager).post(reverse("reviews:case_group_status", args=[review.pk, member.pk]), {
        f"m{member.pk}-status": "contributed", f"m{member.pk}-on_0": today.day, f"m{member.pk}-on_1": today.month,
        f"m{member.pk}-on_2": today.year})
    assert "is declined, so cannot be marked contributed" in response.content.decode()
    assert CaseGroupMember.objects.get(pk=member.pk).status == CaseGroupMember.Status.DECLINED


@pytest.mark.django_db
def test_a_concluded_parallel_process_stays_concluded(world):
    review = h.make_review(world)
    process = h.process(review, world)
    services.parallel_process_save(by=world.manager, review=review, process=process, kind=process.kind,
                                   detail="", status="concluded", status_on=timezone.localdate())
    with pytest.raises(services.ReviewError, match="A process that is concluded cannot become in progress"):
        services.parallel_process_save(by=world.manager, review=review, process=process, kind=process.kind,
                                       detail="", status="ongoing", status_on=timezone.localdate())


@pytest.mark.django_db
def test_a_finding_without_a_narrative_is_refused_by_the_service(world):
    review = h.make_review(world)
    with pytest.raises(services.ReviewError, match="Describe the finding"):
        services.finding_save(by=world.reviewer, review=review, kind=Finding.Kind.IMPROVEMENT, title="A title",
                              narrative=" ")
    assert not review.findings.exists()


@pytest.mark.django_db
def test_a_lead_reviewer_writes_only_the_reviews_they_lead(world, as_user):
    led = h.make_review(world)
    other = h.make_review(world, reference="TST-OTHER")
    other.members.all().delete()
    client = as_user(world.reviewer)
    assert client.get(reverse("reviews:finding_add", args=[led.pk])).status_code == 200
    assert client.get(reverse("reviews:finding_add", args=[other.pk])).status_code == 404
    assert client.get(reverse("reviews:findings", args=[other.pk])).status_code == 200


@pytest.mark.django_db
def test_the_overview_links_to_the_reviews_chronology(world, as_user):
    review = h.make_review(world)
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f'href="{reverse("chronology:review", args=[review.pk])}"' in page


@pytest.mark.django_db
def test_a_review_page_view_is_audited(world, as_user):
    from casereview.audit.models import AuditEvent

    review = h.make_review(world)
    for name, page in (("setup", "terms of reference"), ("findings", "findings"), ("family", "family involvement"),
                       ("case_group", "case group"), ("timescale", "timescale")):
        as_user(world.chair).get(reverse(f"reviews:{name}", args=[review.pk]))
        assert AuditEvent.objects.filter(action="review.viewed", object_id=str(review.pk), actor_username="ichair",
                                         detail__page=page).exists(), name


@pytest.mark.django_db
def test_the_timescale_page_offers_only_what_the_person_may_do(world, as_user):
    review = h.make_review(world, status=Review.Status.PUBLISHED, published_on=timezone.localdate())
    manager_page = as_user(world.manager).get(reverse("reviews:timescale", args=[review.pk])).content.decode()
    assert "Pause the review" not in manager_page and "Ask the Independent Chair" not in manager_page
    open_review = h.make_review(world, reference="TST-OPEN")
    h.pending_extension(open_review, world)
    chair_page = as_user(world.chair).get(reverse("reviews:timescale", args=[open_review.pk])).content.decode()
    assert "Record decision" in chair_page and "Pause the review" not in chair_page


@pytest.mark.django_db
def test_a_stale_answer_to_a_case_group_comment_is_refused(world, as_user):
    review = h.make_review(world)
    comment = h.comment(review, world)
    url = reverse("reviews:comment_respond", args=[review.pk, comment.pk])
    as_user(world.reviewer).post(url, {"outcome": "accepted", "response": "We will change it", "version": 1})
    response = as_user(world.manager).post(url, {"outcome": "noted", "response": "Noted", "version": 1})
    assert "Someone else changed this response while you were editing it" in response.content.decode()
    comment.refresh_from_db()
    assert comment.response == "We will change it"


@pytest.mark.django_db
def test_moving_a_review_on_from_an_old_copy_writes_back_nothing_of_that_copy(world):
    """The report is returned from quality assurance on a page drawn before the family's contribution was recorded:
    the contribution stays (a full save of the old copy used to put the old text and version back)."""
    from tests.factories import review_in

    review = review_in(world, "report_qa")
    drawn = Review.objects.get(pk=review.pk)  # the chair's page
    services.family_update(by=world.manager, review=review, family_status=Review.FamilyStatus.CONTRIBUTING,
                           family_invited_on=review.initiated_on, family_how="Visit at home",
                           family_expectations="", family_contributions="Mother met the reviewer")
    counter = Review.objects.get(pk=review.pk).version
    services.review_return_to_analysis(by=world.manager, review=drawn, reason="Section 3 needs the police view")

    saved = Review.objects.get(pk=review.pk)
    assert saved.status == Review.Status.ANALYSIS
    assert saved.family_contributions == "Mother met the reviewer" and saved.version == counter


@pytest.mark.django_db
def test_a_review_someone_else_moved_on_is_not_moved_again_from_an_old_page(world):
    from tests.factories import review_in

    review = review_in(world, "report_qa")
    drawn = Review.objects.get(pk=review.pk)
    services.review_return_to_analysis(by=world.manager, review=review, reason="Section 3 needs the police view")
    with pytest.raises(services.ReviewError, match="Someone else changed this review"):
        services.review_return_to_analysis(by=world.chair, review=drawn, reason="Also section 4")
