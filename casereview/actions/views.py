from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.core.permissions import can_manage_board, is_board_member
from casereview.lib.dates import today as board_today
from casereview.partnership.models import Agency
from casereview.partnership.selectors import agencies_without_recipient
from casereview.reviews.models import Recommendation, Review
from casereview.reviews.selectors import reviews_visible_to

from . import permissions as perms
from . import reports, selectors, services
from .export import actions_workbook
from .forms import (
    ActionEditForm,
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
from .models import ActionPlan
from .rollups import summarise, summarise_by

# Upon approval of the overview report the SCR Committee turns recommendations into outcomes (seed s.8).
PLANNABLE_REVIEW_STATUSES = (Review.Status.APPROVED, Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED)


@allowed_if(is_board_member)
def plan_list(request: HttpRequest) -> HttpResponse:
    today = board_today()
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
    chosen = request.POST.get("from")
    review_form = PlanFromReviewForm(request.POST if chosen == "review" else None,
                                     reviews=_plannable_reviews(request.user), prefix="review")
    other_form = PlanFromOtherForm(request.POST if chosen == "other" else None, prefix="other")
    ok, plan = False, None
    if request.method == "POST" and chosen == "review":
        ok, plan = apply_service(review_form, lambda **kw: services.plan_create_from_review(
            by=request.user, review=review_form.cleaned_data["review"]))
    elif request.method == "POST" and chosen == "other" and other_form.is_valid():
        data = other_form.cleaned_data
        ok, plan = apply_service(other_form, services.plan_create, by=request.user, board=request.user.board,
                                 source_type=data["source_type"], source_label=data["source_label"],
                                 recommendations=[{"number": i, "text": t}
                                                  for i, t in enumerate(data["recommendations"], 1)])
    if ok:
        messages.success(request, f"Action plan opened for {plan.source_label}. Add the desired outcomes.")
        return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/plan_create.html", {"review_form": review_form, "other_form": other_form,
                                                         "forms": [review_form, other_form]})


@allowed_if(is_board_member)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    audit_access(by=request.user, action="action_plan.viewed", obj=plan)
    today = board_today()
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
    available = selectors.plan_available_actions(user, plan)
    cycle = selectors.current_cycle(plan, today) if plan.state == ActionPlan.State.MONITORING else None
    asked = [o["outcome"] for r in recommendations for o in r["outcomes"]
             if plan.is_editable and not o["actions"] and o["outcome"].requested_at]
    can_request = perms.manages_plans(user) and plan.is_editable
    to_request = services.outcomes_to_request(plan) if can_request else []
    return render(request, "actions/plan_detail.html", {
        "plan": plan, "recommendations": recommendations, "summary": summarise(all_actions, today),
        "cycle": cycle, "today": today, "cycles": plan.cycles.all(), **available,
        "gaps": services.plan_gaps(plan) if available["can_submit"] else [],
        # While agencies are proposing actions: the requests that reached nobody (never counted as sent), and
        # before asking, the agencies nobody could receive the request at.
        "outcomes_not_delivered": [o for o in asked if not o.request_delivered],
        "outcomes_asked": len(asked),
        "outcomes_delivered": sum(1 for o in asked if o.request_delivered),
        "to_request": to_request if can_request else [],
        "to_request_nobody": agencies_without_recipient(
            {o.agency_id: o.agency for o in to_request}.values()) if can_request else [],
        "updates_not_delivered": services.update_requests_not_delivered(plan),
        "can_add_people": can_manage_board(user),
    })


@allowed_if(perms.manages_plans)
@require_POST
def actions_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    try:
        asked = services.actions_request(by=request.user, plan=plan)
    except ServiceError as error:
        refuse(request, error)
        return redirect("actions:plan_detail", plan_id=plan.pk)
    agencies = {o.agency.name: o.request_delivered for o in asked}
    missed = sorted(name for name, delivered in agencies.items() if not delivered)
    sent = len(agencies) - len(missed)
    text = f"Asked {sent} agenc{'y' if sent == 1 else 'ies'} to propose actions"
    if missed:
        text += (f". Not delivered to {', '.join(missed)}: nobody there is set up to receive it. Add a safeguarding "
                 "lead or author for the agency and it is sent the next morning")
    (messages.warning if missed else messages.success)(request, text)
    return redirect("actions:plan_detail", plan_id=plan.pk)


