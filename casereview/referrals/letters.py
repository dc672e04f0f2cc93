"""The feedback letter to the referrer (Word, PDF and the emailed text) and the National Panel notice (PDF).

Both are built on the service's one document shape (casereview.lib.office for Word, casereview.lib.pdf for PDF):
A4, one font in body, header and footer, the referral's ONE protective marking at the top and bottom of every
page and nowhere else, headings styled alike in both formats. A letter has an address block, the board's
contact details (its Business Manager) and a signature block with the signer's name and role. The feedback
comes from the chair of the SCR Committee, as the board's framework says, and gives the outcome, the rationale
of the committee's multi-agency discussion and, where the Independent Chair decided, the Chair's.
"""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string

from casereview.lib.dates import now, today
from casereview.lib.formats import long_date
from casereview.lib.office import DocumentSetup, marking_css, new_word_document
from casereview.lib.pdf import PdfProperties, render_pdf
from casereview.partnership.models import User
from casereview.partnership.roles import Role

from .models import Referral

LETTER_CSS = """
body { font-size: 11pt; line-height: 1.45; }
h1 { font-size: 16pt; margin: 0 0 .6em; } h2 { font-size: 13pt; margin-top: 1.4em; }
h3 { font-size: 12pt; margin-top: 1.2em; }
.address, .contact { margin: 0 0 1em; } .contact { float: right; text-align: right; font-size: 10pt; }
.signature { margin-top: 2em; } dt { font-weight: bold; margin-top: .6em; } dd { margin-left: 0; }
"""


@dataclass(frozen=True)
class Signer:
    name: str
    role: str


def _board_person(board_id: int, role: str) -> User | None:
    return (User.objects.filter(board_id=board_id, is_active=True, role_grants__role=role)
            .order_by("last_name", "first_name").first())


def feedback_signer(referral: Referral) -> Signer:
    """The chair of the SCR Committee signs the feedback; without one on the board, the committee does."""
    chair = _board_person(referral.board_id, Role.SCR_COMMITTEE_CHAIR)
    if chair is None:
        return Signer(name="The Serious Case Review Committee", role=f"on behalf of {referral.board.name}")
    return Signer(name=chair.get_full_name() or str(chair), role=f"Chair of the Serious Case Review Committee, "
                                                                  f"{referral.board.name}")


def board_contact(referral: Referral) -> list[str]:
    """The board's contact details, through its Business Manager."""
    manager = _board_person(referral.board_id, Role.BUSINESS_MANAGER)
    lines = [referral.board.name]
    if manager:
        lines.append(f"Business Manager: {manager.get_full_name() or manager}")
        lines += [value for value in (manager.email, manager.phone) if value]
    return lines


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def feedback_context(referral: Referral) -> dict:
    decision = getattr(referral, "decision", None)
    matrix = getattr(referral, "matrix", None)
    routing = getattr(referral, "cir_consideration", None)
    committee_rationale = []
    chair_rationale = []
    if decision is not None:
        outcome = f"On {long_date(decision.decided_on)} the Independent Chair decided: {decision.get_decision_display()}."
        chair_rationale = _paragraphs(decision.rationale)
        if matrix and matrix.rationale:
            committee_rationale = _paragraphs(matrix.rationale)
        if decision.initiates_scr:
            next_step = (f"The board has initiated a {decision.review.get_type_display()} (reference "
                         f"{decision.review.reference}). The board aims to complete it within six months."
                         if decision.review else "The board has initiated a Serious Case Review.")
        elif routing and routing.outcome:
            next_step = (f"After considering it for a Critical Incident Review, the SCR Committee decided: "
                         f"{routing.get_outcome_display()}.")
            committee_rationale += _paragraphs(routing.reason)
        else:
            next_step = ("The case did not meet the criteria for a Serious Case Review, so the board will now "
                         "consider it for a Critical Incident Review, as its framework requires.")
        considered = ("The Serious Case Review Committee considered it with the board's decision-making matrix"
                      + (f" and recommended: {matrix.get_recommended_outcome_display()}."
                         if matrix and matrix.recommended_outcome else "."))
    else:
        outcome = (f"On {long_date(routing.decided_on)} the SCR Committee decided: {routing.get_outcome_display()}."
                   if routing and routing.outcome else "")
        committee_rationale = _paragraphs(routing.reason) if routing else []
        considered = (f"You made it to {referral.get_purpose_display().lower()}, so the Serious Case Review "
                      f"Committee decided where its learning should go; a Serious Case Review was not considered.")
        next_step = (f"Review {routing.review.reference} has been opened." if routing and routing.review else
                     routing.follow_up if routing and routing.follow_up else
                     "The board will share the learning as described above.")
    signer = feedback_signer(referral)
    return {
        "marking": referral.get_protective_marking_display(),
        "board_name": referral.board.name,
        "contact": board_contact(referral),
        "letter_date": long_date(today()),
        "address": [line for line in (referral.referrer_name, referral.referrer_role,
                                      referral.referrer_organisation_name, referral.referrer_email) if line],
        "referrer_name": referral.referrer_name,
        "reference": referral.reference,
        "case_reference": referral.case.reference,
        "pseudonym": referral.case.pseudonym,
        "received": (f"Thank you for your referral of {long_date(referral.referred_on)}, which the board received "
                     f"on {long_date(referral.received_on)}." if referral.received_on else
                     f"Thank you for your referral of {long_date(referral.referred_on)}."),
        "considered": considered,
        "outcome": outcome,
        "committee_rationale": committee_rationale,
        "chair_rationale": chair_rationale,
        "next_step": next_step,
        "signer": signer,
    }


