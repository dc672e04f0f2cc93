"""Publication without leaks: the public PDF, the check of the exact published bytes, and the board's rules
around publishing (issue G4 items 2-4, G2 item 7, G6 items 2 and 11)."""

import io
import zipfile
from datetime import timedelta

import docx
import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casereview.audit.models import AuditEvent
from casereview.cases.selectors import case_known_identifiers
from casereview.lib.documents import extract_text
from casereview.lib.identifiers import scan
from casereview.reviews import selectors, services
from casereview.reviews.models import ParallelProcess, ReportRequest, ReportVersion, Review, VersionCheck
from casereview.reviews.selectors.publication import COURT_RESTRICTION_KINDS
from tests.factories import CasePersonFactory, UserFactory
from tests.reviews import helpers as h
from tests.reviews.test_report_and_publication import PUBLISH, _ready
from tests.reviews.test_setup_and_people import _date

REPORT = [
    "Child K lived with her mother in the north of the borough.",
    "Agencies did not share what they knew about the risk the father posed.",
    "The review makes four recommendations to the board.",
]


@pytest.fixture
def child_k(world):
    return CasePersonFactory(case=world.case, full_name="Ellie Lacey-Mae Demoson", anonymised_label="Child K",
                             date_of_birth=timezone.localdate().replace(year=2014, month=3, day=3),
                             aliases="", address="7 Larch Grove, Anytown", postcode="ZZ9 9ZZ",
                             school="St Mary's CE Primary School")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _docx(*paragraphs, author="Jane Authorson"):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _approved_version(world, source, *, title="Child K serious case review", type=Review.Type.SCR_INTENSIVE,
                      reference="TST-PDF", days_ago=7):
    # Approved `days_ago` days ago, when the Panel was sent its copy (the copy follows the approval).
    today = timezone.localdate()
    with time_machine.travel(today - timedelta(days=days_ago), tick=False):
        review = h.make_review(world, reference=reference, status=Review.Status.ANALYSIS, type=type, title=title)
        if source == "written":
            version = services.version_write(by=world.reviewer, review=review, text="\n\n".join(REPORT))
        elif source == "docx":
            version = services.version_upload(by=world.reviewer, review=review, data=_docx(*REPORT),
                                              filename="overview.docx")
        else:
            version = services.version_upload(by=world.reviewer, review=review, data=h.make_pdf(*REPORT),
                                              filename="overview.pdf")
        services.review_submit_for_qa(by=world.reviewer, review=review)
        services.version_checklist(by=world.manager, version=version, check_analysis=True, check_plain_english=True,
                                   check_publishable=True, check_good_practice=True)
        services.version_qa_sign_off(by=world.manager, version=version, comments="")
        review = services.review_approve(by=world.chair, review=Review.objects.get(pk=review.pk), confirmed=True)
    version.refresh_from_db()
    services.publication_plan(by=world.manager, review=review, planned_publication_on=today)
    services.panel_copy_sent(by=world.manager, review=review, sent_on=today - timedelta(days=days_ago))
    review.refresh_from_db()
    return review, ReportVersion.objects.get(pk=version.pk)


@pytest.mark.parametrize("source", ["written", "docx", "pdf"])
@pytest.mark.django_db
def test_every_kind_of_report_is_published_as_an_accessible_pdf_named_after_the_review(
        world, as_user, client, child_k, source):
    review, version = _approved_version(world, source)
    _ready(world, review)
    response = as_user(world.manager).post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    assert response.status_code == 302

    download = client.get(reverse("reviews:public_download", args=[world.board.slug, review.pk]))
    pdf = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="child-k-serious-case-review.pdf"' in download["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"  # tagged, with its language
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declares PDF/UA in its XMP metadata
    assert reader.metadata.title == "Child K serious case review"
    assert reader.metadata.author == world.board.name
    text = extract_text(pdf, "pdf")
    assert "Agencies did not share what they knew" in text
    assert "What the board has done since the review" in text  # the SCR's statement is published with it
    # Nothing the case records about its people is in the published file, properties included.
    assert scan(text, case_known_identifiers(review.case)) == []
    assert "Jane Authorson" not in text and "Demoson" not in text