@allowed_if(perms.manages_plans)
def outcome_add(request: HttpRequest, plan_id: int, rec_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    rec = selectors.recommendation_get_for_manager(request.user, plan, rec_id)
    suggested = list(rec.review_recommendation.target_agencies.all()) if rec.review_recommendation else []
    form = OutcomeForm(request.POST or None, board=plan.board, suggested=suggested,
                       initial={"agency": suggested[0].pk} if len(suggested) == 1 else None)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.outcome_add(by=request.user, recommendation=rec,
                                                                 **form.cleaned_data))
        if ok:
            messages.success(request, f"Desired outcome added for {form.cleaned_data['agency']}")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/outcome_form.html", {
        "plan": plan, "rec": rec, "form": form,
        "no_recipient": agencies_without_recipient(form.fields["agency"].queryset.order_by("name"))})


@allowed_if(perms.manages_plans)
@require_POST
def outcome_remove(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    outcome = selectors.outcome_get_for_manager(request.user, plan, outcome_id)
    _button(request, lambda: services.outcome_remove(by=request.user, outcome=outcome),
            f"Desired outcome for {outcome.agency} removed")
    return redirect("actions:plan_detail", plan_id=plan.pk)


def _button(request, run, success: str) -> None:
    """A button with no form: run one service, then say what happened on the next page."""
    try:
        run()
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, success)


def _agencies_for_proposer(user):
    if perms.manages_plans(user):
        return Agency.objects.filter(board_id=user.board_id, active=True)
    return Agency.objects.filter(pk=user.agency_id)


@allowed_if(is_board_member)
def action_propose(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    outcome = selectors.outcome_get_for_proposer(request.user, plan_id, outcome_id)
    plan = outcome.recommendation.plan
    form = ActionForm(request.POST or None, board=plan.board, agencies=_agencies_for_proposer(request.user),
                      initial={"lead_agency": outcome.agency_id})
    if request.method == "POST":
        ok, action = apply_service(form, lambda: services.action_propose(by=request.user, outcome=outcome,
                                                                         **form.cleaned_data))
        if ok:
            messages.success(request, f"Action {action.reference} proposed")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/action_form.html", {"plan": plan, "outcome": outcome, "form": form})


@allowed_if(is_board_member)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_to_edit_get_for_user(request.user, action_id)
    initial = {f: getattr(action, f) for f in ("description", "start_date", "target_date", "impact_measure")}
    initial.update(lead_agency=action.lead_agency_id, owner=action.owner_id, **version_initial(action))
    form = ActionEditForm(request.POST or None, board=action.plan.board, initial=initial,
                      agencies=_agencies_for_proposer(request.user))
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.action_edit(by=request.user, action=action,
                                                                 **form.cleaned_data))
        if ok:
            messages.success(request, f"Action {action.reference} saved")
            return redirect("actions:plan_detail", plan_id=action.plan_id)
    return render(request, "actions/action_form.html", {"plan": action.plan, "outcome": action.outcome,
                                                         "form": form, "action": action})


@allowed_if(perms.manages_plans)
@require_POST
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    _button(request, lambda: services.plan_submit(by=request.user, plan=plan),
            "Plan sent to the SCR Committee for approval")
    return redirect("actions:plan_detail", plan_id=plan.pk)


@allowed_if(perms.manages_plans)
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not selectors.plan_available_actions(request.user, plan)["can_return"]:
        refuse(request, services.PlanError("Only a plan awaiting approval can be returned"))
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = ReasonForm(request.POST or None, label="What needs to change?",
                      required_message="Enter what needs to change before the plan can be approved")
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.plan_return(by=request.user, plan=plan,
                                                                 reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, "Plan returned for changes")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/simple_form.html", {
        "plan": plan, "form": form, "heading": "Return the plan for changes", "button": "Return plan"})


