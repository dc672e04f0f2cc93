"""The whole path in the browser: draft, approval, receipt, call for information, matrix, decision, letters,
Panel notice and closure, as the personas would click through it."""

import io
from datetime import timedelta

import docx
import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.deadlines.services import board_today
from casereview.notifications.models import OutboundEmail
from casereview.partnership.roles import Role
from casereview.referrals.models import CirConsideration, InformationRequest, Referral
from casereview.reviews.models import Review
from casereview.reviews.services import member_add
from tests.factories import UserFactory
from tests.referrals.factories import make_referral, minute_recommendation


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def referral_post(world, **overrides):
    today = board_today()
    data = {"version": 1, "protective_marking": "official_sensitive", "purpose": "scr",
            "referrer_name": "Testy Referrer", "referrer_role": "Sergeant", "referrer_contact": "01632 960002",
            "referrer_email": "testy@testshire.example", **_date("referred_on", today),
            "child_name": "Zara Fictionperson", **_date("child_dob", today - timedelta(days=900)),
            **_date("incident_date", today - timedelta(days=2)), "plan_status": "none", "looked_after": "no",
            "open_to_csc": "yes", "agencies": [world.agency_a.pk, world.agency_b.pk], "criteria": ["1", "2b"],
            "narrative": "A fictional child was seriously injured."}
    data.update(overrides)
    return data


def matrix_post(referral, *, complete=True, **overrides):
    data = {"version": referral.version, "c1-answer": "met", "c1-evidence": "Police records",
            "c2a-answer": "not_met", "c2b-answer": "met", "c2b-evidence": "Hospital report",
            "c3-answer": "not_met", "recommended_outcome": "scr_intensive",
            "rationale": "Criteria 1 and 2b are met; agencies did not share concerns."}
    if complete:
        data["complete"] = "1"
    data.update(overrides)
    return data


def test_the_whole_path_from_draft_to_closed(world, as_user, django_capture_on_commit_callbacks):
    world.chair.email = "chair@testshire.example"
    world.chair.save()
    dcs = UserFactory(board=world.board, username="dcs", roles=[Role.DCS])
    author, lead, manager, chair = (as_user(u) for u in (world.author_a, world.lead_a, world.manager, world.chair))

    # The author drafts it.
    response = author.post(reverse("referrals:create"), referral_post(world))
    assert response.status_code == 302, response.text
    referral = Referral.objects.get()
    assert referral.status == "draft" and referral.case.subject_child.full_name == "Zara Fictionperson"
    assert set(referral.case.case_agencies.values_list("agency_id", flat=True)) == {world.agency_a.pk,
                                                                                   world.agency_b.pk}
    page = author.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Only the safeguarding lead of Testshire Police can approve and submit" in page
    assert manager.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404

    # Agency A's lead approves and submits it; the Business Manager is told.
    with django_capture_on_commit_callbacks(execute=True):
        assert lead.post(reverse("referrals:submit", args=[referral.pk])).status_code == 302
    assert OutboundEmail.objects.filter(to=world.manager.email, subject__contains="submitted").exists()

    # The Business Manager records receipt; the Chair and the DCS are told; the decision clock starts.
    response = manager.post(reverse("referrals:receive", args=[referral.pk]), _date("received_on", board_today()))
    assert response.status_code == 302
    told = set(OutboundEmail.objects.filter(subject__contains="received").values_list("to", flat=True))
    assert told == {world.chair.email, dcs.email}
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Decision on whether to initiate an SCR" in page and "govuk-tag--green" in page
    assert "Notifications sent" in page and world.chair.email in page

    # Call for information; agency A's lead answers in the system.
    due = board_today() + timedelta(days=7)
    response = manager.post(reverse("referrals:information_request", args=[referral.pk]),
                            {"agencies": [world.agency_a.pk], **_date("due_on", due)})
    assert response.status_code == 302
    req = InformationRequest.objects.get()
    assert "Requested" in manager.get(reverse("referrals:detail", args=[referral.pk])).text
    response = lead.post(reverse("referrals:answer", args=[req.pk]),
                         {"summary": "Police attended twice.", "still_involved": "yes"})
    assert response.status_code == 302
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Received" in page and "Police attended twice." in page

    # The committee recommends at a quorate meeting, then completes the matrix.
    referral = Referral.objects.get()
    minute_recommendation(world, referral)
    response = manager.post(reverse("referrals:matrix", args=[referral.pk]), matrix_post(referral))
    assert response.status_code == 302, response.text
    page = chair.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Recommended, awaiting the Chair" in page and "<strong>Met</strong>" in page

    # The Chair decides to initiate: the review opens.
    response = chair.post(reverse("referrals:decide", args=[referral.pk]), {
        "decision": "scr_intensive", **_date("decided_on", board_today()), "rationale": "Threshold met."})
    assert response.status_code == 302
    review = Review.objects.get(case=referral.case)
    assert review.type == Review.Type.SCR_INTENSIVE
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "National Panel told of the decision" in page and review.reference in page

    # The Panel is told (lead reviewers from the review's appointed members, Ofsted) and the letter is
    # recorded as sent: the referral closes. Before anyone is appointed the notice cannot go.
    notice = {**_date("sent_on", board_today()), **_date("ofsted_told_on", board_today())}
    response = manager.post(reverse("referrals:panel_notice", args=[referral.pk]), notice)
    assert "Appoint the independent lead reviewers" in response.text
    robin = UserFactory(board=world.board, username="robin", first_name="Robin", last_name="Independent-Reviewer",
                        roles=[Role.LEAD_REVIEWER])
    member_add(by=world.manager, review=review, user=robin, role="lead_reviewer", has_conflict=False,
               conflict_details="", involved_in_case=False,
               qualifications="Independent social work consultant; eleven earlier reviews",
               independence_declared_on=board_today())
    response = manager.post(reverse("referrals:panel_notice", args=[referral.pk]), notice)
    assert response.status_code == 302
    notice_page = manager.get(reverse("referrals:panel_notice", args=[referral.pk])).text
    assert "Robin Independent-Reviewer" in notice_page and "Ofsted is told" in notice_page
    response = manager.post(reverse("referrals:letter_sent", args=[referral.pk]), _date("sent_on", board_today()))
    assert response.status_code == 302
    assert Referral.objects.get().status == "closed"
    actions = set(AuditEvent.objects.filter(object_id=str(referral.pk), object_type="referrals.referral")
                  .values_list("action", flat=True))
    assert {"referral.created", "referral.submitted", "referral.received", "referral.information_requested",
            "referral.information_received", "referral.matrix_completed", "referral.decided",
            "referral.panel_notified", "referral.feedback_sent", "referral.closed", "referral.viewed"} <= actions