@pytest.mark.django_db
def test_the_check_runs_on_the_pdf_itself_so_a_name_only_the_pdf_carries_blocks_publication(
        world, as_user, child_k):
    # The title is not part of the report's text, but the PDF carries it on its first page and in its properties.
    review, version = _approved_version(world, "written", title="Review for Ellie")
    _ready(world, review)
    manager = as_user(world.manager)

    response = manager.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)

    assert "The public PDF made from version 1 shows 2 things that could identify someone" in \
        response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED and not hasattr(review, "published_report")
    stored = VersionCheck.objects.get(version=version, subject=VersionCheck.Subject.PUBLIC_PDF)
    hit = stored.hits[0]
    assert hit["matched_text"] == "Ellie"
    page = manager.get(reverse("reviews:version", args=[review.pk, version.pk])).content.decode()
    assert "In the public PDF made from this version" in page
    assert '<mark class="cr-hit">Ellie</mark>' in page
    # Accepted once (one fingerprint for both places), publication goes ahead.
    fingerprint = selectors.public_pdf_check(version).open_hits[0].fingerprint
    prefix = f"hit-{fingerprint[:16]}"
    manager.post(reverse("reviews:hit_accept", args=[review.pk, version.pk]), {
        "hit": fingerprint[:16], f"{prefix}-fingerprint": fingerprint,
        f"{prefix}-reason": "The family asked for her first name to be used"})
    manager.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED


@pytest.mark.django_db
def test_the_word_original_is_offered_only_when_the_board_chooses_and_without_names_in_its_properties(
        world, as_user, client, child_k):
    review, version = _approved_version(world, "docx")
    _ready(world, review)
    manager = as_user(world.manager)
    manager.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    assert client.get(reverse("reviews:public_download_original",
                              args=[world.board.slug, review.pk])).status_code == 404

    second, _ = _approved_version(world, "docx", title="Child L review", reference="TST-PDF2")
    _ready(world, second)
    services.publication_impact_update(by=world.manager, review=second, family_told=True, practitioners_told=True,
                                       media_lines_agreed=True, court_restrictions_checked=True,
                                       keep_online_until=None, offer_original=True)
    manager.post(reverse("reviews:publish", args=[second.pk]), PUBLISH)
    download = client.get(reverse("reviews:public_download_original", args=[world.board.slug, second.pk]))
    word = b"".join(download.streaming_content)
    assert 'filename="child-l-review.docx"' in download["Content-Disposition"]
    core = zipfile.ZipFile(io.BytesIO(word)).read("docProps/core.xml").decode()
    assert "Jane Authorson" not in core and world.board.name in core
    assert "Agencies did not share" in extract_text(word, "docx")
    page = client.get(reverse("reviews:public_list", args=[world.board.slug])).content.decode()
    assert "Download it as a Word document" in page and "(PDF," in page


@pytest.mark.django_db
def test_an_scr_is_not_published_without_its_statement_but_another_review_is(world, child_k):
    scr, _ = _approved_version(world, "written")
    services.publication_impact_update(by=world.manager, review=scr, family_told=True, practitioners_told=True,
                                       media_lines_agreed=True, court_restrictions_checked=True,
                                       keep_online_until=None, offer_original=False)
    blockers = services.publication_blockers(scr, timezone.localdate())
    assert any("Write the statement of the actions taken, their impact and what more" in b for b in blockers)

    with pytest.raises(services.ReviewError, match="Write the statement"):
        services.review_publish(by=world.manager, review=scr, confirmed=True)


