"""The feedback letter to the referrer (Word and PDF) and the National Panel notice (PDF), from the record.

The Word template is built in code with python-docx, so there is no binary to keep in step; docxtpl fills it
with autoescaping on, so nothing typed into a referral can break or inject into the document.
"""

import io
from functools import cache

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate

from casereview.deadlines.services import board_today

from .models import Referral


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()] or [""]


def feedback_context(referral: Referral) -> dict:
    decision = referral.decision
    matrix = getattr(referral, "matrix", None)
    cir = getattr(referral, "cir_consideration", None)
    if decision.initiates_scr:
        next_step = (f"The board has initiated a {decision.review.get_type_display()} "
                     f"(reference {decision.review.reference}). The board aims to complete it within six months."
                     if decision.review else "The board has initiated a Serious Case Review.")
    else:
        next_step = ("The case did not meet the criteria for a Serious Case Review, so the board will now consider "
                     "it for a Critical Incident Review, as its framework requires.")
        if cir and cir.outcome:
            next_step = f"After considering it for a Critical Incident Review, the board decided: " \
                        f"{cir.get_outcome_display()}."
    return {
        "marking": referral.get_protective_marking_display(),
        "board_name": referral.board.name,
        "letter_date": f"{board_today():%-d %B %Y}",
        "referrer_name": referral.referrer_name,
        "referrer_role": referral.referrer_role,
        "referrer_agency": referral.referrer_agency.name,
        "reference": referral.reference,
        "case_reference": referral.case.reference,
        "pseudonym": referral.case.pseudonym,
        "referred_on": f"{referral.referred_on:%-d %B %Y}",
        "received_on": f"{referral.received_on:%-d %B %Y}" if referral.received_on else "",
        "decision": decision.get_decision_display(),
        "decided_on": f"{decision.decided_on:%-d %B %Y}",
        "recommendation": matrix.get_recommended_outcome_display() if matrix and matrix.recommended_outcome else "",
        "rationale": _paragraphs(decision.rationale),
        "next_step": next_step,
        "chair_name": str(decision.decided_by),
    }


@cache
def _feedback_template() -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_paragraph("{{ marking }}")
    doc.add_heading("{{ board_name }}", level=1)
    doc.add_paragraph("{{ letter_date }}")
    doc.add_paragraph("{{ referrer_name }}, {{ referrer_role }}, {{ referrer_agency }}")
    doc.add_heading("Your referral {{ reference }} ({{ pseudonym }}): the decision", level=2)
    doc.add_paragraph("Dear {{ referrer_name }}")
    doc.add_paragraph("Thank you for your referral of {{ referred_on }}, which the board received on "
                      "{{ received_on }}. The Serious Case Review Committee considered it using the board's "
                      "decision-making matrix{% if recommendation %} and recommended: {{ recommendation }}"
                      "{% endif %}.")
    doc.add_paragraph("On {{ decided_on }} the Independent Chair decided: {{ decision }}.")
    doc.add_heading("The reasons for the decision", level=3)
    doc.add_paragraph("{%p for para in rationale %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("What happens next", level=3)
    doc.add_paragraph("{{ next_step }}")
    doc.add_paragraph("If you have any questions about this decision, please contact the board's Business Manager.")
    doc.add_paragraph("Yours sincerely")
    doc.add_paragraph("{{ chair_name }}, Independent Chair, {{ board_name }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def feedback_docx(referral: Referral) -> bytes:
    template = DocxTemplate(io.BytesIO(_feedback_template()))
    template.render(feedback_context(referral), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only the PDF pages need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url, *args, **kwargs):
    raise ValueError("Generated documents never fetch external resources")


def feedback_pdf(referral: Referral) -> bytes:
    return _pdf("referrals/letters/feedback.html", feedback_context(referral))


def panel_notice_context(referral: Referral) -> dict:
    decision = referral.decision
    notice = getattr(referral, "panel_notice", None)
    child = referral.case.subject_child
    return {
        "board_name": referral.board.name,
        "reference": referral.reference,
        "case_reference": referral.case.reference,
        "pseudonym": referral.case.pseudonym,
        "incident_date": referral.incident_date,
        "child_died": bool(child and child.date_of_death),
        "decision": decision,
        "initiating": decision.initiates_scr,
        "review": decision.review,
        "notice": notice,
        "prepared_on": board_today(),
        "generated_at": timezone.now(),
    }


def panel_notice_pdf(referral: Referral) -> bytes:
    return _pdf("referrals/letters/panel_notice.html", panel_notice_context(referral))
