"""Impact evaluation, closing a plan, and the reports (Word, PDF, Excel) with their charts."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from casereview.actions import services
from casereview.actions.charts import Bar, rag_svg
from casereview.actions.models import Action, ActionPlan
from casereview.audit.models import AuditEvent
from tests.actions.factories import monitored_plan, perf_chair


@pytest.fixture
def plan(world):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        return monitored_plan(world, handover=date(2026, 1, 31), start=date(2026, 2, 1), target=date(2026, 6, 30))


def _complete(world, action, **kwargs):
    return services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                         status="complete", percent_complete=100, rag="green", narrative="", **kwargs)


def test_impact_is_evaluated_after_completion(world, as_user, plan):
    action = plan.actions.first()
    client = as_user(perf_chair(world))
    assert client.get(reverse("actions:action_evaluate", args=[action.pk])).status_code == 404  # not complete yet
    _complete(world, action)
    url = reverse("actions:action_evaluate", args=[action.pk])
    page = client.post(url, {"result": ""}).content.decode()
    assert "Enter the date of the evaluation" in page and "Choose how impact was evaluated" in page
    assert "Choose whether the outcome for children improved" in page
    client.post(url, {"evaluated_on_0": "2", "evaluated_on_1": "1", "evaluated_on_2": "2000", "method": "survey",
                      "result": "x", "outcome_improved": "yes"})
    assert Action.objects.get(pk=action.pk).state == "complete"
    today = date.today()
    response = client.post(url, {"evaluated_on_0": today.day, "evaluated_on_1": today.month,
                                 "evaluated_on_2": today.year, "method": "practitioner_feedback",
                                 "result": "Practitioners now escalate", "outcome_improved": "yes"})
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert action.state == "evaluated" and action.evaluation.method == "practitioner_feedback"


def test_a_plan_with_open_actions_cannot_close_and_says_which(world, as_user, plan):
    first, second = plan.actions.order_by("outcome__recommendation__number")
    _complete(world, first)
    client = as_user(world.manager)
    page = client.post(reverse("actions:plan_close", args=[plan.pk]), {"note": "Done"}).content.decode()
    assert "The plan cannot close while actions are open: 1.1, 2.1" in page
    assert "Action 1.1</a>: Complete, impact not yet evaluated" in page
    assert ActionPlan.objects.get(pk=plan.pk).state == "monitoring"
    services.action_evaluate(by=world.manager, action=Action.objects.get(pk=first.pk), evaluated_on=date.today(),
                             method="audit", result="Better", outcome_improved="yes")
    page = client.post(reverse("actions:action_close", args=[second.pk]), {"reason": ""}).content.decode()
    assert "Enter the reason the action is closing" in page
    client.post(reverse("actions:action_close", args=[second.pk]), {"reason": "Superseded by national guidance"})
    response = client.post(reverse("actions:plan_close", args=[plan.pk]), {"note": "All done"})
    assert response.status_code == 302
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.state == "closed" and plan.closure_note == "All done"


def test_the_chart_is_accessible_svg_with_escaped_labels():
    svg = rag_svg("RAG by plan", [Bar("<Plan & co>", {"red": 2, "green": 1})], "c1")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert "&lt;Plan &amp; co&gt;" in svg and "<Plan &" not in svg
    assert "&lt;Plan &amp; co&gt;: 2 red, 0 amber, 1 green, 0 blue, 0 not yet reported" in svg


def test_the_reports_page_shows_charts_with_their_data(world, as_user, plan):
    with time_machine.travel(date(2026, 7, 5), tick=False):
        action = plan.actions.first()
        services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                      status="in_progress", percent_complete=30, rag="red", narrative="Staff shortage")
        page = as_user(world.manager).get(reverse("actions:reports")).content.decode()
    assert page.count("<svg") == 4
    assert "RAG status by plan (data)" in page and "RAG status by lead agency (data)" in page
    assert "Staff shortage" in page and "Overdue by 5 days" in page


def test_reports_download_as_word_and_pdf_and_are_audited(world, as_user, plan):
    action = plan.actions.first()
    with time_machine.travel(date(2026, 7, 5), tick=False):
        services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk),
                                      status="in_progress", percent_complete=30, rag="amber",
                                      narrative="<w:p>Injected & unescaped</w:p>")
        client = as_user(world.manager)
        word = client.get(reverse("actions:report_download", args=["executive", "docx"]))
        pdf = client.get(reverse("actions:report_download", args=["exception", "pdf"]))
    assert word.status_code == 200 and pdf.status_code == 200
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Summary report for the Executive: reviews and action plans" in text
    assert "Outstanding and overdue actions" in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"  # the board's marking
    assert document.core_properties.author == "Testshire Safeguarding Children Board"
    assert "<w:p>Injected & unescaped</w:p>" in cells  # escaped into the document, shown as typed
    assert "TREV-1" in cells and len(document.inline_shapes) == 2  # the two charts
    assert pdf.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="action_plan.report_downloaded").count() == 2


def test_unknown_report_formats_are_not_found(world, as_user):
    assert as_user(world.manager).get(reverse("actions:report_download", args=["executive", "exe"])).status_code == 404


def test_the_excel_export_neutralises_formulas_and_is_audited(world, as_user, plan):
    action = plan.actions.first()
    services.action_update_submit(by=world.author_a, action=Action.objects.get(pk=action.pk), status="in_progress",
                                  percent_complete=30, rag="amber", narrative="=HYPERLINK(\"http://x\")")
    response = as_user(world.manager).get(reverse("actions:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [c.value for c in sheet[1]]
    narrative = sheet.cell(row=2, column=headings.index("Latest narrative") + 1)
    assert narrative.value == "'=HYPERLINK(\"http://x\")" and narrative.data_type == "s"
    assert sheet.max_row == 3
    assert AuditEvent.objects.filter(action="action_plan.report_downloaded", object_id="actions-export").exists()


def test_the_executive_report_shows_the_progress_of_scrs_and_cirs(world, as_user, plan):
    from casereview.reviews.models import Review
    from tests.actions.factories import review

    review(world, reference="SCR-OPEN", status=Review.Status.ANALYSIS)
    review(world, reference="CIR-OPEN", status=Review.Status.REPORT_QA, type=Review.Type.CIR)
    review(world, reference="LR-OPEN", status=Review.Status.ANALYSIS, type=Review.Type.LEARNING_REVIEW)
    with time_machine.travel(date(2026, 7, 5), tick=False):
        page = as_user(world.manager).get(reverse("actions:reports")).content.decode()
        word = as_user(world.manager).get(reverse("actions:report_download", args=["executive", "docx"]))
    assert "Serious Case Reviews and Critical Incident Reviews in progress" in page
    assert "SCR-OPEN" in page and "CIR-OPEN" in page and "Report in quality assurance" in page
    assert "LR-OPEN" not in page  # learning reviews are not in the Executive's case progress
    assert "TREV-1" not in page.split("in progress</h3>")[1].split("Action plans</h3>")[0]  # already approved
    cells = "\n".join(c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells)
    assert "SCR-OPEN" in cells and "Not yet opened" in cells
