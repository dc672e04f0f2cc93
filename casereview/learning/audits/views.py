"""Pages for audits and audit tools: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.partnership.models import Agency
from casereview.typology.selectors import themes_in_use_for

from ..grading import SCALES
from ..models import Audit, AuditAnswer, AuditResponse
from ..permissions import can_answer_audit_for, can_lead_learning, can_use_library
from ..plans import plan_open
from ..view_helpers import form_page, posted
from ..words import plural
from . import selectors, services
from .forms import (
    AnswersForm,
    AuditFindingForm,
    AuditForm,
    AuditQuestionForm,
    AuditToolForm,
    ReauditForm,
    SampleForm,
)


def _back(audit):
    return {"back_url": reverse("learning:audit_detail", args=[audit.pk]), "back_text": audit.title}


@allowed_if(can_use_library)
def audit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/audit_list.html", {
        "audits": selectors.audits_for(request.user), "tools": selectors.audit_tools_for(request.user),
        "waiting": selectors.audit_themes_waiting(request.user), "can_lead": can_lead_learning(request.user)})


@allowed_if(can_lead_learning)
def tool_create(request: HttpRequest) -> HttpResponse:
    form = AuditToolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, tool = apply_service(form, services.audit_tool_create, by=request.user, board=request.user.board,
                                 **form.cleaned_data)
        if ok:
            messages.success(request, "Audit tool created: add its questions")
            return redirect("learning:tool_detail", tool_id=tool.pk)
    return form_page(request, form=form, title="Create an audit tool", back_url=reverse("learning:audit_list"),
                     back_text="Audits", button="Create the tool")


@allowed_if(can_use_library)
def tool_detail(request: HttpRequest, tool_id: int) -> HttpResponse:
    tool = selectors.audit_tool_get_for_user(request.user, tool_id)
    questions = [(q, SCALES[q.scale]) for q in tool.questions.all()]
    form = AuditQuestionForm() if can_lead_learning(request.user) else None
    return render(request, "learning/tool_detail.html", {"tool": tool, "questions": questions, "form": form})


@allowed_if(can_lead_learning)
@require_POST
def tool_question_add(request: HttpRequest, tool_id: int) -> HttpResponse:
    tool = selectors.audit_tool_get_for_user(request.user, tool_id)
    form = AuditQuestionForm(request.POST)
    if form.is_valid():
        ok, _ = apply_service(form, services.audit_question_add, by=request.user, tool=tool, **form.cleaned_data)
        if ok:
            messages.success(request, "Question added")
            return redirect("learning:tool_detail", tool_id=tool.pk)
    questions = [(q, SCALES[q.scale]) for q in tool.questions.all()]
    return render(request, "learning/tool_detail.html", {"tool": tool, "questions": questions, "form": form})


@allowed_if(can_lead_learning)
def audit_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AuditForm(posted(request), tools=selectors.audit_tools_for(user).filter(question_count__gt=0),
                     agencies=Agency.objects.filter(board_id=user.board_id, active=True),
                     themes=themes_in_use_for(user), audit_themes=selectors.audit_themes_waiting(user),
                     initial={"audit_theme": request.GET.get("theme")})
    if request.method == "POST" and form.is_valid():
        ok, audit = apply_service(form, services.audit_create, by=user, board=user.board, **form.cleaned_data)
        if ok:
            messages.success(request, f"Audit planned with {plural(audit.cases.count(), 'case')} in the sample")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return form_page(request, form=form, title="Plan an audit", back_url=reverse("learning:audit_list"),
                     back_text="Audits", button="Plan the audit", intro="Only tools with questions can be used.")


@allowed_if(can_use_library)
def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for_user(request.user, audit_id)
    return render(request, "learning/audit_detail.html", selectors.audit_page(request.user, audit))


def _audit_post(request, audit_id, service, done):
    audit = selectors.audit_get_for_user(request.user, audit_id)
    try:
        service(by=request.user, audit=audit)
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, done)
    return redirect("learning:audit_detail", audit_id=audit.pk)


@allowed_if(can_lead_learning)
@require_POST
def audit_start(request: HttpRequest, audit_id: int) -> HttpResponse:
    return _audit_post(request, audit_id, services.audit_start, "Audit started: agencies can now record answers")


@allowed_if(can_lead_learning)
@require_POST
def audit_complete(request: HttpRequest, audit_id: int) -> HttpResponse:
    return _audit_post(request, audit_id, services.audit_complete, "Audit complete")


@allowed_if(can_lead_learning)
def audit_sample(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for_user(request.user, audit_id)
    form = SampleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.audit_sample_add, by=request.user, audit=audit, **form.cleaned_data)
        if ok:
            messages.success(request, "Cases added to the sample")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return form_page(request, form=form, title="Add cases to the sample", caption=audit.title, button="Add",
                     **_back(audit))


@allowed_if(can_use_library)
def audit_answers(request: HttpRequest, audit_id: int, case_id: int, agency_id: int) -> HttpResponse:
    audit, case, agency = selectors.audit_case_get_for_user(request.user, audit_id, case_id, agency_id)
    if not can_answer_audit_for(request.user, audit, agency):
        raise PermissionDenied  # every agency sees the audit's results, but grades only for itself
    if audit.state != Audit.State.IN_PROGRESS:
        messages.error(request, "Answers can be recorded only while the audit is in progress")
        return redirect("learning:audit_detail", audit_id=audit.pk)
    current = {a.question_id: (a.grade, a.comment) for a in AuditAnswer.objects.filter(case=case, agency=agency)}
    response = AuditResponse.objects.filter(case=case, agency=agency).first()
    form = AnswersForm(posted(request), questions=audit.tool.questions.all(), current=current,
                       initial={"version": response.version if response else 1})
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.audit_answers_save, by=request.user, case=case, agency=agency,
                              answers=form.answers(), version=form.cleaned_data["version"])
        if ok:
            messages.success(request, f"Answers for {case.pseudonym} from {agency.name} saved")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return form_page(request, form=form, title=f"{case.pseudonym}: {agency.name}", caption=audit.title,
                     button="Save the answers", **_back(audit))


@allowed_if(can_lead_learning)
def audit_finding_add(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for_user(request.user, audit_id)
    form = AuditFindingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.audit_finding_add, by=request.user, audit=audit, **form.cleaned_data)
        if ok:
            messages.success(request, "Finding recorded: it is in the library")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return form_page(request, form=form, title="Record a finding", caption=audit.title, button="Record",
                     **_back(audit))


@allowed_if(can_lead_learning)
def audit_reaudit(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for_user(request.user, audit_id)
    form = ReauditForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, new = apply_service(form, services.audit_reaudit, by=request.user, audit=audit, **form.cleaned_data)
        if ok:
            messages.success(request, "Re-audit planned with the same tool, agencies and sample size")
            return redirect("learning:audit_detail", audit_id=new.pk)
    return form_page(request, form=form, title="Plan a re-audit", caption=audit.title, button="Plan the re-audit",
                     intro="Results will be shown beside this audit's, question by question.", **_back(audit))


@allowed_if(can_lead_learning)
@require_POST
def audit_plan(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for_user(request.user, audit_id)
    try:
        plan, created = plan_open(
            by=request.user, board=request.user.board, source_type="audit", source_id=audit.pk,
            label=f"Audit: {audit.title}", items=selectors.audit_improvements(audit),
            nothing_yet="Record an area for improvement first: each becomes a line of the plan")
    except ServiceError as error:
        refuse(request, error)
        return redirect("learning:audit_detail", audit_id=audit.pk)
    if created:
        messages.success(request, "Action plan opened: add desired outcomes and actions, then submit it for "
                                  "approval")
    return redirect("actions:plan_detail", plan_id=plan.pk)
