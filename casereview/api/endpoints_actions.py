"""API v1: action plans and actions (read), and progress updates (write) through the actions app's selectors,
permissions and services."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Schema, Status

from casereview.actions import permissions as perms
from casereview.actions import selectors, services
from casereview.actions.models import Action, ActionPlan, ActionUpdate, Rag
from casereview.actions.rollups import Summary, summarise
from casereview.actions.selectors import (
    action_get_for_user,
    actions_for_person,
    actions_visible_to,
    plans_visible_to,
)
from casereview.lib import dates

from .common import (
    IdempotencyKey,
    PageQuery,
    RecordId,
    Text,
    board_agency,
    choices,
    errors,
    idempotent,
    paged,
    unknown_agency,
)
from .core import ERRORS, api
from .schemas import ErrorOut

WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
PlanState = choices("PlanState", ActionPlan.State.values)
PlanSource = choices("PlanSource", ActionPlan.SourceType.values)
ActionState = choices("ActionState", Action.State.values)
RagStatus = choices("RagStatus", Rag.values)
UpdateStatus = choices("UpdateStatus", ActionUpdate.Status.values)


class SummaryOut(Schema):
    total: int
    open: int
    overdue: int
    complete: int
    evaluated: int
    closed: int
    percent_complete: int = Field(description="Mean % complete of the actions")
    worst_rag: str | None = Field(description="red if any action is red, then amber, green, blue; null if none "
                                              "has reported")
    rag_counts: dict[str, int] = Field(description='Actions by RAG status; "none" counts those not yet reported')


class CycleOut(Schema):
    number: int
    period_start: date
    due_date: date


class PlanOut(Schema):
    id: int
    title: str
    source_type: str
    source_label: str
    review_reference: str | None
    state: str
    state_label: str
    monitoring_committee: str | None
    handed_over_on: date | None
    closed_on: date | None
    summary: SummaryOut


class PlanPage(Schema):
    items: list[PlanOut]
    count: int


class ActionOut(Schema):
    id: int
    plan_id: int
    reference: str = Field(description='Recommendation and action number, e.g. "2.1"')
    description: str
    impact_measure: str
    lead_agency: str = Field(description="Short code of the lead agency")
    owner: str
    start_date: date
    target_date: date
    revised_target_date: date | None
    current_target: date
    state: str
    state_label: str
    rag: str | None = Field(description="red, amber, green or blue; null until the first update")
    rag_label: str
    percent_complete: int
    overdue: bool
    completed_on: date | None
    last_update_at: datetime | None
    can_update: bool = Field(description="Whether the token's owner may post a progress update now")


class ActionPage(Schema):
    items: list[ActionOut]
    count: int


class OutcomeOut(Schema):
    id: int
    agency: str
    text: str
    actions: list[ActionOut]


class PlanRecommendationOut(Schema):
    number: int
    text: str
    level: str
    summary: SummaryOut
    outcomes: list[OutcomeOut]


class PlanDetailOut(PlanOut):
    current_cycle: CycleOut | None = Field(description="The quarter whose update is due next, while monitored")
    recommendations: list[PlanRecommendationOut]


class UpdateOut(Schema):
    id: int
    action_id: int
    status: str
    percent_complete: int
    rag: str
    narrative: str
    submitted_by: str
    submitted_at: datetime
    quarter: int | None = Field(description="The quarterly cycle the update counts for, if the plan is monitored")


class RevisionOut(Schema):
    previous_date: date
    new_date: date
    reason: str
    revised_by: str
    revised_at: datetime


class ActionDetailOut(ActionOut):
    updates: list[UpdateOut]
    target_revisions: list[RevisionOut]


class UpdateCreatedOut(UpdateOut):
    action: ActionOut = Field(description="The action as it stands after the update")


class UpdateIn(Schema):
    status: UpdateStatus
    percent_complete: int = Field(description="0 to 100; 100 when complete, 0 when not started")
    rag: RagStatus = Field(description="Red or amber need a narrative; blue only for a complete action with evidence "
                                 "already uploaded on its page")
    narrative: Text = Field("", description="What has been done; required when red or amber")
    revised_target_date: date | None = Field(None, description="A new target date, with revision_reason")
    revision_reason: Text = ""


def _summary_out(summary: Summary) -> dict:
    return {"total": summary.total, "open": summary.open, "overdue": summary.overdue,
            "complete": summary.complete, "evaluated": summary.evaluated, "closed": summary.closed,
            "percent_complete": summary.percent_complete, "worst_rag": summary.worst_rag or None,
            "rag_counts": {str(rag): count for rag, count in summary.by_rag.items()}}


def _plan_out(plan: ActionPlan, actions, today: date) -> dict:
    return {"id": plan.pk, "title": plan.title, "source_type": plan.source_type, "source_label": plan.source_label,
            "review_reference": plan.review.reference if plan.review_id else None, "state": plan.state,
            "state_label": plan.get_state_display(),
            "monitoring_committee": plan.monitoring_committee.name if plan.monitoring_committee_id else None,
            "handed_over_on": plan.handed_over_on, "closed_on": plan.closed_on,
            "summary": _summary_out(summarise(actions, today))}


def _action_out(action: Action, user, today: date) -> dict:
    return {"id": action.pk, "plan_id": action.plan_id, "reference": action.reference,
            "description": action.description, "impact_measure": action.impact_measure,
            "lead_agency": action.lead_agency.short_code, "owner": str(action.owner),
            "start_date": action.start_date, "target_date": action.target_date,
            "revised_target_date": action.revised_target_date, "current_target": action.current_target,
            "state": action.state, "state_label": action.get_state_display(), "rag": action.rag or None,
            "rag_label": action.rag_label, "percent_complete": action.percent_complete,
            "overdue": action.is_overdue_on(today), "completed_on": action.completed_on,
            "last_update_at": action.last_update_at, "can_update": perms.can_update_action(user, action)}


def _update_out(update: ActionUpdate) -> dict:
    return {"id": update.pk, "action_id": update.action_id, "status": update.status,
            "percent_complete": update.percent_complete, "rag": update.rag, "narrative": update.narrative,
            "submitted_by": str(update.submitted_by), "submitted_at": update.submitted_at,
            "quarter": update.cycle.number if update.cycle_id else None}


class PlanFilters(Schema):
    state: PlanState | None = None
    source_type: PlanSource | None = None


@api.get("/actions/plans", response={200: PlanPage, **ERRORS},
         summary="Action plans the token's owner may see, with their RAG roll-up")
def plan_list(request, query: Query[PlanFilters], page: Query[PageQuery]):
    plans = plans_visible_to(request.user)
    if query.state:
        plans = plans.filter(state=query.state)
    if query.source_type:
        plans = plans.filter(source_type=query.source_type)
    plans = plans.select_related("review", "monitoring_committee").prefetch_related("actions").order_by("id")
    today = dates.today()
    return paged(plans, page, lambda plan: _plan_out(plan, plan.actions.all(), today))


@api.get("/actions/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS},
         summary="One action plan: recommendations, desired outcomes and actions, with RAG roll-ups")
def plan_detail(request, plan_id: int):
    user, today = request.user, dates.today()
    plan = selectors.plan_get_for_user(user, plan_id)
    recommendations, everything = [], []
    for rec in selectors.plan_structure(plan):
        outcomes, rec_actions = [], []
        for outcome in rec.outcomes.all():
            actions = list(outcome.actions.all())
            for action in actions:
                action.plan = plan  # the permission check reads the plan's state: no query per action
            rec_actions += actions
            outcomes.append({"id": outcome.pk, "agency": outcome.agency.short_code, "text": outcome.text,
                             "actions": [_action_out(a, user, today) for a in actions]})
        everything += rec_actions
        recommendations.append({"number": rec.number, "text": rec.text, "level": rec.level,
                                "summary": _summary_out(summarise(rec_actions, today)), "outcomes": outcomes})
    cycle = selectors.current_cycle(plan, today) if plan.state == ActionPlan.State.MONITORING else None
    return {**_plan_out(plan, everything, today), "recommendations": recommendations,
            "current_cycle": {"number": cycle.number, "period_start": cycle.period_start, "due_date": cycle.due_date}
            if cycle else None}


class ActionFilters(Schema):
    plan: RecordId | None = Field(None, description="Only actions of this plan (its id)")
    state: ActionState | None = None
    rag: RagStatus | None = None
    agency: Text = Field("", description="Only actions led by the agency with this short code")
    overdue: bool | None = Field(None, description="true: only actions past their target; false: only those not")
    mine: bool = Field(False, description="Only open actions the token's owner answers for: their own and, for "
                                          "an agency lead, their agency's")


@api.get("/actions/actions", response={200: ActionPage, **ERRORS},
         summary="Actions the token's owner may see, filtered")
def action_list(request, query: Query[ActionFilters], page: Query[PageQuery]):
    user, today = request.user, dates.today()
    actions = actions_for_person(user) if query.mine else actions_visible_to(user)
    if query.plan is not None:
        actions = actions.filter(plan_id=query.plan)
    if query.state:
        actions = actions.filter(state=query.state)
    if query.rag:
        actions = actions.filter(rag=query.rag)
    if query.agency:
        agency = board_agency(user, query.agency)
        if agency is None:
            return unknown_agency(query.agency)
        actions = actions.filter(lead_agency=agency)
    if query.overdue is not None:
        overdue = actions.overdue(today).values("pk")
        actions = actions.filter(pk__in=overdue) if query.overdue else actions.exclude(pk__in=overdue)
    actions = actions.select_related("plan", "outcome__recommendation", "lead_agency", "owner").order_by(
        "plan_id", "outcome__recommendation__number", "number", "id")
    return paged(actions, page, lambda action: _action_out(action, user, today))


@api.get("/actions/actions/{action_id}", response={200: ActionDetailOut, **ERRORS},
         summary="One action with its progress updates and target date changes")
def action_detail(request, action_id: int):
    user, today = request.user, dates.today()
    action = action_get_for_user(user, action_id)
    return {**_action_out(action, user, today),
            "updates": [_update_out(u) for u in action.updates.select_related("submitted_by", "cycle")
                        .order_by("-submitted_at", "-id")],
            "target_revisions": [{"previous_date": r.previous_date, "new_date": r.new_date, "reason": r.reason,
                                  "revised_by": str(r.revised_by), "revised_at": r.revised_at}
                                 for r in action.target_revisions.select_related("revised_by")]}


UPDATABLE_STATES = (Action.State.AGREED, Action.State.IN_PROGRESS)


@api.post("/actions/actions/{action_id}/updates", response={201: UpdateCreatedOut, **WRITE_ERRORS},
          summary="Give a progress update on an action (as on its update page; audited)")
def action_update_create(request, action_id: int, payload: UpdateIn,
                         idempotency_key: IdempotencyKey = None):
    user = request.user
    visible = action_get_for_user(user, action_id)

    def run():
        action = action_get_for_user(user, visible.pk)
        if not perms.can_update_action(user, action):
            if action.state not in UPDATABLE_STATES or not action.plan.is_live:
                return errors((None, f"Updates can only be given for agreed actions of an approved plan: this "
                                     f"action is {action.get_state_display().lower()} and its plan is "
                                     f"{action.plan.get_state_display().lower()}"), status=409)
            raise PermissionDenied
        status, rag = str(payload.status), str(payload.rag)
        problems = services.update_problems(
            status=status, percent_complete=payload.percent_complete, rag=rag,
            narrative=payload.narrative, has_evidence=action.evidence.exists(),
            revised_target_date=payload.revised_target_date, revision_reason=payload.revision_reason,
            start_date=action.start_date)
        if problems:
            return errors(*problems.items())
        try:
            update = services.action_update_submit(
                by=user, action=action, status=status, percent_complete=payload.percent_complete,
                rag=rag, narrative=payload.narrative, revised_target_date=payload.revised_target_date,
                revision_reason=payload.revision_reason)
        except services.PlanError as error:
            return errors((None, str(error)), status=409)
        fresh = action_get_for_user(user, action.pk)
        return Status(201, {**_update_out(update), "action": _action_out(fresh, user, dates.today())})

    return idempotent(request, key=idempotency_key, scope=f"action-update:{visible.pk}",
                      payload=payload.model_dump(mode="json"), run=run)
