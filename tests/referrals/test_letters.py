"""Letters a board sends (issue G7): address block, the board's contact details, a signature block, one
protective marking, Word styled like the PDF, and a Panel notice complete when downloaded."""

import io

import docx
import pypdf
from django.urls import reverse

from casereview.lib.dates import today
from casereview.lib.formats import long_date
from casereview.partnership.roles import Role
from casereview.referrals import services
from casereview.reviews.services import member_add
from tests.factories import UserFactory
from tests.referrals.factories import make_referral


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_feedback_letter_has_an_address_contact_details_a_signature_and_one_marking(world, as_user):
    world.manager.phone = "01632 960100"
    world.manager.save()
    UserFactory(board=world.board, username="scr-chair", first_name="Sam", last_name="Demo-Chairperson",
                roles=[Role.SCR_COMMITTEE_CHAIR])
    referral = make_referral(world, "decided")
    word = as_user(world.manager).get(reverse("referrals:letter_docx", args=[referral.pk])).content
    document = docx.Document(io.BytesIO(word))
    body = [p.text for p in document.paragraphs]
    text = "\n".join(body)
    # Address block, the board's contact details (its Business Manager), signature with name and role.
    assert "Testy Referrer\nDetective\nTestshire Police\nreferrer@testshire.example" in text
    assert "Testshire Safeguarding Children Board" in text and "01632 960100" in text
    assert world.manager.email in text
    signature = body[body.index("Yours sincerely") + 1]
    assert "Sam Demo-Chairperson" in signature and "Chair of the Serious Case Review Committee" in signature
    # One marking: in the header and footer of every page, never repeated in the body.
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE" not in text
    # Styled like the PDF: one font, no default blue headings.
    for name in ("Normal", "Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.font.name == "Arial" and str(style.font.color.rgb) == "0B0C0C"
    pdf = _pdf_text(as_user(world.manager).get(reverse("referrals:letter_pdf", args=[referral.pk])).content)
    assert pdf.count("OFFICIAL-SENSITIVE") == 2  # top and bottom of the one page
    assert "Sam Demo-Chairperson" in pdf and "01632 960100" in pdf and "Detective" in pdf


def test_the_panel_notice_names_the_appointed_lead_reviewers_and_is_complete_when_sent(world, as_user):
    referral = make_referral(world, "decided", decision="scr_intensive")
    manager = as_user(world.manager)
    before = _pdf_text(manager.get(reverse("referrals:panel_notice_pdf", args=[referral.pk])).content)
    assert "To be entered" not in before and "None appointed yet" in before
    robin = UserFactory(board=world.board, username="robin", first_name="Robin", last_name="Independent-Reviewer",
                        job_title="Independent reviewer", roles=[Role.LEAD_REVIEWER])
    member_add(by=world.manager, review=referral.decision.review, user=robin, role="lead_reviewer",
               has_conflict=False, conflict_details="", involved_in_case=False,
               qualifications="Independent social work consultant; eleven earlier reviews",
               independence_declared_on=today())
    ready = _pdf_text(manager.get(reverse("referrals:panel_notice_pdf", args=[referral.pk])).content)
    assert "Robin Independent-Reviewer, Independent reviewer" in ready and "Not yet sent" in ready
    services.panel_notice_record(by=world.manager, referral=referral, sent_on=today(), ofsted_told_on=today())
    sent = _pdf_text(manager.get(reverse("referrals:panel_notice_pdf", args=[referral.pk])).content)
    assert f"{long_date(today())}, by" in sent and "Robin Independent-Reviewer" in sent
    assert "Not yet sent" not in sent