@pytest.mark.django_db
def test_publication_waits_for_the_impact_checklist_and_asks_for_confirmation(world, as_user, child_k):
    review, _ = _approved_version(world, "written")
    services.statement_update(by=world.manager, review=review, statement_actions_taken="a",
                              statement_impact="b", statement_what_more="c")
    manager = as_user(world.manager)
    page = manager.post(reverse("reviews:publish", args=[review.pk]), PUBLISH).content.decode()
    assert "Complete the checklist for managing the impact of publication" in page

    manager.post(reverse("reviews:publication_impact", args=[review.pk]), {
        "imp-family_told": "on", "imp-practitioners_told": "on", "imp-media_lines_agreed": "on",
        "imp-court_restrictions_checked": "on"})
    page = manager.post(reverse("reviews:publish", args=[review.pk]), {}).content.decode()
    assert "Confirm that the report should be published on the board&#x27;s public page" in page
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED

    manager.post(reverse("reviews:publish", args=[review.pk]), PUBLISH)
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED


@pytest.mark.django_db
def test_a_court_restriction_blocks_publication_until_it_is_lifted(world, child_k):
    review, _ = _approved_version(world, "written")
    _ready(world, review)
    restriction = services.parallel_process_save(
        by=world.manager, review=review, kind=COURT_RESTRICTION_KINDS[0], detail="Reporting restriction order",
        status=ParallelProcess.Status.ONGOING, status_on=timezone.localdate())
    assert any("A court restriction is in force (Reporting restriction order)" in b
               for b in services.publication_blockers(review, timezone.localdate()))
    services.parallel_process_save(by=world.manager, review=review, process=restriction, kind=restriction.kind,
                                   detail=restriction.detail, status=ParallelProcess.Status.CONCLUDED,
                                   status_on=timezone.localdate())
    assert services.publication_blockers(review, timezone.localdate()) == []


@pytest.mark.django_db
def test_the_board_can_keep_a_report_online_longer_but_not_shorter_than_twelve_months(world, as_user, client,
                                                                                      child_k):
    review, _ = _approved_version(world, "written", days_ago=410)
    _ready(world, review)
    published_on = timezone.localdate() - timedelta(days=400)
    review = services.review_publish(by=world.manager, review=review, confirmed=True, published_on=published_on)

    response = as_user(world.manager).post(reverse("reviews:publication_impact", args=[review.pk]), {
        **_date("imp-keep_online_until", published_on + timedelta(days=200))})
    assert "A report stays online until at least" in response.content.decode()

    as_user(world.manager).post(reverse("reviews:publication_impact", args=[review.pk]), {
        "imp-family_told": "on", "imp-practitioners_told": "on", "imp-media_lines_agreed": "on",
        "imp-court_restrictions_checked": "on", **_date("imp-keep_online_until", timezone.localdate() + timedelta(days=30))})
    assert selectors.online_until(review) == timezone.localdate() + timedelta(days=30)
    page = client.get(reverse("reviews:public_list", args=[world.board.slug])).content.decode()
    assert "Download the report: Child K serious case review (PDF" in page


@pytest.mark.django_db
def test_requests_for_a_report_no_longer_online_are_logged_and_answered(world, as_user):
    review = h.published_review(world)
    manager = as_user(world.manager)
    today = timezone.localdate()
    manager.post(reverse("reviews:report_request", args=[review.pk]), {
        **_date("req-requested_on", today), "req-requester": "A university researcher",
        "req-contact": "researcher@example.org"})
    request = ReportRequest.objects.get(review=review)
    manager.post(reverse("reviews:request_answer", args=[review.pk, request.pk]), {
        **_date(f"ans{request.pk}-answered_on", today), f"ans{request.pk}-answer": "Emailed the PDF"})

    request.refresh_from_db()
    assert request.answered_on == today and request.answered_by == world.manager
    page = manager.get(reverse("reviews:publication", args=[review.pk])).content.decode()
    assert "A university researcher" in page and "Emailed the PDF" in page
    assert AuditEvent.objects.filter(action="review.report_request_answered").count() == 1


