from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from casereview.core.access import allowed_if
from casereview.core.permissions import is_board_member
from casereview.partnership.models import Agency
from casereview.reviews.models import Recommendation
from casereview.reviews.selectors import reviews_visible_to

from . import permissions as perms
from . import reports, selectors, services
from .export import actions_workbook
from .forms import (
    ActionForm,
    EvaluationForm,
    HandoverForm,
    OutcomeForm,
    PlanCloseForm,
    PlanFromOtherForm,
    PlanFromReviewForm,
    ReasonForm,
    UpdateForm,
)
from .models import ActionPlan, DesiredOutcome
from .rollups import summarise, summarise_by

# Upon approval of the overview report the SCR Committee turns recommendations into outcomes (seed s.8).
PLANNABLE_REVIEW_STATUSES = ("completed", "approved", "published", "not_published")


def _today():
    return timezone.localdate()


@allowed_if(is_board_member)
def plan_list(request: HttpRequest) -> HttpResponse:
    today = _today()
    plans = list(selectors.plans_visible_to(request.user).select_related("monitoring_committee"))
    actions = list(selectors.actions_visible_to(request.user))
    by_plan = {s.label: s for s in summarise_by(actions, today, key=lambda a: a.plan_id,
                                                label=lambda a: a.plan_id)}
    rows = [(plan, by_plan.get(plan.pk) or summarise([], today)) for plan in plans]
    live = [a for a in actions if a.plan.is_live]
    return render(request, "actions/plan_list.html", {
        "rows": rows, "board_summary": summarise(live, today, "Board"),
        "by_agency": sorted(summarise_by(live, today, key=lambda a: a.lead_agency_id,
                                         label=lambda a: a.lead_agency.name), key=lambda s: s.label),
        "can_create": perms.manages_plans(request.user), "can_read_reports": perms.can_read_reports(request.user),
    })


def _plannable_reviews(user):
    has_recs = Exists(Recommendation.objects.filter(review=OuterRef("pk")))
    has_plan = Exists(ActionPlan.objects.filter(review=OuterRef("pk")))
    return (reviews_visible_to(user).filter(status__in=PLANNABLE_REVIEW_STATUSES)
            .filter(has_recs).exclude(has_plan).order_by("reference"))


@allowed_if(perms.manages_plans)
def plan_create(request: HttpRequest) -> HttpResponse:
    review_form = PlanFromReviewForm(request.POST if request.POST.get("from") == "review" else None,
                                     reviews=_plannable_reviews(request.user), prefix="review")
    other_form = PlanFromOtherForm(request.POST if request.POST.get("from") == "other" else None, prefix="other")
    if request.method == "POST":
        plan = None
        try:
            if request.POST.get("from") == "review" and review_form.is_valid():
                plan = services.plan_create_from_review(by=request.user, review=review_form.cleaned_data["review"])
            elif request.POST.get("from") == "other" and other_form.is_valid():
                data = other_form.cleaned_data
                plan = services.plan_create(
                    by=request.user, board=request.user.board, source_type=data["source_type"],
                    source_label=data["source_label"],
                    recommendations=[{"number": i, "text": t} for i, t in enumerate(data["recommendations"], 1)])
        except services.PlanError as error:
            review_form.add_error(None, str(error))
        if plan is not None:
            messages.success(request, f"Action plan opened for {plan.source_label}. Add the desired outcomes.")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/plan_create.html", {"review_form": review_form, "other_form": other_form,
                                                         "forms": [review_form, other_form]})


