from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casereview.audit.models import AuditEvent
from casereview.partnership.roles import Role
from casereview.reviews import selectors
from casereview.reviews.demo import DEMO_1_PEOPLE
from casereview.reviews.models import CaseGroupComment, HitAcceptance, ReportVersion, Review
from tests.factories import CasePersonFactory, UserFactory
from tests.reviews import helpers as h
from tests.reviews.test_setup_and_people import _date

THREE_SPELLINGS = [
    "Jayden lived with his mother and her partner.",
    "The nursery noticed Jayden's bruising in March.",
    "Jaydn was later seen at the emergency department.",
]


def _demo_child(case):
    """The demo child of DEMO-1 (Jayden Demoson), recorded on the test case."""
    rel, name, label, dob, aliases, address, postcode, school = DEMO_1_PEOPLE[0]
    CasePersonFactory(case=case, relationship=rel, full_name=name, anonymised_label=label, date_of_birth=dob,
                      aliases=aliases, address=address, postcode=postcode, school=school)


def _upload(client, review, name, data):
    return client.post(reverse("reviews:version_upload", args=[review.pk]),
                       {"file": SimpleUploadedFile(name, data), "note": ""})


@pytest.mark.django_db
def test_a_word_report_naming_the_demo_child_three_ways_is_caught_in_context(world, as_user):
    _demo_child(world.case)
    review = h.make_review(world)
    client = as_user(world.reviewer)
    response = _upload(client, review, "overview.docx", h.make_docx(*THREE_SPELLINGS))
    version = ReportVersion.objects.get(review=review)

    assert response.status_code == 302
    page = client.get(reverse("reviews:version", args=[review.pk, version.pk])).content.decode()
    assert "The publication check found 3 things that could identify someone" in page
    assert "<mark class=\"cr-hit\">Jayden</mark> lived with his mother" in page
    assert "nursery noticed <mark class=\"cr-hit\">Jayden&#x27;s</mark> bruising" in page
    assert "<mark class=\"cr-hit\">Jaydn</mark> was later seen" in page
    assert [hit.matched_text for hit in selectors.version_check(version).open_hits] == \
        ["Jayden", "Jayden's", "Jaydn"]


@pytest.mark.django_db
def test_a_pdf_report_is_checked_too(world, as_user):
    _demo_child(world.case)
    review = h.make_review(world)
    _upload(as_user(world.reviewer), review, "overview.pdf",
            h.make_pdf("Child J lived at 12 Fictional Row, postcode RV1 2ZZ.", "Call 07700 900123."))
    kinds = {hit.kind for hit in selectors.version_check(review.report_versions.get()).open_hits}
    assert {"address", "postcode", "phone"} <= kinds