def feedback_docx(referral: Referral) -> bytes:
    c = feedback_context(referral)
    document = new_word_document(DocumentSetup(title=f"Referral {c['reference']}: feedback to the referrer",
                                               board_name=c["board_name"], marking=c["marking"]))
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    contact = document.add_paragraph("\n".join(c["contact"]))
    contact.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(c["letter_date"])
    document.add_paragraph("\n".join(c["address"]))
    document.add_heading(f"Your referral {c['reference']} ({c['pseudonym']}): the outcome", level=1)
    document.add_paragraph(f"Dear {c['referrer_name']}")
    for text in (c["received"], c["considered"], c["outcome"]):
        if text:
            document.add_paragraph(text)
    if c["committee_rationale"]:
        document.add_heading("The SCR Committee's discussion", level=2)
        for para in c["committee_rationale"]:
            document.add_paragraph(para)
    if c["chair_rationale"]:
        document.add_heading("The Independent Chair's reasons", level=2)
        for para in c["chair_rationale"]:
            document.add_paragraph(para)
    document.add_heading("What happens next", level=2)
    document.add_paragraph(c["next_step"])
    document.add_paragraph("If you have any questions about this decision, please contact the board's Business "
                           "Manager using the details above.")
    document.add_paragraph("Yours sincerely")
    signature = document.add_paragraph()
    signature.add_run(c["signer"].name).bold = True
    signature.add_run(f"\n{c['signer'].role}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def feedback_pdf(referral: Referral) -> bytes:
    c = feedback_context(referral)
    html = render_to_string("referrals/letters/feedback.html", c)
    return render_pdf(html, PdfProperties(title=f"Referral {c['reference']}: feedback to the referrer",
                                          author=c["board_name"]),
                      stylesheets=[marking_css(c["marking"]), LETTER_CSS])


def feedback_text(referral: Referral) -> str:
    """The letter as the body of an email to the referrer."""
    c = feedback_context(referral)
    parts = [c["marking"], "", f"Dear {c['referrer_name']}", "",
             f"Your referral {c['reference']} ({c['pseudonym']}): the outcome", "",
             *[t for t in (c["received"], c["considered"], c["outcome"]) if t]]
    if c["committee_rationale"]:
        parts += ["", "The SCR Committee's discussion", *c["committee_rationale"]]
    if c["chair_rationale"]:
        parts += ["", "The Independent Chair's reasons", *c["chair_rationale"]]
    parts += ["", "What happens next", c["next_step"], "",
              "If you have any questions about this decision, please contact the board's Business Manager:",
              *c["contact"], "", "Yours sincerely", c["signer"].name, c["signer"].role, "", c["marking"]]
    return "\n".join(parts)


def panel_notice_context(referral: Referral) -> dict:
    """The notice as it is sent: lead reviewers from the review's appointed members (never typed in), and the
    Sent line filled once the notice is recorded."""
    from .services import appointed_lead_reviewers

    decision = referral.decision
    notice = getattr(referral, "panel_notice", None)
    child = referral.case.subject_child
    if notice is not None and notice.lead_reviewers:
        lead_reviewers = notice.lead_reviewers.splitlines()
    else:
        lead_reviewers = appointed_lead_reviewers(decision.review) if decision.initiates_scr else []
    return {
        "board_name": referral.board.name,
        "marking": referral.board.protective_marking,
        "contact": board_contact(referral),
        "reference": referral.reference,
        "case_reference": referral.case.reference,
        "pseudonym": referral.case.pseudonym,
        "incident_date": referral.incident_date,
        "child_died": bool(child and child.date_of_death),
        "decision": decision,
        "initiating": decision.initiates_scr,
        "review": decision.review,
        "lead_reviewers": lead_reviewers,
        "notice": notice,
        "prepared_on": today(),
        "generated_at": now(),
    }


def panel_notice_pdf(referral: Referral) -> bytes:
    c = panel_notice_context(referral)
    html = render_to_string("referrals/letters/panel_notice.html", c)
    return render_pdf(html, PdfProperties(title=f"Notice to the National Panel: {c['reference']}",
                                          author=c["board_name"]),
                      stylesheets=[marking_css(c["marking"]), LETTER_CSS])