@allowed_if(is_board_member)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    today = _today()
    user = request.user
    recommendations = []
    all_actions = []
    for rec in selectors.plan_structure(plan):
        outcomes = []
        rec_actions = []
        for outcome in rec.outcomes.all():
            actions = [(a, perms.can_update_action(user, a), perms.can_edit_action(user, a))
                       for a in outcome.actions.all()]
            rec_actions += [a for a, *_ in actions]
            outcomes.append({"outcome": outcome, "actions": actions,
                             "can_propose": perms.can_propose_action(user, outcome)})
        all_actions += rec_actions
        recommendations.append({"rec": rec, "outcomes": outcomes,
                                "summary": summarise(rec_actions, today)})
    cycle = selectors.current_cycle(plan, today) if plan.state == ActionPlan.State.MONITORING else None
    manages = perms.manages_plans(user)
    return render(request, "actions/plan_detail.html", {
        "plan": plan, "recommendations": recommendations, "summary": summarise(all_actions, today),
        "cycle": cycle, "today": today, "cycles": plan.cycles.all(),
        "can_add_outcomes": manages and plan.is_editable,
        "can_submit": manages and plan.state == ActionPlan.State.DRAFT,
        "gaps": services.plan_gaps(plan) if plan.state == ActionPlan.State.DRAFT else [],
        "can_approve": manages and plan.state == ActionPlan.State.AWAITING_APPROVAL,
        "can_hand_over": perms.can_hand_over(user) and plan.state == ActionPlan.State.APPROVED,
        "can_close": perms.monitors_plans(user) and plan.state == ActionPlan.State.MONITORING,
    })


def _plan_for_manager(request, plan_id):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not perms.manages_plans(request.user):
        raise PermissionDenied
    return plan


@allowed_if(is_board_member)
def outcome_add(request: HttpRequest, plan_id: int, rec_id: int) -> HttpResponse:
    plan = _plan_for_manager(request, plan_id)
    rec = plan.recommendations.filter(pk=rec_id).select_related("review_recommendation").first()
    if rec is None:
        raise Http404("No recommendation found")
    if not plan.is_editable:
        messages.error(request, "Desired outcomes can only be added while the plan is being drafted")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    suggested = list(rec.review_recommendation.target_agencies.all()) if rec.review_recommendation else []
    form = OutcomeForm(request.POST or None, board=plan.board, suggested=suggested,
                       initial={"agency": suggested[0].pk} if len(suggested) == 1 else None)
    if request.method == "POST" and form.is_valid():
        services.outcome_add(by=request.user, recommendation=rec, **form.cleaned_data)
        messages.success(request, f"Desired outcome added for {form.cleaned_data['agency']}")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/outcome_form.html", {"plan": plan, "rec": rec, "form": form})


