"""Action plans (seed s.7-9): recommendations become desired outcomes per agency and SMART actions, approved by
the SCR Committee, monitored quarterly by the Performance Committee, and closed once their impact is evaluated.

A plan's source is generic: a review (linked), or an audit, forum or other piece of learning named by
`source_type`, `source_id` and `source_label`, so the learning app can open plans through
`services.plan_create`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from casereview.lib import dates
from casereview.lib.formats import long_date
from casereview.partnership.models import Agency, Board, Committee


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (complete and evidenced)"


RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
RAG_TAG_CLASSES = {
    Rag.RED: "govuk-tag govuk-tag--red",
    Rag.AMBER: "govuk-tag govuk-tag--orange",
    Rag.GREEN: "govuk-tag govuk-tag--green",
    # GOV.UK Frontend 6 has no govuk-tag--blue: a plain govuk-tag is blue.
    Rag.BLUE: "govuk-tag",
}
RAG_SHORT = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Blue"}


class ActionPlan(models.Model):
    class SourceType(models.TextChoices):
        REVIEW = "review", "Review"
        SINGLE_AGENCY_REVIEW = "single_agency_review", "Single-agency review"
        AUDIT = "audit", "Audit"
        FORUM = "forum", "Practitioner forum"
        OTHER = "other", "Other learning"

    class State(models.TextChoices):
        DRAFT = "draft", "Being drafted"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting SCR Committee approval"
        APPROVED = "approved", "Approved, awaiting handover"
        MONITORING = "monitoring", "Monitored by the Performance Committee"
        CLOSED = "closed", "Closed"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="action_plans")
    title = models.CharField(max_length=200)
    source_type = models.CharField(max_length=30, choices=SourceType.choices)
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="action_plans")
    # For audits, forums and other learning: the owning app's record id and a human label (never a name).
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(max_length=200)
    state = FSMField(max_length=30, choices=State.choices, default=State.DRAFT, protected=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Whoever sent the plan for approval may not approve it.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    returned_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    # The SCR Committee's minuted decision that approved the plan. An id and a label rather than a foreign key:
    # decisions belong to the committees app, which sits above this one.
    approval_decision_id = models.PositiveBigIntegerField(null=True, blank=True)
    approval_decision_label = models.CharField(max_length=200, blank=True)
    monitoring_committee = models.ForeignKey(Committee, on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="monitored_plans")
    handed_over_on = models.DateField(null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    handover_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closure_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["review"], condition=Q(review__isnull=False),
                                    name="one_action_plan_per_review"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.source_label[:200]

    @transition(field=state, source=State.DRAFT, target=State.AWAITING_APPROVAL)
    def submit(self, *, by) -> None:
        self.submitted_at = timezone.now()
        self.submitted_by = by
        self.returned_reason = ""

    @transition(field=state, source=State.AWAITING_APPROVAL, target=State.DRAFT)
    def return_for_changes(self, reason: str) -> None:
        self.returned_reason = reason

    @transition(field=state, source=State.AWAITING_APPROVAL, target=State.APPROVED)
    def approve(self, *, by, at, decision_id: int, decision_label: str) -> None:
        self.approved_at = at
        self.approved_by = by
        self.approval_decision_id = decision_id
        self.approval_decision_label = decision_label

    @transition(field=state, source=State.APPROVED, target=State.MONITORING)
    def hand_over(self, *, by, committee: Committee, on: date, note: str) -> None:
        self.monitoring_committee = committee
        self.handed_over_on = on
        self.handed_over_by = by
        self.handover_note = note

    @transition(field=state, source=State.MONITORING, target=State.CLOSED)
    def close(self, *, by, on: date, note: str) -> None:
        self.closed_on = on
        self.closed_by = by
        self.closure_note = note

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_live(self) -> bool:
        """Approved and not closed: actions are being delivered and updated."""
        return self.state in (self.State.APPROVED, self.State.MONITORING)


class PlanRecommendation(models.Model):
    """A recommendation (of a review) or a finding needing action (of an audit or forum) within a plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    level = models.CharField(max_length=20, blank=True,
                             help_text="National, partnership or single agency, for review recommendations.")
    review_recommendation = models.ForeignKey("reviews.Recommendation", on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="plan_entries")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_recommendation_number")]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    @property
    def level_label(self) -> str:
        return {"national": "National", "partnership": "Partnership",
                "single_agency": "Single agency"}.get(self.level, self.level)


class DesiredOutcome(models.Model):
    """What should be different for children, for one agency, set by the SCR Committee (seed s.8)."""

    recommendation = models.ForeignKey(PlanRecommendation, on_delete=models.CASCADE, related_name="outcomes")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="desired_outcomes")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # When the agency was asked to propose actions for the outcome, and who the request (or a later delivery)
    # was emailed to; asked with nothing here means nobody at the agency has received it ("Not delivered").
    requested_at = models.DateTimeField(null=True, blank=True)
    request_delivered_to = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation__number", "agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.text[:60]}"

    @property
    def request_delivered(self) -> bool:
        return bool(self.request_delivered_to)

    @property
    def request_not_delivered(self) -> bool:
        return self.requested_at is not None and not self.request_delivered


