"""Excel export of every action the user may see. Every text cell goes through `neutralise`, so text that
looks like a formula ("=HYPERLINK(...)", "-1+2") reaches the reader as text."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from casereview.lib.cell_safety import neutralise

COLUMNS = [
    ("Plan", 28), ("Source", 14), ("Plan status", 22), ("Recommendation", 8), ("Recommendation text", 50),
    ("Level", 14), ("Desired outcome", 40), ("Outcome agency", 20), ("Action", 8), ("What will be done", 50),
    ("Lead agency", 20), ("Named owner", 22), ("Monitoring committee", 22), ("Start date", 12),
    ("Target date", 12), ("Revised target date", 12), ("Reasons for revision", 40), ("Status", 22),
    ("% complete", 10), ("RAG", 10), ("Overdue", 9), ("Latest narrative", 50), ("Impact measure", 40),
    ("Evaluated on", 12), ("Evaluation method", 18), ("Evaluation result", 40), ("Outcome improved", 12),
    ("Closed reason", 30),
]


def actions_workbook(actions, today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    for action in (actions.select_related("plan__monitoring_committee", "outcome__recommendation",
                                          "outcome__agency", "lead_agency", "owner", "evaluation")
                   .prefetch_related("updates", "target_revisions")):
        rec = action.outcome.recommendation
        updates = list(action.updates.all())
        evaluation = getattr(action, "evaluation", None) if action.state == "evaluated" else None
        row = [
            action.plan.title, action.plan.source_label, action.plan.get_state_display(), rec.number, rec.text,
            rec.level_label, action.outcome.text, action.outcome.agency.name, action.reference,
            action.description, action.lead_agency.name, str(action.owner),
            action.plan.monitoring_committee.name if action.plan.monitoring_committee else "",
            action.start_date, action.target_date, action.revised_target_date,
            "; ".join(f"{r.previous_date:%d/%m/%Y} to {r.new_date:%d/%m/%Y}: {r.reason}"
                      for r in action.target_revisions.all()),
            action.get_state_display(), action.percent_complete, action.rag_label if action.rag else "",
            "Yes" if action.is_overdue_on(today) else "No", updates[0].narrative if updates else "",
            action.impact_measure,
            evaluation.evaluated_on if evaluation else None,
            evaluation.get_method_display() if evaluation else "", evaluation.result if evaluation else "",
            evaluation.get_outcome_improved_display() if evaluation else "", action.closed_reason,
        ]
        sheet.append([neutralise(value) for value in row])
    for column in ("N", "O", "P", "X"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()