@pytest.mark.parametrize("name,data,message", [
    ("report.docx", b"This is not really a Word document", "This file ends in .docx but is not a Word document"),
    ("report.pdf", b"<html>not a pdf</html>", "This file ends in .pdf but is not a PDF"),
    ("report.exe", b"MZ\x90\x00", "Only Word (.docx), PDF or plain text files can be checked"),
    ("report.txt", b"Plain text", "Upload the report as a Word (.docx) or PDF file, or write it in CaseReview"),
])
@pytest.mark.django_db
def test_uploads_that_are_not_real_word_or_pdf_files_are_refused(world, as_user, name, data, message):
    review = h.make_review(world)
    response = _upload(as_user(world.reviewer), review, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportVersion.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    review = h.make_review(world)
    response = _upload(as_user(world.reviewer), review, "report.pdf", h.make_pdf("x" * 50) + b"%" * 2000)
    assert "The file is larger than 1 KB" in response.content.decode()
    assert not ReportVersion.objects.exists()


def _approved(world, text="An anonymised report about Child J.", type=Review.Type.SCR_INTENSIVE):
    # Approved ten days ago: the Panel's copy (sent on or after the approval) can then be dated in the past week.
    review = h.make_review(world, status=Review.Status.APPROVED, type=type, report_text=text,
                           approved_on=timezone.localdate() - timedelta(days=10))
    return review, review.report_versions.get()


def _ready(world, review):
    """The statement written and the checklist for managing the impact of publication complete."""
    from casereview.reviews import services

    services.statement_update(by=world.manager, review=review, statement_actions_taken="Training was given.",
                              statement_impact="Referrals now include the father.",
                              statement_what_more="A repeat audit next year.")
    services.publication_impact_update(by=world.manager, review=review, family_told=True, practitioners_told=True,
                                       media_lines_agreed=True, court_restrictions_checked=True,
                                       keep_online_until=None, offer_original=False)


PUBLISH = {"pub-confirm": "on"}


@pytest.mark.django_db
def test_publishing_without_the_panel_copy_is_refused(world, as_user):
    review, _ = _approved(world)
    _ready(world, review)
    client = as_user(world.manager)
    client.post(reverse("reviews:publication_plan", args=[review.pk]),
                {**_date("plan-planned_publication_on", timezone.localdate())})
    response = client.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Record that the National Panel has been sent its copy" in page
    review.refresh_from_db()
    assert review.status == "approved" and review.published_on is None


@pytest.mark.django_db
def test_a_panel_copy_sent_less_than_a_week_before_publication_is_refused(world, as_user):
    review, _ = _approved(world)
    _ready(world, review)
    client = as_user(world.manager)
    today = timezone.localdate()
    client.post(reverse("reviews:publication_plan", args=[review.pk]), {**_date("plan-planned_publication_on", today)})
    client.post(reverse("reviews:panel_copy", args=[review.pk]), {**_date("panel-sent_on", today - timedelta(days=2))})
    response = client.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    earliest = today + timedelta(days=5)
    assert f"can be published from {earliest.day} {earliest:%B %Y}" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "approved"


@pytest.mark.django_db
def test_publication_is_blocked_by_open_hits_until_each_is_accepted_with_a_reason(world, as_user):
    _demo_child(world.case)
    review, version = _approved(world, text=" ".join(THREE_SPELLINGS))
    _ready(world, review)
    client = as_user(world.manager)
    today = timezone.localdate()
    client.post(reverse("reviews:publication_plan", args=[review.pk]), {**_date("plan-planned_publication_on", today)})
    client.post(reverse("reviews:panel_copy", args=[review.pk]), {**_date("panel-sent_on", today - timedelta(days=7))})

    response = client.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    assert "The publication check found 3 things that could identify someone in version 1" in \
        response.content.decode()
    review.refresh_from_db()
    assert review.status == "approved"

    # An acceptance without a reason is refused; with a reason it is kept by fingerprint.
    hits = selectors.version_check(version).open_hits
    response = client.post(reverse("reviews:hit_accept", args=[review.pk, version.pk]), {
        "hit": hits[0].fingerprint[:16], f"hit-{hits[0].fingerprint[:16]}-fingerprint": hits[0].fingerprint,
        f"hit-{hits[0].fingerprint[:16]}-reason": ""})
    assert "Explain why this can be published as it is" in response.content.decode()
    for hit in selectors.version_check(version).open_hits[:1] + selectors.version_check(version).open_hits[-1:]:
        prefix = f"hit-{hit.fingerprint[:16]}"
        client.post(reverse("reviews:hit_accept", args=[review.pk, version.pk]), {
            "hit": hit.fingerprint[:16], f"{prefix}-fingerprint": hit.fingerprint,
            f"{prefix}-reason": "The family asked for his first name to be used"})
    # "Jayden" and "Jayden's" are one decision (one fingerprint); "Jaydn" is another.
    assert HitAcceptance.objects.filter(review=review).count() == 2
    assert selectors.version_check(version).open_hits == []
    assert "Jayden" not in str(AuditEvent.objects.filter(action="review.check_hit_accepted").values("detail"))

    client.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    review.refresh_from_db()
    assert review.status == "published" and review.published_version == version
    assert review.published_report.version == version


@pytest.mark.django_db
def test_acceptances_are_carried_to_a_new_version_by_fingerprint(world, as_user):
    _demo_child(world.case)
    review = h.make_review(world)
    client = as_user(world.manager)
    client.post(reverse("reviews:version_write", args=[review.pk]), {"text": "Jayden was seen at home."})
    first = review.report_versions.get()
    hit = selectors.version_check(first).open_hits[0]
    prefix = f"hit-{hit.fingerprint[:16]}"
    client.post(reverse("reviews:hit_accept", args=[review.pk, first.pk]), {
        "hit": hit.fingerprint[:16], f"{prefix}-fingerprint": hit.fingerprint, f"{prefix}-reason": "Agreed"})
    client.post(reverse("reviews:version_write", args=[review.pk]),
                {"text": "Later, JAYDEN's school raised a concern with the Demoson family."})
    second = review.report_versions.get(number=2)
    check = selectors.version_check(second)
    assert [h.matched_text for h, _ in check.accepted_hits] == ["JAYDEN's"]
    assert [h.matched_text for h in check.open_hits] == ["Demoson"]  # the surname is a new decision


@pytest.mark.django_db
def test_the_report_goes_through_checklist_qa_sign_off_and_board_approval(world, as_user):
    review = h.make_review(world)
    writer = as_user(world.reviewer)
    writer.post(reverse("reviews:version_write", args=[review.pk]), {"text": "An anonymised overview report."})
    version = review.report_versions.get()
    writer.post(reverse("reviews:submit_qa", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == "report_qa"

    scr = UserFactory(board=world.board, roles=[Role.SCR_COMMITTEE_CHAIR])
    qa = as_user(scr)
    response = qa.post(reverse("reviews:qa_sign_off", args=[review.pk, version.pk]), {}, follow=True)
    assert "Complete the quality checklist before signing off" in response.content.decode()
    qa.post(reverse("reviews:version_checklist", args=[review.pk, version.pk]), {
        "chk-check_analysis": "on", "chk-check_plain_english": "on", "chk-check_publishable": "on",
        "chk-check_good_practice": "on"})
    response = as_user(world.chair).post(reverse("reviews:approve", args=[review.pk]), {"confirm": "yes"},
                                         follow=True)
    assert "needs the SCR Committee&#x27;s quality assurance sign-off first" in response.content.decode()
    qa.post(reverse("reviews:qa_sign_off", args=[review.pk, version.pk]), {"qa-comments": "Clear and balanced"})
    response = as_user(world.chair).post(reverse("reviews:approve", args=[review.pk]), follow=True)
    assert "Confirm that the board approves this version of the report" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "report_qa"
    as_user(world.chair).post(reverse("reviews:approve", args=[review.pk]), {"confirm": "yes"})

    review.refresh_from_db()
    version.refresh_from_db()
    assert review.status == "approved" and review.approved_on == timezone.localdate()
    assert version.qa_signed_off_by == scr and version.board_approved_by == world.chair
    page = as_user(world.manager).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Met" in page


@pytest.mark.django_db
def test_a_decision_not_to_publish_an_scr_needs_the_panels_advice(world, as_user):
    review, _ = _approved(world)
    client = as_user(world.manager)
    response = client.post(reverse("reviews:not_publish", args=[review.pk]), {"not-reason": "Risk to siblings"})
    assert "Record the National Panel&#x27;s advice" in response.content.decode()
    client.post(reverse("reviews:not_publish", args=[review.pk]), {
        "not-reason": "Risk to siblings", "not-panel_advice": "The Panel agreed a summary only",
        **_date("not-panel_advice_on", timezone.localdate())})
    review.refresh_from_db()
    assert review.status == "not_published" and review.panel_advice == "The Panel agreed a summary only"


@pytest.mark.django_db
def test_the_case_group_comments_on_draft_findings_and_the_review_group_responds(world, as_user):
    review = h.make_review(world)
    finding = h.finding(review)
    h.case_group_member(review, world.author_a, world.agency_a)
    as_user(world.reviewer).post(reverse("reviews:consultation_toggle", args=[review.pk]))
    member_client = as_user(world.author_a)
    page = member_client.get(reverse("reviews:consultation", args=[review.pk])).content.decode()
    assert "Information was not shared" in page
    member_client.post(reverse("reviews:consultation", args=[review.pk]), {
        "finding": finding.pk, "kind": "correction", "text": "The police did share it, by email"})
    comment = CaseGroupComment.objects.get()
    as_user(world.reviewer).post(reverse("reviews:comment_respond", args=[review.pk, comment.pk]), {
        "outcome": "partly", "response": "We have added the email to the evidence"})

    page = member_client.get(reverse("reviews:consultation", args=[review.pk])).content.decode()
    assert "Review Group: Partly accepted. We have added the email to the evidence" in page
    assert "Proposed correction" in as_user(world.manager).get(
        reverse("reviews:findings", args=[review.pk])).content.decode()


@pytest.mark.django_db
def test_the_public_page_lists_published_reports_and_audits_anonymous_downloads(world, client):
    review = h.published_before_public_files(world)  # its download is the published version itself
    h.make_review(world, reference="TST-DRAFT")  # not published: never listed
    page = client.get(reverse("reviews:public_list", args=[world.board.slug])).content.decode()
    assert "Published case reviews" in page and "Download the report: Child Q" in page
    assert page.count("Download the report") == 1

    response = client.get(reverse("reviews:public_download", args=[world.board.slug, review.pk]))
    assert response.status_code == 200
    assert b"The published report about Child Q." in response.content
    event = AuditEvent.objects.get(action="review.public_report_downloaded")
    assert event.actor_id is None and event.board_id == world.board.pk


@pytest.mark.django_db
def test_after_twelve_months_a_report_is_available_on_request(world, client):
    review = h.make_review(world, reference="TST-PUB", status=Review.Status.PUBLISHED,
                           published_on=timezone.localdate() - timedelta(days=400))
    page = client.get(reverse("reviews:public_list", args=[world.board.slug])).content.decode()
    assert "Available on request" in page and "Download the report" not in page
    assert client.get(reverse("reviews:public_download", args=[world.board.slug, review.pk])).status_code == 404


@pytest.mark.django_db
def test_another_boards_public_page_does_not_list_our_reports(world, client):
    h.published_review(world)
    page = client.get(reverse("reviews:public_list", args=[world.other_board.slug])).content.decode()
    assert "The board has not published any reports yet" in page