def test_not_initiating_opens_a_cir_consideration_and_the_notice_needs_justification(world, as_user, settings):
    referral = make_referral(world, "decided", decision="not_initiated")
    assert CirConsideration.objects.get(referral=referral).is_open
    manager = as_user(world.manager)
    url = reverse("referrals:panel_notice", args=[referral.pk])
    response = manager.post(url, {**_date("sent_on", board_today()), "justification": ""})
    assert "govuk-error-summary" in response.text
    assert "Enter why the case does not meet the criteria" in response.text
    response = manager.post(url, {**_date("sent_on", board_today()), "justification": "Agencies worked well."})
    assert "Upload the Serious Incident Notification, or enter anonymised details" in response.text
    assert not hasattr(Referral.objects.get(pk=referral.pk), "panel_notice")

    upload = SimpleUploadedFile("sin.pdf", b"%PDF-1.4 fictional notification", content_type="application/pdf")
    response = manager.post(url, {**_date("sent_on", board_today()), "justification": "Agencies worked well.",
                                  "sin_upload": upload})
    assert response.status_code == 302
    download = manager.get(reverse("referrals:sin_download", args=[referral.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="referral.downloaded", detail__file="Serious Incident Notification")

    # The CIR consideration routes the case on; a CIR opens a review.
    response = manager.post(reverse("referrals:cir", args=[referral.pk]), {
        "outcome": "cir", "reason": "Learning on housing moves.", **_date("decided_on", board_today())})
    assert response.status_code == 302
    assert Review.objects.get(case=referral.case).type == Review.Type.CIR


def test_an_upload_over_the_limit_is_refused(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = 10
    referral = make_referral(world, "decided")
    upload = SimpleUploadedFile("sin.pdf", b"%PDF-1.4 far too long a file", content_type="application/pdf")
    response = as_user(world.manager).post(reverse("referrals:panel_notice", args=[referral.pk]), {
        **_date("sent_on", board_today()), "justification": "Reasons", "sin_upload": upload})
    assert "govuk-error-summary" in response.text and "The file is larger than 10 bytes" in response.text


def test_the_letters_open_as_word_and_pdf_with_the_rationale(world, as_user):
    referral = make_referral(world, "decided")
    decision = referral.decision
    decision.rationale = "First reason & <b>not markup</b>.\n\nSecond paragraph of reasons."
    decision.save()
    manager = as_user(world.manager)
    word = manager.get(reverse("referrals:letter_docx", args=[referral.pk]))
    assert word.status_code == 200 and "attachment" in word["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "First reason & <b>not markup</b>." in text and "Second paragraph of reasons." in text
    assert "Dear Testy Referrer" in text and referral.reference in text
    pdf = manager.get(reverse("referrals:letter_pdf", args=[referral.pk]))
    assert pdf.content.startswith(b"%PDF")
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Second paragraph of reasons." in pdf_text
    notice = manager.get(reverse("referrals:panel_notice_pdf", args=[referral.pk]))
    assert notice.content.startswith(b"%PDF")
    notice_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(notice.content)).pages)
    assert "National Panel" in notice_text and "Do not initiate" in notice_text
    assert AuditEvent.objects.filter(action="referral.downloaded", object_id=str(referral.pk)).count() == 3


def test_the_dashboard_lists_open_referrals_by_urgency(world, as_user):
    later = make_referral(world, "received", child_name="Later Fictionperson")
    sooner = make_referral(world, "received", child_name="Sooner Fictionperson")
    Referral.objects.filter(pk=sooner.pk).update(received_on=board_today() - timedelta(days=40))
    make_referral(world, "draft")
    page = as_user(world.manager).get(reverse("home")).text
    assert "Open referrals, most urgent first" in page
    assert page.index(sooner.reference) < page.index(later.reference)
    assert "Overdue: Decision on whether to initiate an SCR" in page
    assert "SCR Committee (decision matrix)" in page
    assert "Draft" not in page.split("Open referrals")[1].split("</table>")[0]


def test_the_lead_sees_drafts_to_approve_and_requests_to_answer(world, as_user):
    draft = make_referral(world, "draft")
    page = as_user(world.lead_a).get(reverse("home")).text
    assert "Referrals waiting for you" in page and draft.reference in page
