"""Reads for audits, scoped to the requesting person's board (another board's audit or tool is a 404), and
the results worked out from the answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from casereview.core.permissions import is_board_member

from ..charts import bar_chart
from ..grading import SCALES
from ..models import Audit, AuditAnswer, AuditCase, AuditFinding, AuditTheme, AuditTool
from ..permissions import can_answer_audit_for, can_lead_learning
from ..plans import plan_for


def _board_id(user) -> int | None:
    return user.board_id if is_board_member(user) else None


def _one(queryset, pk, what: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}")
    return found


def audit_tools_for(user) -> QuerySet[AuditTool]:
    return AuditTool.objects.filter(board_id=_board_id(user)).annotate(question_count=Count("questions"))


def audit_tool_get_for_user(user, tool_id: int) -> AuditTool:
    return _one(audit_tools_for(user), tool_id, "audit tool")


def audits_for(user) -> QuerySet[Audit]:
    return Audit.objects.filter(board_id=_board_id(user)).select_related("tool", "previous").prefetch_related(
        "agencies", "themes")


def audit_get_for_user(user, audit_id: int) -> Audit:
    return _one(audits_for(user), audit_id, "audit")


def audit_case_get_for_user(user, audit_id: int, case_id: int, agency_id: int):
    """The case and agency of one answer sheet, or a 404 when either is not part of the person's audit."""
    audit = audit_get_for_user(user, audit_id)
    case = AuditCase.objects.filter(audit=audit, pk=case_id).select_related("audit__tool").first()
    agency = audit.agencies.filter(pk=agency_id).first()
    if case is None or agency is None:
        raise Http404("Not part of this audit")
    return audit, case, agency


@dataclass
class QuestionResult:
    number: int
    text: str
    scale: str
    answered: int
    meeting: int
    not_applicable: int
    previous_percent: float | None = None

    @property
    def percent(self) -> float | None:
        return round(100 * self.meeting / self.answered, 1) if self.answered else None

    @property
    def change(self) -> float | None:
        if self.percent is None or self.previous_percent is None:
            return None
        return round(self.percent - self.previous_percent, 1)


def audit_results(audit: Audit, *, compare: bool = True) -> list[QuestionResult]:
    """Per question: how many answers met the standard, as a percentage of those that applied; for a
    re-audit, the previous audit's percentage beside it."""
    answers = AuditAnswer.objects.filter(case__audit=audit).values_list("question_id", "grade")
    questions = list(audit.tool.questions.all())
    results = {q.pk: QuestionResult(q.number, q.text, SCALES[q.scale].label, 0, 0, 0) for q in questions}
    scale_of = {q.pk: SCALES[q.scale] for q in questions}
    for question_id, grade_code in answers:
        grade = scale_of[question_id].grade(grade_code)
        result = results[question_id]
        if grade is None or grade.meets is None:
            result.not_applicable += 1
            continue
        result.answered += 1
        result.meeting += 1 if grade.meets else 0
    ordered = [results[q.pk] for q in questions]
    if compare and audit.previous_id:
        before = {r.number: r.percent for r in audit_results(audit.previous, compare=False)}
        for result in ordered:
            result.previous_percent = before.get(result.number)
    return ordered


def audit_answer_grid(audit: Audit) -> dict[tuple[int, int], int]:
    """How many questions are answered, by (case id, agency id)."""
    rows = AuditAnswer.objects.filter(case__audit=audit).values("case_id", "agency_id").annotate(n=Count("id"))
    return {(r["case_id"], r["agency_id"]): r["n"] for r in rows}


def audit_actions(user, audit: Audit) -> set[str]:
    """What the audit's page offers this person, decided here rather than in the template."""
    if not can_lead_learning(user):
        return set()
    actions = {"add_finding", "plan"}
    if audit.state == Audit.State.PLANNED:
        actions.add("start")
    if audit.state != Audit.State.COMPLETE:
        actions.add("add_sample")
    if audit.state == Audit.State.IN_PROGRESS:
        actions.add("complete")
    if audit.state == Audit.State.COMPLETE:
        actions.add("reaudit")
    return actions


def audit_page(user, audit: Audit) -> dict:
    agencies = list(audit.agencies.all())
    grid = audit_answer_grid(audit)
    answering = audit.state == Audit.State.IN_PROGRESS
    cases = [{"case": c, "cells": [{"agency": a, "answered": grid.get((c.pk, a.pk), 0),
                                    "can_answer": answering and can_answer_audit_for(user, audit, a)}
                                   for a in agencies]}
             for c in audit.cases.all()]
    results = audit_results(audit)
    chart = [(f"Q{r.number}", int(r.percent)) for r in results if r.percent is not None]
    return {"audit": audit, "agencies": agencies, "cases": cases, "question_count": audit.tool.questions.count(),
            "results": results, "findings": audit.findings.all(), "plan": plan_for("audit", audit.pk),
            "chart": bar_chart(chart, title="Percentage meeting the standard, by question"),
            "reaudits": audit.reaudits.all(), "actions": audit_actions(user, audit)}


def audit_improvements(audit: Audit) -> list[str]:
    return list(AuditFinding.objects.filter(audit=audit, improvement=True).values_list("text", flat=True))


def audit_themes_waiting(user) -> QuerySet[AuditTheme]:
    """Themes the board means to audit that have no audit planned yet, oldest first."""
    return AuditTheme.objects.filter(board_id=_board_id(user), audit__isnull=True)