@pytest.mark.django_db
def test_anonymous_downloads_are_rate_limited_and_audited_once_a_day(world, client):
    review = h.published_review(world)
    url = reverse("reviews:public_download", args=[world.board.slug, review.pk])
    statuses = [client.get(url).status_code for _ in range(services.PUBLIC_DOWNLOADS_PER_HOUR + 1)]

    assert statuses[:-1] == [200] * services.PUBLIC_DOWNLOADS_PER_HOUR and statuses[-1] == 429
    assert AuditEvent.objects.filter(action="review.public_report_downloaded").count() == 1


@pytest.mark.django_db
def test_nobody_signs_off_or_approves_the_version_they_added(world):
    review = h.make_review(world, status=Review.Status.ANALYSIS)
    scr_chair = UserFactory(board=world.board)
    version = services.version_write(by=scr_chair, review=review, text="An anonymised overview report.")
    services.version_checklist(by=scr_chair, version=version, check_analysis=True, check_plain_english=True,
                               check_publishable=True, check_good_practice=True)
    review = services.review_submit_for_qa(by=scr_chair, review=review)

    with pytest.raises(services.ReviewError, match="You added version 1: quality assurance is signed off by someone"):
        services.version_qa_sign_off(by=scr_chair, version=version, comments="")
    services.version_qa_sign_off(by=world.manager, version=version, comments="")
    with pytest.raises(services.ReviewError, match="the board's approval is given by someone else"):
        services.review_approve(by=world.manager, review=review, confirmed=True)


@pytest.mark.django_db
def test_the_report_page_reads_the_stored_check_and_never_rescans(world, as_user, child_k, monkeypatch):
    review = h.make_review(world, status=Review.Status.ANALYSIS)
    version = services.version_write(by=world.reviewer, review=review, text="Ellie was seen at 7 Larch Gr.")
    assert [hit.kind for hit in selectors.version_check(version).open_hits] == ["name", "address"]

    def no_scan(*args, **kwargs):
        raise AssertionError("a page view scanned the report again")

    monkeypatch.setattr("casereview.reviews.selectors.report.scan", no_scan)
    client = as_user(world.reviewer)
    assert client.get(reverse("reviews:report", args=[review.pk])).status_code == 200
    page = client.get(reverse("reviews:version", args=[review.pk, version.pk])).content.decode()
    assert "The publication check found 2 things" in page


@pytest.mark.django_db
def test_the_many_small_parts_word_bomb_is_refused_at_upload_and_nothing_is_stored(world, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for n in range(1, 191):
            archive.writestr(f"word/header{n}.xml", b"<hdr>" + b"A" * (1024 * 1024 - 12) + b"</hdr>")
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    review = h.make_review(world, status=Review.Status.ANALYSIS)

    response = as_user(world.reviewer).post(reverse("reviews:version_upload", args=[review.pk]),
                                            {"file": SimpleUploadedFile("overview.docx", bomb), "note": ""})

    assert "zip bomb" in response.content.decode()
    assert not ReportVersion.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_a_statement_changed_after_publication_is_checked_before_it_reaches_the_public_page(world, child_k):
    review, _ = _approved_version(world, "written", type=Review.Type.SCR_INTENSIVE)
    _ready(world, review)
    services.review_publish(by=world.manager, review=review, confirmed=True)
    review.refresh_from_db()

    with pytest.raises(services.ReviewError, match="The statement could identify someone: 'Ellie'"):
        services.statement_update(by=world.manager, review=review, statement_actions_taken="Ellie's school trained staff",
                                  statement_impact="b", statement_what_more="c")
    review.refresh_from_db()
    assert review.statement_actions_taken == "Training was given."


@pytest.mark.django_db
def test_a_report_published_before_the_accessible_pdf_gets_one(world, client):
    review = h.published_before_public_files(world)
    services.public_files_make(by=world.manager, review=review)

    download = client.get(reverse("reviews:public_download", args=[world.board.slug, review.pk]))
    pdf = b"".join(download.streaming_content)
    assert 'filename="child-q.pdf"' in download["Content-Disposition"]
    assert "The published report about Child Q." in extract_text(pdf, "pdf")
    with pytest.raises(services.ReviewError, match="already been made"):
        services.public_files_make(by=world.manager, review=review)