@allowed_if(is_board_member)
@require_POST
def outcome_remove(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    plan = _plan_for_manager(request, plan_id)
    outcome = DesiredOutcome.objects.filter(recommendation__plan=plan, pk=outcome_id).select_related(
        "agency", "recommendation__plan").first()
    if outcome is None:
        raise Http404("No outcome found")
    try:
        services.outcome_remove(by=request.user, outcome=outcome)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Desired outcome for {outcome.agency} removed")
    return redirect("actions:plan_detail", plan_id=plan.pk)


def _agencies_for_proposer(user, outcome):
    if perms.manages_plans(user):
        return Agency.objects.filter(board_id=user.board_id, active=True)
    return Agency.objects.filter(pk=user.agency_id)


@allowed_if(is_board_member)
def action_propose(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    outcome = DesiredOutcome.objects.filter(recommendation__plan=plan, pk=outcome_id).select_related(
        "agency", "recommendation__plan").first()
    if outcome is None:
        raise Http404("No outcome found")
    if not perms.can_propose_action(request.user, outcome):
        raise PermissionDenied
    form = ActionForm(request.POST or None, board=plan.board, agencies=_agencies_for_proposer(request.user, outcome),
                      initial={"lead_agency": outcome.agency_id})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_propose(by=request.user, outcome=outcome, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action {action.reference} proposed")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/action_form.html", {"plan": plan, "outcome": outcome, "form": form})


@allowed_if(is_board_member)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    if not perms.can_edit_action(request.user, action):
        raise PermissionDenied
    initial = {f: getattr(action, f) for f in ("description", "start_date", "target_date", "impact_measure")}
    initial.update(lead_agency=action.lead_agency_id, owner=action.owner_id)
    form = ActionForm(request.POST or None, board=action.plan.board, initial=initial,
                      agencies=_agencies_for_proposer(request.user, action.outcome))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(by=request.user, action=action, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action {action.reference} saved")
            return redirect("actions:plan_detail", plan_id=action.plan_id)
    return render(request, "actions/action_form.html", {"plan": action.plan, "outcome": action.outcome,
                                                         "form": form, "action": action})


@allowed_if(is_board_member)
@require_POST
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_manager(request, plan_id)
    return _transition_or_message(request, plan, lambda: services.plan_submit(by=request.user, plan=plan),
                                  "Plan sent to the SCR Committee for approval")


def _transition_or_message(request, plan, run, success: str) -> HttpResponse:
    try:
        run()
    except services.PlanError as error:
        messages.error(request, str(error))
    except TransitionNotAllowed:
        messages.error(request, f"This cannot be done while the plan is {plan.get_state_display().lower()}")
    else:
        messages.success(request, success)
    return redirect("actions:plan_detail", plan_id=plan.pk)


@allowed_if(is_board_member)
@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_manager(request, plan_id)
    return _transition_or_message(request, plan, lambda: services.plan_approve(by=request.user, plan=plan),
                                  "Plan approved. Record the handover to the Performance Committee next.")


@allowed_if(is_board_member)
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_manager(request, plan_id)
    if plan.state != ActionPlan.State.AWAITING_APPROVAL:
        messages.error(request, "Only a plan awaiting approval can be returned")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = ReasonForm(request.POST or None, label="What needs to change?",
                      required_message="Enter what needs to change before the plan can be approved")
    if request.method == "POST" and form.is_valid():
        return _transition_or_message(
            request, plan, lambda: services.plan_return(by=request.user, plan=plan, reason=form.cleaned_data["reason"]),
            "Plan returned for changes")
    return render(request, "actions/simple_form.html", {
        "plan": plan, "form": form, "heading": "Return the plan for changes", "button": "Return plan"})


@allowed_if(is_board_member)
def plan_handover(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not perms.can_hand_over(request.user):
        raise PermissionDenied
    if plan.state != ActionPlan.State.APPROVED:
        messages.error(request, "Only an approved plan can be handed over")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = HandoverForm(request.POST or None, board=plan.board, initial={"handed_over_on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_hand_over(by=request.user, plan=plan, committee=data["committee"],
                                    on=data["handed_over_on"], note=data["note"])
        except services.PlanError as error:
            form.add_error("handed_over_on", str(error))
        else:
            messages.success(request, f"Oversight handed to the {data['committee']}")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/simple_form.html", {
        "plan": plan, "form": form, "heading": "Hand over oversight", "button": "Record handover",
        "intro": "Once approved by the SCR Committee, oversight of the plan passes to the Performance Committee "
                 "(seed section 8). Quarterly updates are due every three months from the handover date."})


@allowed_if(is_board_member)
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not perms.monitors_plans(request.user):
        raise PermissionDenied
    if plan.state != ActionPlan.State.MONITORING:
        messages.error(request, "Only a plan being monitored can be closed")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = PlanCloseForm(request.POST or None)
    open_actions = []
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(by=request.user, plan=plan, note=form.cleaned_data["note"])
        except services.PlanCloseRefused as refused:
            open_actions = refused.open_actions
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Plan closed")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/plan_close.html", {"plan": plan, "form": form, "open_actions": open_actions})


@allowed_if(is_board_member)
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    user = request.user
    return render(request, "actions/action_detail.html", {
        "action": action, "plan": action.plan, "today": _today(),
        "updates": action.updates.select_related("submitted_by", "cycle").prefetch_related("evidence"),
        "evidence": action.evidence.select_related("uploaded_by"),
        "revisions": action.target_revisions.select_related("revised_by"),
        "evaluation": getattr(action, "evaluation", None),
        "can_update": perms.can_update_action(user, action),
        "can_evaluate": perms.can_evaluate_action(user, action),
        "can_close": perms.can_close_action(user, action),
    })


@allowed_if(is_board_member)
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    if not perms.can_update_action(request.user, action):
        raise PermissionDenied
    form = UpdateForm(request.POST or None, request.FILES or None, action=action,
                      initial={"percent_complete": action.percent_complete, "rag": action.rag or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update_submit(
                by=request.user, action=action, status=data["status"], percent_complete=data["percent_complete"],
                rag=data["rag"], narrative=data["narrative"],
                uploads=[services.Upload(name, content) for name, content in data["evidence"]],
                evidence_description=data["evidence_description"],
                revised_target_date=data["revised_target_date"], revision_reason=data["revision_reason"])
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Update for action {action.reference} saved")
            return redirect("actions:action_detail", action_id=action.pk)
    return render(request, "actions/update_form.html", {"action": action, "plan": action.plan, "form": form})


@allowed_if(is_board_member)
def action_evaluate(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    if not perms.can_evaluate_action(request.user, action):
        raise PermissionDenied
    evaluation = getattr(action, "evaluation", None)
    initial = ({"evaluated_on": evaluation.evaluated_on, "method": evaluation.method, "result": evaluation.result,
                "outcome_improved": evaluation.outcome_improved} if evaluation else {"evaluated_on": _today()})
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_evaluate(by=request.user, action=action, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error("evaluated_on", str(error))
        else:
            messages.success(request, f"Impact evaluation recorded for action {action.reference}")
            return redirect("actions:action_detail", action_id=action.pk)
    return render(request, "actions/simple_form.html", {
        "plan": action.plan, "action": action, "form": form, "heading": f"Evaluate the impact of {action}",
        "button": "Save evaluation", "intro": f"Impact measure: {action.impact_measure}"})


@allowed_if(is_board_member)
def action_close(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    if not perms.can_close_action(request.user, action):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label="Why is this action closing without being completed?",
                      required_message="Enter the reason the action is closing",
                      hint="For example, superseded by a national change. The Performance Committee sees this.")
    if request.method == "POST" and form.is_valid():
        services.action_close(by=request.user, action=action, reason=form.cleaned_data["reason"])
        messages.success(request, f"Action {action.reference} closed")
        return redirect("actions:action_detail", action_id=action.pk)
    return render(request, "actions/simple_form.html", {
        "plan": action.plan, "action": action, "form": form, "heading": f"Close {action} without completion",
        "button": "Close action"})


@allowed_if(is_board_member)
def evidence_download(request: HttpRequest, action_id: int, evidence_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    evidence = selectors.evidence_get_for_user(request.user, action, evidence_id)
    services.evidence_viewed(by=request.user, evidence=evidence)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@allowed_if(perms.can_read_reports)
def report_overview(request: HttpRequest) -> HttpResponse:
    today = _today()
    return render(request, "actions/reports.html", {
        "reports": [reports.build(request.user, kind, today) for kind in reports.KINDS],
    })


DOWNLOADS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", reports.as_docx),
    "pdf": ("application/pdf", reports.as_pdf),
}


@allowed_if(perms.can_read_reports)
def report_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    if kind not in reports.KINDS or file_format not in DOWNLOADS:
        raise Http404("No such report")
    today = _today()
    report = reports.build(request.user, kind, today)
    content_type, make = DOWNLOADS[file_format]
    body = make(report)
    services.report_downloaded(by=request.user, report=kind, file_format=file_format, rows=len(report.rows))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}-report-{today:%Y-%m-%d}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


@allowed_if(perms.can_read_reports)
def export_actions(request: HttpRequest) -> HttpResponse:
    today = _today()
    actions = selectors.actions_visible_to(request.user).order_by(
        "plan__source_label", "outcome__recommendation__number", "number")
    body = actions_workbook(actions, today)
    services.report_downloaded(by=request.user, report="actions-export", file_format="xlsx", rows=actions.count())
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="actions-{today:%Y-%m-%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
