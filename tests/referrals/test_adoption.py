"""A real board's first weeks (issue G1): referrals from outside, nothing silently undelivered, the Deadlines
page, and hand-offs that reach the person they wait for."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.lib.clocks import add_calendar_months
from casereview.lib.dates import today
from casereview.notifications.models import OutboundEmail
from casereview.partnership.roles import Role
from casereview.referrals import services
from casereview.referrals.clocks import referral_clocks
from casereview.referrals.models import InformationRequest, ReferenceCounter, Referral
from tests.factories import UserFactory
from tests.referrals.factories import PDF, make_referral, record_external, referral_details
from tests.referrals.test_flow import _date, referral_post


def _external_post(world, **overrides):
    data = referral_post(world, received_via="secure_email", referrer_organisation="Testshire CDOP",
                         **_date("received_on", today()), **_date("board_notified_on", today() - timedelta(days=9)))
    data["upload"] = SimpleUploadedFile("referral-form.pdf", PDF, content_type="application/pdf")
    data.update(overrides)
    return data


def test_the_business_manager_records_a_referral_received_by_secure_email(world, as_user):
    manager = as_user(world.manager)
    assert "Record a referral received by email" in manager.get(reverse("referrals:list")).text
    response = manager.post(reverse("referrals:record"), _external_post(world))
    assert response.status_code == 302, response.text
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.RECEIVED and referral.referrer_agency is None
    assert referral.received_via == "secure_email" and referral.original_filename == "referral-form.pdf"
    # The decision clock runs from the earlier of notified and received.
    clock = next(c for c in referral_clocks(referral) if c.slug == "scr-decision")
    assert clock.start == today() - timedelta(days=9)
    assert clock.due == add_calendar_months(today() - timedelta(days=9), 1)
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Testshire CDOP" in page and "Received by secure email" in page and "referral-form.pdf" in page
    download = manager.get(reverse("referrals:original_download", args=[referral.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="referral.recorded_from_outside").exists()
    assert AuditEvent.objects.filter(action="referral.downloaded", object_id=str(referral.pk)).exists()


def test_an_original_form_that_is_not_a_document_is_refused_and_nothing_is_saved(world, as_user):
    upload = SimpleUploadedFile("referral.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_user(world.manager).post(reverse("referrals:record"), _external_post(world, upload=upload))
    assert "govuk-error-summary" in response.text
    assert "The file must be a PDF or a Word document (.docx): it looks like a program" in response.text
    assert not Referral.objects.exists()


def test_a_referral_from_outside_cannot_be_received_before_it_was_referred(world):
    referral_date = today() - timedelta(days=2)
    with pytest.raises(services.ReferralError) as refused:
        record_external(world, details=referral_details(referred_on=referral_date),
                        received_on=referral_date - timedelta(days=1))
    assert refused.value.field == "received_on" and not Referral.objects.exists()


def test_a_request_to_an_agency_with_nobody_to_receive_it_shows_as_not_delivered(world, as_user):
    """Agency B has no safeguarding lead: the page names it before sending, the count says so, and it is never
    shown as requested."""
    referral = make_referral(world, "received")
    manager = as_user(world.manager)
    page = manager.get(reverse("referrals:information_request", args=[referral.pk])).text
    assert "Nobody can receive a request at these agencies: Testshire Health" in page
    assert reverse("partnership:person_create") in page
    response = manager.post(reverse("referrals:information_request", args=[referral.pk]), {
        "agencies": [world.agency_a.pk, world.agency_b.pk], **_date("due_on", today() + timedelta(days=5))},
        follow=True)
    assert "1 agency asked for a summary of their involvement. Not delivered to Testshire Health" in response.text
    missed = InformationRequest.objects.get(agency=world.agency_b)
    assert not missed.delivered and missed.tracking(today()) == "Not delivered"
    page = manager.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Not delivered" in page and "not delivered: THLT" in page
    # A lead is added; the next chaser delivers it.
    lead_b = UserFactory(board=world.board, agency=world.agency_b, username="lead-b", roles=[Role.AGENCY_LEAD])
    InformationRequest.objects.filter(pk=missed.pk).update(due_on=today() + timedelta(days=1))
    services.reminders_send(today=today())
    missed.refresh_from_db()
    assert missed.delivered and lead_b.email in missed.delivered_to
    assert OutboundEmail.objects.filter(to=lead_b.email).exists()


def test_the_deadlines_page_lists_running_clocks_overdue_first_and_exports_them_safely(world, as_user):
    later = make_referral(world, "received", child_name="Later Fictionperson")
    sooner = make_referral(world, "received", child_name="Sooner Fictionperson", agencies=[world.agency_b])
    Referral.objects.filter(pk=sooner.pk).update(received_on=today() - timedelta(days=40))
    Referral.objects.filter(pk=later.pk).update(referrer_name="=HYPERLINK(1)")
    chair = as_user(world.chair)
    page = chair.get(reverse("deadlines:list")).text
    assert "1 overdue" in page and page.index(sooner.reference) < page.index(later.reference)
    filtered = chair.get(reverse("deadlines:list"), {"agency": "Testshire Police"}).text
    assert later.reference in filtered and sooner.reference not in filtered
    rows = list(csv.reader(io.StringIO(chair.get(reverse("deadlines:export", args=["csv"])).content.decode())))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[1][0] == "Deadline"
    assert rows[2][1].startswith(f"Referral {sooner.reference}") and rows[2][4] == "Overdue"
    book = openpyxl.load_workbook(io.BytesIO(chair.get(reverse("deadlines:export", args=["xlsx"])).content))
    assert book.active["A1"].value == "OFFICIAL-SENSITIVE" and book.active["A2"].value == "Deadline"
    assert AuditEvent.objects.filter(action="deadlines.exported").count() == 2
    assert as_user(world.author_a).get(reverse("deadlines:list")).status_code == 403


def test_export_cells_cannot_become_formulas(world, as_user):
    make_referral(world, "received", child_name="=Formula Fictionperson")
    rows = list(csv.reader(io.StringIO(as_user(world.manager).get(
        reverse("deadlines:export", args=["csv"])).content.decode())))
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_references_come_from_a_counter_that_carries_on(world):
    first = make_referral(world, "draft")
    second = make_referral(world, "draft")
    assert first.reference.endswith("-001") and second.reference.endswith("-002")
    assert ReferenceCounter.objects.get(board=world.board, year=today().year).last == 2


def test_the_chair_is_emailed_and_sees_the_decision_waiting(world, as_user):
    referral = make_referral(world, "recommended")
    email = OutboundEmail.objects.get(to=world.chair.email, subject__contains="ready for your decision")
    assert "waiting for you" in email.body
    page = as_user(world.chair).get(reverse("home")).text
    assert "Referrals awaiting your decision" in page and referral.reference in page


def test_the_deadlines_page_shows_agency_returns_and_panel_requests(world, as_user):
    referral = make_referral(world, "received")
    services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_b],
                                      due_on=today() + timedelta(days=3))
    services.panel_log_add(by=world.manager, referral=referral, kind="request_copy", on=today(),
                           due_on=today() + timedelta(days=10))
    page = as_user(world.manager).get(reverse("deadlines:list"), {"agency": "Testshire Health"}).text
    page = page.split("<tbody")[1]  # the table, not the filter's choices
    assert "Agency&#x27;s summary of involvement" in page
    assert "nobody at Testshire Health can receive the request" in page
    police = as_user(world.manager).get(reverse("deadlines:list"), {"agency": "Testshire Police"}).text
    assert "Agency&#x27;s summary" not in police.split("<tbody")[1]  # the return is Testshire Health's alone
    page = as_user(world.manager).get(reverse("deadlines:list"), {"clock": "Answer to a National Panel request"}).text
    page = page.split("<tbody")[1]
    assert referral.reference in page and "Agency&#x27;s summary" not in page


def test_a_repeated_request_changes_nothing_twice(world, as_user):
    """A double click, or two people at once: the second submission or receipt is refused with a message, and
    an agency already asked is not asked again."""
    referral = make_referral(world, "draft")
    services.referral_submit(by=world.lead_a, referral=referral)
    with pytest.raises(services.ReferralError, match="once, while it is a draft"):
        services.referral_submit(by=world.lead_a, referral=referral)
    services.referral_receive(by=world.manager, referral=referral, received_on=today())
    with pytest.raises(services.ReferralError, match="already been recorded"):
        services.referral_receive(by=world.manager, referral=referral, received_on=today())
    services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_a],
                                      due_on=today() + timedelta(days=3))
    with pytest.raises(services.ReferralError, match="already been asked"):
        services.information_request_send(by=world.manager, referral=referral, agencies=[world.agency_a],
                                          due_on=today() + timedelta(days=3))
    assert InformationRequest.objects.count() == 1
    assert as_user(world.manager).get(reverse("deadlines:export", args=["exe"])).status_code == 404
