"""Fictional review records for the reviews tests and their access rules. Names are deliberately unreal."""

import io
from datetime import date, timedelta

import docx
from django.utils import timezone

from casereview.cases.models import CasePerson
from casereview.reviews.models import (
    CaseGroupComment,
    CaseGroupMember,
    Extension,
    Finding,
    Milestone,
    ParallelProcess,
    Pause,
    Recommendation,
    ReportVersion,
    Review,
)
from tests.factories import review_in


def make_review(world, *, reference="TST-1", type=Review.Type.SCR_INTENSIVE, status=Review.Status.ANALYSIS,
                initiated_on=None, **extra) -> Review:
    """A review of the world's case, led by the world's (independent) reviewer, in `status`, built through the
    review services (`tests.factories.review_in`). Asked again for the same reference, the same review."""
    existing = Review.objects.filter(board=world.board, reference=reference).first()
    if existing is not None:
        return existing
    return review_in(world, status, type=type, reference=reference, initiated_on=initiated_on, **extra)


def add_people(review, world) -> None:
    CasePerson.objects.get_or_create(case=review.case, anonymised_label="Child Q", defaults={
        "relationship": CasePerson.Relationship.SUBJECT_CHILD, "full_name": "Jayden Demoson",
        "date_of_birth": date(2019, 5, 14), "aliases": "Jay Demoson", "address": "12 Fictional Row, Riverside",
        "postcode": "RV1 2ZZ", "school": "Riverside Demo Primary School"})
    CasePerson.objects.get_or_create(case=review.case, anonymised_label="Mother", defaults={
        "relationship": CasePerson.Relationship.MOTHER, "full_name": "Kerry Demoson"})


def milestone(review) -> Milestone:
    return Milestone.objects.get_or_create(review=review, position=1, defaults={
        "name": "Preparation", "due_on": review.initiated_on + timedelta(days=20)})[0]


def process(review, world) -> ParallelProcess:
    from casereview.reviews import services

    return review.parallel_processes.filter(kind=ParallelProcess.Kind.POLICE).first() or \
        services.parallel_process_save(by=world.manager, review=review, kind=ParallelProcess.Kind.POLICE,
                                       detail="", status=ParallelProcess.Status.ONGOING, status_on=review.initiated_on)


def finding(review, number=1) -> Finding:
    """Finding `number` of the review, recorded through the service (with those before it) if it is not yet."""
    from casereview.reviews import services

    while not review.findings.filter(number=number).exists():
        services.finding_save(by=review.created_by, review=review, kind=Finding.Kind.IMPROVEMENT,
                              title="Information was not shared", narrative="Nobody joined up.")
    return review.findings.get(number=number)


def recommendation(review) -> Recommendation:
    from casereview.reviews import services

    return review.recommendations.filter(number=1).first() or services.recommendation_save(
        by=review.created_by, review=review, text="Share it", level=Recommendation.Level.PARTNERSHIP,
        findings=[finding(review)], target_agencies=[])


def case_group_member(review, user, agency) -> CaseGroupMember:
    """`user` (of `agency`) in the review's Case Group, invited on the day the review started."""
    from casereview.reviews import services

    member = review.case_group.filter(user=user).first()
    if member is None:
        member = services.case_group_add(by=review.created_by, review=review, user=user,
                                         involvement="Attended the strategy meeting")
        member = services.case_group_update(by=review.created_by, member=member,
                                            status=CaseGroupMember.Status.INVITED, on=review.initiated_on)
    return member


LINK_SECRET = "a-fictional-link-secret"  # noqa: S105 - a test fixture, not a credential


def link_member(review, world, *, open_consultation=True) -> CaseGroupMember:
    """A Case Group practitioner without an account, holding a working consultation link (`LINK_SECRET`)."""
    from casereview.reviews.services.consultation import link_hash

    member = CaseGroupMember.objects.get_or_create(review=review, email="sam.fakely@health.example", defaults={
        "name": "Sam Fakely", "job_title": "School nurse", "agency": world.agency_a, "status": "invited",
        "involvement": "Saw the child at school", "invited_on": review.initiated_on, "added_by": world.manager,
        "link_hash": link_hash(LINK_SECRET), "link_expires_on": timezone.localdate() + timedelta(days=10)})[0]
    if open_consultation:
        finding(review)
        # Opened by hand, not by `consultation_open`: the service would draw a new, unknown link secret.
        Review.objects.filter(pk=review.pk).update(consultation_opened_on=timezone.localdate(),
                                                   consultation_closed_on=None)
    return member


def comment(review, world) -> CaseGroupComment:
    member = case_group_member(review, world.author_a, world.agency_a)
    return CaseGroupComment.objects.get_or_create(finding=finding(review), member=member, defaults={
        "kind": CaseGroupComment.Kind.COMMENT, "text": "I agree"})[0]


def written_version(review, world, text="An anonymised report about Child Q.", number=None) -> ReportVersion:
    """A version written on screen by the lead reviewer (through the service); version `number` if it exists."""
    from casereview.reviews import services

    existing = review.report_versions.filter(number=number).first() if number else None
    return existing or services.version_write(by=world.reviewer, review=review, text=text)


def pending_extension(review, world) -> Extension:
    return Extension.objects.get_or_create(review=review, decision=Extension.Decision.PENDING, defaults={
        "reason": "Agency reports are late", "new_target_on": review.initiated_on + timedelta(days=300),
        "requested_by": world.manager})[0]


def open_pause(review, world) -> Pause:
    return Pause.objects.get_or_create(review=review, ended_on=None, defaults={
        "started_on": review.initiated_on + timedelta(days=1), "reason": "Criminal trial",
        "started_by": world.manager})[0]


def published_review(world) -> Review:
    """A Serious Case Review published ten days ago, through the services (with its public files)."""
    return make_review(world, reference="TST-PUB", status=Review.Status.PUBLISHED,
                       published_on=timezone.localdate() - timedelta(days=10),
                       report_text="The published report about Child Q.")


def published_before_public_files(world) -> Review:
    """A review published before CaseReview made public files (the board's earlier records). No service reaches
    this state today, since publishing makes the files: published through the services, its files then taken
    away, as a record from before the accessible PDF has none."""
    from casereview.reviews.publication_models import PublishedReport

    review = published_review(world)
    PublishedReport.objects.filter(review=review).delete()
    return Review.objects.get(pk=review.pk)


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(*lines: str) -> bytes:
    """A minimal one-page PDF in Helvetica, one line of text per argument."""
    shown = " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def report_request(review: Review):
    from casereview.reviews.models import ReportRequest

    return ReportRequest.objects.get_or_create(review=review, requester="A researcher",
                                               defaults={"requested_on": timezone.localdate(),
                                                         "contact": "researcher@example.org"})[0]