class ActionQuerySet(models.QuerySet):
    def with_effective_target(self):
        return self.annotate(effective_target=Coalesce(F("revised_target_date"), F("target_date")))

    def open(self):
        return self.exclude(state__in=Action.FINISHED_STATES)

    def overdue(self, today: date):
        """Past their (revised) target date and not yet complete: overdue by itself, no job needed."""
        return self.open().with_effective_target().filter(effective_target__lt=today)

    def annotate_overdue(self, today: date):
        return self.with_effective_target().annotate(
            is_overdue_db=Case(
                When(Q(effective_target__lt=today) & ~Q(state__in=Action.FINISHED_STATES), then=Value(True)),
                default=Value(False), output_field=models.BooleanField(),
            )
        )


class Action(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete, impact not yet evaluated"
        EVALUATED = "evaluated", "Complete and evaluated"
        CLOSED = "closed", "Closed without completion"

    FINISHED_STATES = ("complete", "evaluated", "closed")
    # A plan may close only when every action is in one of these.
    SETTLED_STATES = ("evaluated", "closed")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(DesiredOutcome, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField(help_text="Numbered within the recommendation: 2.1, 2.2 and so on.")
    description = models.TextField()
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions")
    start_date = models.DateField()
    target_date = models.DateField()
    revised_target_date = models.DateField(null=True, blank=True)
    impact_measure = models.TextField()
    state = FSMField(max_length=20, choices=State.choices, default=State.PROPOSED, protected=True)
    # Optimistic concurrency (core.concurrency): each edit of the action's text or its impact evaluation says
    # which version it started from, and a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    completed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__recommendation__number", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(target_date__gte=F("start_date")),
                                   name="action_target_not_before_start"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="action_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Action {self.reference}"

    def audit_label(self) -> str:
        return f"{self.plan.source_label[:150]} action {self.reference}"

    @property
    def reference(self) -> str:
        return f"{self.outcome.recommendation.number}.{self.number}"

    @property
    def current_target(self) -> date:
        return self.revised_target_date or self.target_date

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES

    def is_overdue_on(self, today: date) -> bool:
        return not self.is_finished and self.current_target < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(dates.today())

    @property
    def rag_tag_class(self) -> str:
        return RAG_TAG_CLASSES.get(self.rag, "govuk-tag govuk-tag--grey")

    @property
    def rag_label(self) -> str:
        return RAG_SHORT.get(self.rag, "Not yet reported")

    @transition(field=state, source=State.PROPOSED, target=State.AGREED)
    def agree(self) -> None:
        pass

    @transition(field=state, source=[State.AGREED, State.IN_PROGRESS], target=State.IN_PROGRESS)
    def record_progress(self) -> None:
        pass

    @transition(field=state, source=[State.AGREED, State.IN_PROGRESS], target=State.COMPLETE)
    def complete(self, on: date) -> None:
        self.completed_on = on

    @transition(field=state, source=[State.COMPLETE, State.EVALUATED], target=State.EVALUATED)
    def mark_evaluated(self) -> None:
        pass

    @transition(field=state, source=[State.AGREED, State.IN_PROGRESS, State.COMPLETE], target=State.CLOSED)
    def close_without_completion(self, reason: str) -> None:
        self.closed_reason = reason


class TargetDateRevision(models.Model):
    """Each change of an action's target date, with why: the history the Performance Committee asks for."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="target_revisions")
    previous_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revised_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_date} to {self.new_date}"


class UpdateCycle(models.Model):
    """One quarter of a monitored plan; due dates run from the handover date (rule pack action-plan-update)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    period_start = models.DateField()
    due_date = models.DateField()
    reminders_sent_on = models.DateField(null=True, blank=True)
    chasers_sent_on = models.DateField(null=True, blank=True)
    # Actions (ids) whose update request this quarter reached nobody; it is sent once someone can receive it.
    not_delivered = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_cycle_per_quarter")]

    def __str__(self) -> str:
        return f"Quarter {self.number} (due {long_date(self.due_date)})"


class ActionUpdate(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    cycle = models.ForeignKey(UpdateCycle, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    narrative = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"Update of {self.submitted_at:%Y-%m-%d}"

    @property
    def rag_tag_class(self) -> str:
        return RAG_TAG_CLASSES.get(self.rag, "govuk-tag govuk-tag--grey")

    @property
    def rag_label(self) -> str:
        return RAG_SHORT.get(self.rag, "")


def evidence_path(instance, filename: str) -> str:
    # The stored name is never the uploaded one: names can carry personal data and path tricks.
    stamp = timezone.now()
    return f"actions/evidence/{stamp:%Y/%m}/{instance.action_id}-{stamp:%H%M%S%f}.bin"


class Evidence(models.Model):
    """A file showing an action was done. Stored under var/uploads (outside the web root)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(ActionUpdate, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name

    def audit_label(self) -> str:
        return f"evidence {self.pk} of action {self.action.reference}"


class ImpactEvaluation(models.Model):
    """Seed s.9: after completion, did the action improve outcomes for children, and how do we know?"""

    class Method(models.TextChoices):
        AUDIT = "audit", "Audit"
        SURVEY = "survey", "Survey"
        PERFORMANCE_DATA = "performance_data", "Performance data"
        PRACTITIONER_FEEDBACK = "practitioner_feedback", "Practitioner feedback"

    class Improved(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_YET_KNOWN = "not_yet_known", "Not yet known"

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="evaluation")
    evaluated_on = models.DateField()
    method = models.CharField(max_length=30, choices=Method.choices)
    result = models.TextField()
    outcome_improved = models.CharField(max_length=20, choices=Improved.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Evaluation of {self.action}"
