"""Writes for audits: keyword-only, ``by`` first, one transaction with its audit event; checks run inside the
transaction on the locked audit or tool. A refusal is a ``LearningError`` naming what to fix."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version

from .. import library
from ..errors import LearningError
from ..grading import SCALES
from ..models import (
    Audit,
    AuditAnswer,
    AuditCase,
    AuditFinding,
    AuditQuestion,
    AuditResponse,
    AuditTheme,
    AuditTool,
)

MAX_SAMPLE = 200
MAX_SAMPLE_ADDED = 50


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _locked(audit: Audit) -> Audit:
    return Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)


def audit_tool_create(*, by, board, name: str, purpose: str = "") -> AuditTool:
    name = " ".join((name or "").split())
    if not name:
        raise LearningError("Enter the name of the tool", field="name")
    with transaction.atomic():
        if AuditTool.objects.select_for_update(of=("self",)).filter(board=board, name__iexact=name).exists():
            raise LearningError(f"There is already an audit tool called \u201c{name}\u201d", field="name")
        tool = AuditTool.objects.create(board=board, name=name, purpose=(purpose or "").strip(),
                                        created_by=_user(by))
        audit_record(by=by, action="audit_tool.created", obj=tool, board_id=board.pk, label=name)
    return tool


def audit_question_add(*, by, tool: AuditTool, text: str, scale: str) -> AuditQuestion:
    if not (text or "").strip():
        raise LearningError("Enter the question", field="text")
    if scale not in SCALES:
        raise LearningError("Choose a grading scale", field="scale")
    with transaction.atomic():
        tool = AuditTool.objects.select_for_update(of=("self",)).get(pk=tool.pk)
        if tool.audits.exclude(state=Audit.State.PLANNED).exists():
            raise LearningError("This tool has been used in an audit: create a new tool so results stay "
                                "comparable", field="text")
        number = (tool.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        question = AuditQuestion.objects.create(tool=tool, number=number, text=text.strip(), scale=scale)
        audit_record(by=by, action="audit_tool.question_added", obj=tool, board_id=tool.board_id,
                     label=tool.name, detail={"number": number})
    return question


def _add_sample(audit: Audit, count: int) -> None:
    start = audit.cases.count()
    AuditCase.objects.bulk_create([AuditCase(audit=audit, pseudonym=f"Case {n:02d}")
                                   for n in range(start + 1, start + count + 1)])


def audit_theme_add(*, by, board, title: str, single_agency: bool = False, source_label: str = "") -> AuditTheme:
    """A theme the board means to audit; it waits on the audits page until an audit is planned for it."""
    title = " ".join((title or "").split())
    if not title:
        raise LearningError("Enter what the audit is about", field="title")
    kind = Audit.Kind.SINGLE_AGENCY if single_agency else Audit.Kind.MULTI_AGENCY
    with transaction.atomic():
        theme = AuditTheme.objects.create(board=board, title=title, kind=kind, source_label=source_label[:200],
                                          created_by=_user(by))
        audit_record(by=by, action="audit_theme.added", obj=theme, board_id=board.pk, label=title[:200],
                     detail={"from": source_label})
    return theme


def audit_create(*, by, board, tool: AuditTool, title: str, kind: str, agencies, themes, audited_on: date,
                 sample_size: int, previous: Audit | None = None, audit_theme: AuditTheme | None = None) -> Audit:
    agencies, themes = list(agencies), list(themes)
    title = " ".join((title or "").split())
    if not title:
        raise LearningError("Enter the audit's title", field="title")
    if tool.board_id != board.pk or any(a.board_id != board.pk for a in agencies):
        raise LearningError("Choose the board's own audit tool and agencies", field="tool")
    if any(t.board_id != board.pk for t in themes):
        raise LearningError("Choose themes from the board's typology", field="themes")
    if not tool.questions.exists():
        raise LearningError(f"Add questions to the audit tool \u201c{tool.name}\u201d first", field="tool")
    if kind == Audit.Kind.SINGLE_AGENCY and len(agencies) != 1:
        raise LearningError("A single-agency audit needs exactly one agency", field="agencies")
    if kind == Audit.Kind.MULTI_AGENCY and len(agencies) < 2:
        raise LearningError("A multi-agency audit needs at least two agencies", field="agencies")
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise LearningError(f"The sample must be between 1 and {MAX_SAMPLE} cases", field="sample_size")
    with transaction.atomic():
        if audit_theme is not None:
            audit_theme = AuditTheme.objects.select_for_update(of=("self",)).get(pk=audit_theme.pk)
            if audit_theme.board_id != board.pk or audit_theme.audit_id:
                raise LearningError("That audit theme already has an audit: choose another", field="audit_theme")
        audit = Audit.objects.create(board=board, tool=tool, title=title, kind=kind, audited_on=audited_on,
                                     previous=previous, created_by=_user(by))
        audit.agencies.set(agencies)
        audit.themes.set(themes)
        _add_sample(audit, sample_size)
        if audit_theme is not None:
            audit_theme.audit = audit
            audit_theme.save(update_fields=["audit"])
        audit_record(by=by, action="audit.created", obj=audit,
                     detail={"tool": tool.name, "sample": sample_size, "reaudit_of": previous.pk if previous else None})
    return audit


def audit_reaudit(*, by, audit: Audit, audited_on: date, title: str = "") -> Audit:
    """Repeat an audit with the same tool, agencies and sample size, to compare the results."""
    audit = Audit.objects.get(pk=audit.pk)
    if audit.state != Audit.State.COMPLETE:
        raise LearningError("Complete the audit before planning its re-audit")
    if audited_on <= audit.audited_on:
        raise LearningError("The re-audit must be after the audit it repeats", field="audited_on")
    return audit_create(by=by, board=audit.board, tool=audit.tool, title=title or f"Re-audit: {audit.title}",
                        kind=audit.kind, agencies=audit.agencies.all(), themes=audit.themes.all(),
                        audited_on=audited_on, sample_size=audit.cases.count(), previous=audit)


def audit_sample_add(*, by, audit: Audit, count: int) -> None:
    if not 1 <= count <= MAX_SAMPLE_ADDED:
        raise LearningError(f"Add between 1 and {MAX_SAMPLE_ADDED} cases at a time", field="count")
    with transaction.atomic():
        audit = _locked(audit)
        if audit.state == Audit.State.COMPLETE:
            raise LearningError("This audit is complete", field="count")
        _add_sample(audit, count)
        audit_record(by=by, action="audit.sample_added", obj=audit, detail={"added": count})


def audit_start(*, by, audit: Audit) -> Audit:
    with transaction.atomic():
        audit = _locked(audit)
        if audit.state != Audit.State.PLANNED:
            raise LearningError("This audit has already started")
        audit.start()
        audit.save()
        audit_record(by=by, action="audit.started", obj=audit)
    return audit


def audit_answers_save(*, by, case: AuditCase, agency, answers: dict, version: int | None = None) -> None:
    """``answers`` maps each AuditQuestion to (grade code, comment); ``version`` is the agency's set of answers for
    the case as the form was opened (1 before any were saved): a stale one is refused."""
    with transaction.atomic():
        audit = _locked(case.audit)
        if audit.state != Audit.State.IN_PROGRESS:
            raise LearningError("Answers can be recorded only while the audit is in progress")
        if not audit.agencies.filter(pk=agency.pk).exists():
            raise LearningError("That agency is not part of this audit")
        response, _ = AuditResponse.objects.get_or_create(case=case, agency=agency)
        claim_version(response, version, "set of answers")
        for question, (grade, comment) in answers.items():
            if question.tool_id != audit.tool_id or SCALES[question.scale].grade(grade) is None:
                raise LearningError(f"Choose a grade for question {question.number}")
            AuditAnswer.objects.update_or_create(case=case, agency=agency, question=question, defaults={
                "grade": grade, "comment": (comment or "").strip(), "answered_by": _user(by)})
        audit_record(by=by, action="audit.answers_recorded", obj=audit,
                     detail={"case": case.pseudonym, "agency": agency.short_code})


def audit_complete(*, by, audit: Audit) -> Audit:
    with transaction.atomic():
        audit = _locked(audit)
        if audit.state != Audit.State.IN_PROGRESS:
            raise LearningError("Only an audit in progress can be completed")
        if not AuditAnswer.objects.filter(case__audit=audit).exists():
            raise LearningError("Record answers for at least one case before completing the audit")
        audit.complete()
        audit.save()
        audit_record(by=by, action="audit.completed", obj=audit)
    return audit


def audit_finding_add(*, by, audit: Audit, text: str, improvement: bool) -> AuditFinding:
    if not (text or "").strip():
        raise LearningError("Enter the finding", field="text")
    with transaction.atomic():
        finding = AuditFinding.objects.create(audit=audit, text=text.strip(), improvement=improvement,
                                              created_by=_user(by))
        library.index_audit_finding(finding)
        audit_record(by=by, action="audit.finding_added", obj=audit)
    return finding