@allowed_if(perms.can_hand_over)
def plan_handover(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not selectors.plan_available_actions(request.user, plan)["can_hand_over"]:
        refuse(request, services.PlanError("Only an approved plan can be handed over"))
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = HandoverForm(request.POST or None, board=plan.board, initial={"handed_over_on": board_today()})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.plan_hand_over(
            by=request.user, plan=plan, committee=form.cleaned_data["committee"],
            on=form.cleaned_data["handed_over_on"], note=form.cleaned_data["note"]))
        if ok:
            messages.success(request, f"Oversight handed to the {form.cleaned_data['committee']}")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/simple_form.html", {
        "plan": plan, "form": form, "heading": "Hand over oversight", "button": "Record handover",
        "intro": "Once approved by the SCR Committee, oversight of the plan passes to the Performance Committee. "
                 "Quarterly updates are due every three months from the handover date."})


@allowed_if(perms.monitors_plans)
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if not selectors.plan_available_actions(request.user, plan)["can_close"]:
        refuse(request, services.PlanError("Only a plan being monitored can be closed"))
        return redirect("actions:plan_detail", plan_id=plan.pk)
    form = PlanCloseForm(request.POST or None)
    open_actions = []
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(by=request.user, plan=plan, note=form.cleaned_data["note"])
        except services.PlanCloseRefused as refused:
            open_actions = refused.open_actions
            form.add_error(None, str(refused))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Plan closed")
            return redirect("actions:plan_detail", plan_id=plan.pk)
    return render(request, "actions/plan_close.html", {"plan": plan, "form": form, "open_actions": open_actions})


@allowed_if(is_board_member)
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, action_id)
    audit_access(by=request.user, action="action.viewed", obj=action, board_id=action.plan.board_id)
    user = request.user
    return render(request, "actions/action_detail.html", {
        "action": action, "plan": action.plan, "today": board_today(),
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
    action = selectors.action_to_update_get_for_user(request.user, action_id)
    form = UpdateForm(request.POST or None, request.FILES or None,
                      initial={"percent_complete": action.percent_complete, "rag": action.rag or None})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.action_update_submit(
            by=request.user, action=action, status=form.cleaned_data["status"],
            percent_complete=form.cleaned_data["percent_complete"], rag=form.cleaned_data["rag"],
            narrative=form.cleaned_data["narrative"],
            uploads=[services.Upload(name, content) for name, content in form.cleaned_data["evidence"]],
            evidence_description=form.cleaned_data["evidence_description"],
            revised_target_date=form.cleaned_data["revised_target_date"],
            revision_reason=form.cleaned_data["revision_reason"]))
        if ok:
            messages.success(request, f"Update for action {action.reference} saved")
            return redirect("actions:action_detail", action_id=action.pk)
    return render(request, "actions/update_form.html", {"action": action, "plan": action.plan, "form": form})


@allowed_if(is_board_member)
def action_evaluate(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_to_evaluate_get_for_user(request.user, action_id)
    evaluation = getattr(action, "evaluation", None)
    initial = ({"evaluated_on": evaluation.evaluated_on, "method": evaluation.method, "result": evaluation.result,
                "outcome_improved": evaluation.outcome_improved} if evaluation else {"evaluated_on": board_today()})
    initial.update(version_initial(action))
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.action_evaluate(by=request.user, action=action,
                                                                     **form.cleaned_data))
        if ok:
            messages.success(request, f"Impact evaluation recorded for action {action.reference}")
            return redirect("actions:action_detail", action_id=action.pk)
    return render(request, "actions/simple_form.html", {
        "plan": action.plan, "action": action, "form": form, "heading": f"Evaluate the impact of {action}",
        "button": "Save evaluation", "intro": f"Impact measure: {action.impact_measure}"})


@allowed_if(perms.monitors_plans)
def action_close(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_to_close_get_for_user(request.user, action_id)
    form = ReasonForm(request.POST or None, label="Why is this action closing without being completed?",
                      required_message="Enter the reason the action is closing",
                      hint="For example, superseded by a national change. The Performance Committee sees this.")
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.action_close(by=request.user, action=action,
                                                                  reason=form.cleaned_data["reason"]))
        if ok:
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
    today = board_today()
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
    today = board_today()
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
    today = board_today()
    actions = selectors.actions_visible_to(request.user).order_by(
        "plan__source_label", "outcome__recommendation__number", "number")
    body = actions_workbook(actions, today)
    services.report_downloaded(by=request.user, report="actions-export", file_format="xlsx", rows=actions.count())
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="actions-{today:%Y-%m-%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
