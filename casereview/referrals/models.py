"""A referral for Serious Case Review consideration (the framework's Initiation of Case Reviews and its referral
form) and what follows it: the call for information, the decision matrix, the Chair's decision (or, for a
learning or good-practice referral, the SCR Committee's routing), the feedback to the referrer, the National
Panel notice and log, and the Critical Incident Review consideration.

The child, family and agencies live on the referral's Case (casereview.cases); only what belongs to the
referral itself is stored here.
"""

from django.conf import settings
from django.db import models
from django.db.models import TextChoices
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casereview.cases.models import Case
from casereview.partnership.models import Agency, Board
from casereview.reviews.models import Review
from casereview.typology.models import Theme


class Referral(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted, awaiting receipt"
        RECEIVED = "received", "Received, under consideration"
        RECOMMENDED = "recommended", "Recommended, awaiting the Chair"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    class Marking(models.TextChoices):
        OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"
        OFFICIAL = "official", "OFFICIAL"

    class Purpose(models.TextChoices):
        SCR = "scr", "Consider for a Serious Case Review"
        LEARNING = "learning", "Consider for learning"
        GOOD_PRACTICE = "good_practice", "Share good practice"

    class ReceivedVia(TextChoices):
        CASEREVIEW = "casereview", "Raised in CaseReview by the referrer's agency"
        SECURE_EMAIL = "secure_email", "Received by secure email"
        CDOP = "cdop", "From the child death overview panel"

    class PlanStatus(models.TextChoices):
        NONE = "none", "No plan"
        CURRENT = "current", "Current child protection plan"
        PREVIOUS = "previous", "Previous child protection plan"
        UNKNOWN = "unknown", "Not known"

    class YesNoUnknown(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    class Criterion(models.TextChoices):
        ABUSE_NEGLECT = "1", "Abuse or neglect of the child is known or suspected"
        DIED = "2a", "The child has died (including suspected suicide)"
        SERIOUSLY_HARMED = "2b", "The child has been seriously harmed and there is cause for concern about how " \
                                 "agencies worked together"
        CUSTODY = "3", "The child died in custody, a young offender institution, secure training centre or " \
                       "secure children's home, or while detained under mental health law"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="referrals")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="referral")
    reference = models.CharField(max_length=40)
    status = FSMField(default=Status.DRAFT, choices=Status.choices, protected=True)
    # Optimistic concurrency: every edit says which version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    protective_marking = models.CharField(max_length=30, choices=Marking.choices,
                                          default=Marking.OFFICIAL_SENSITIVE)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SCR)

    # The referrer: the professional who raised it (their account) and how to reach them.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Empty when the Business Manager recorded a referral from outside (secure email, the child death overview
    # panel): the referrer's organisation is then text.
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_made", null=True,
                                        blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    received_via = models.CharField(max_length=20, choices=ReceivedVia.choices, default=ReceivedVia.CASEREVIEW)
    # The referral form as it arrived (secure email), kept outside the web root under the uploads directory.
    original_file = models.CharField(max_length=300, blank=True)
    original_filename = models.CharField(max_length=200, blank=True)
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200)
    referrer_contact = models.CharField(max_length=200)
    referrer_email = models.EmailField()
    referred_on = models.DateField()
    lead_consulted_name = models.CharField(max_length=200, blank=True)
    lead_consulted_role = models.CharField(max_length=200, blank=True)
    lead_consulted_contact = models.CharField(max_length=200, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The child's circumstances at the time (their identity is on the case).
    incident_date = models.DateField()
    where_and_with_whom = models.TextField(blank=True)
    plan_status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.UNKNOWN)
    plan_category = models.CharField(max_length=120, blank=True)
    looked_after = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    open_to_csc = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)

    criteria = models.JSONField(default=list, blank=True)
    narrative = models.TextField()
    key_dates = models.TextField(blank=True)

    # Workflow dates. The rule pack says which of the notified and received dates starts the decision clock.
    board_notified_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    meeting_on = models.DateField(null=True, blank=True)
    # Feedback to the referrer, from the SCR Committee chair (whatever the outcome, with or without an SCR).
    feedback_sent_on = models.DateField(null=True, blank=True)
    feedback_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    feedback_emailed_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["board", "reference"], name="referral_ref_unique_in_board")]

    def __str__(self) -> str:
        return self.reference

    def audit_label(self) -> str:
        return self.reference

    def criteria_labels(self) -> list[str]:
        return [f"{code}. {self.Criterion(code).label}" for code in self.criteria if code in self.Criterion.values]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def considers_scr(self) -> bool:
        """A referral made to share good practice or for learning is routed by the SCR Committee: no Chair's SCR
        decision, no National Panel notice."""
        return self.purpose == self.Purpose.SCR

    @property
    def referrer_organisation_name(self) -> str:
        return self.referrer_agency.name if self.referrer_agency_id else self.referrer_organisation

    # --- Transitions: the only way status changes. Services call them inside their transaction. ---------
    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.RECEIVED)
    def receive(self):
        pass

    @transition(field=status, source=Status.RECEIVED, target=Status.RECOMMENDED)
    def recommend(self):
        pass

    @transition(field=status, source=Status.RECOMMENDED, target=Status.RECEIVED)
    def reopen_matrix(self):
        pass

    @transition(field=status, source=Status.RECOMMENDED, target=Status.DECIDED)
    def decide(self):
        pass

    @transition(field=status, source=Status.RECEIVED, target=Status.DECIDED)
    def route(self):
        """The SCR Committee routes a learning or good-practice referral without a Chair's SCR decision."""

    @transition(field=status, source=Status.DECIDED, target=Status.CLOSED)
    def close(self):
        pass


class InformationRequest(models.Model):
    """The call for information: one agency asked for a summary of its involvement by a deadline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="information_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="information_requests")
    requested_on = models.DateField()
    due_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    still_involved = models.BooleanField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    last_chased_on = models.DateField(null=True, blank=True)
    chase_count = models.PositiveIntegerField(default=0)
    # Who the request (or a later chaser) was emailed to; empty means nobody at the agency has received it.
    delivered_to = models.TextField(blank=True)
    # Optimistic concurrency (core.concurrency): a second answer written from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["referral", "agency"], name="referral_one_request_per_agency")]

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.agency}"

    def audit_label(self) -> str:
        return f"{self.referral.reference} {self.agency.short_code}"

    @property
    def delivered(self) -> bool:
        return bool(self.delivered_to)

    def tracking(self, today) -> str:
        """Where the request stands, as every count and table shows it: never "Requested" while nobody got it."""
        if self.received_on:
            return "Received"
        if not self.delivered:
            return "Not delivered"
        return "Overdue" if today > self.due_on else "Requested"

    def tracking_tag(self, today) -> str:
        return {"Received": "govuk-tag govuk-tag--green", "Not delivered": "govuk-tag govuk-tag--red",
                "Overdue": "govuk-tag govuk-tag--red"}.get(self.tracking(today), "govuk-tag govuk-tag--yellow")


class DecisionMatrix(models.Model):
    """Appendix B: the SCR Committee's consideration and recommendation."""

    class Outcome(models.TextChoices):
        SCR_INTENSIVE = "scr_intensive", "Serious Case Review (Intensive)"
        SCR_TARGETED = "scr_targeted", "Serious Case Review (Targeted)"
        CIR = "cir", "Critical Incident Review"
        LEARNING_REVIEW = "learning_review", "Learning Review"
        INDIVIDUAL_AGENCY = "individual_agency", "Individual Agency Review"
        AUDIT = "audit", "Multi-agency audit"
        FORUM = "forum", "Practitioner forum theme"
        NONE = "none", "No further action"

    class Targeted(models.TextChoices):
        CUSTODY = "custody", "Death in custody or detention where Regulation 5(2)(a) is not met"
        FEW_SPES = "few_spes", "Chronologies show few Significant Practice Episodes"
        ALREADY_ACTING = "already_acting", "Learning focuses on an area agencies are already acting on"
        HISTORICAL = "historical", "The case is largely historical"
        PEER_CHALLENGE = "peer_challenge", "The Chair thinks the threshold is not met, but peer challenge or the " \
                                           "National Panel suggests a review"

    class Parallel(models.TextChoices):
        POLICE = "police", "Police investigation or prosecution"
        CORONER = "coroner", "Coroner's inquest"
        DHR = "dhr", "Domestic homicide review"
        CDR = "cdr", "Child death review"
        OTHER = "other", "Other"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="matrix")
    learning_potential = models.TextField(blank=True)
    good_practice = models.TextField(blank=True)
    previous_learning = models.TextField(blank=True)
    parallel_processes = models.JSONField(default=list, blank=True)
    parallel_notes = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    public_interest = models.TextField(blank=True)
    targeted_criteria = models.JSONField(default=list, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="decision_matrices")
    recommended_outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    rationale = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Decision matrix for {self.referral.reference}"

    def parallel_labels(self) -> list[str]:
        return [self.Parallel(p).label for p in self.parallel_processes if p in self.Parallel.values]

    def audit_label(self) -> str:
        return self.referral.reference


class CriterionAnswer(models.Model):
    class Answer(models.TextChoices):
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        UNKNOWN = "unknown", "Unknown"

    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(max_length=4, choices=Referral.Criterion.choices)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    evidence = models.TextField(blank=True)
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion"]
        constraints = [models.UniqueConstraint(fields=["matrix", "criterion"], name="referral_one_answer_per_criterion")]

    def __str__(self) -> str:
        return f"Criterion {self.criterion}: {self.get_answer_display()}"


class LearningQuestion(models.Model):
    """Why was learning already identified not sustained? Asked of the case, so it follows it into any review."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="learning_questions")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="learning_questions")
    earlier_review = models.ForeignKey(Review, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"Question on {self.referral.reference}"


class ChairDecision(models.Model):
    class Decision(models.TextChoices):
        SCR_INTENSIVE = "scr_intensive", "Initiate a Serious Case Review (Intensive)"
        SCR_TARGETED = "scr_targeted", "Initiate a Serious Case Review (Targeted)"
        NOT_INITIATED = "not_initiated", "Do not initiate a Serious Case Review"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="decision")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    decided_on = models.DateField()
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.get_decision_display()}"

    def audit_label(self) -> str:
        return self.referral.reference

    @property
    def initiates_scr(self) -> bool:
        return self.decision != self.Decision.NOT_INITIATED

    @property
    def feedback_sent_on(self):
        """Feedback belongs to the referral (it is sent whatever the route); kept here for readers of a decision."""
        return self.referral.feedback_sent_on


class PanelNotice(models.Model):
    """The notice to the National Panel of Independent Experts, recorded as sent."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="panel_notice")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(blank=True)
    anonymised_details = models.TextField(blank=True)
    sin_file = models.CharField(max_length=300, blank=True, help_text="Storage name of the uploaded notification.")
    sin_filename = models.CharField(max_length=200, blank=True)
    lead_reviewers = models.TextField(blank=True)
    ofsted_told_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"National Panel notice for {self.referral.reference}"

    def audit_label(self) -> str:
        return self.referral.reference


class CirConsideration(models.Model):
    """The SCR Committee's routing of a case to another kind of learning: every case considered for an SCR that
    is not initiated is automatically considered for a CIR; a referral made for learning or to share good
    practice is routed here directly, without a Chair's SCR decision."""

    class Outcome(models.TextChoices):
        CIR = "cir", "Critical Incident Review"
        LEARNING_REVIEW = "learning_review", "Learning Review"
        INDIVIDUAL_AGENCY = "individual_agency", "Individual Agency Review"
        AUDIT = "audit", "Multi-agency audit"
        SINGLE_AGENCY_AUDIT = "single_agency_audit", "Single-agency audit"
        FORUM = "forum", "Practitioner forum theme"
        NONE = "none", "No further action"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="cir_consideration")
    opened_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the outcome created in another part of the service (a forum topic, an audit), as it describes it.
    follow_up = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"CIR consideration for {self.referral.reference}"

    def audit_label(self) -> str:
        return self.referral.reference

    @property
    def is_open(self) -> bool:
        return not self.outcome


class ReferenceCounter(models.Model):
    """The last referral number used by a board in a year: locked with select_for_update, never count()+1."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "year"], name="referral_counter_one_per_year")]

    def __str__(self) -> str:
        return f"{self.board_id}/{self.year}: {self.last}"


class PanelLogEntry(models.Model):
    """The board's dealings with the National Panel (and DfE, Ofsted) about a case: notices, advice, requests."""

    class Kind(models.TextChoices):
        DFE_TOLD = "dfe_told", "DfE told of the Serious Case Review"
        INCIDENT_NOTIFIED = "incident_notified", "Serious incident notification sent to the national Panel"
        ADVICE_INITIATION = "advice_initiation", "Panel advice on initiating a review"
        ADVICE_APPOINTMENT = "advice_appointment", "Panel advice on the lead reviewers appointed"
        ADVICE_PUBLICATION = "advice_publication", "Panel advice on publication"
        REQUEST_INFORMATION = "request_information", "Panel request for information"
        REQUEST_COPY = "request_copy", "Panel request for a copy of the report"
        REQUEST_MEETING = "request_meeting", "Panel request for a meeting"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="panel_log")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    on = models.DateField(help_text="When it was sent or received")
    due_on = models.DateField(null=True, blank=True, help_text="For a Panel request: when the answer is due")
    answered_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    REQUESTS = frozenset({Kind.REQUEST_INFORMATION, Kind.REQUEST_COPY, Kind.REQUEST_MEETING})

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.get_kind_display()}"

    @property
    def is_request(self) -> bool:
        return self.kind in self.REQUESTS

    @property
    def awaiting_answer(self) -> bool:
        return self.is_request and self.answered_on is None


class ThresholdNotice(models.Model):
    """The Performance Committee chair told that a case may have reached the threshold for a Serious Case Review
    (a referral received for SCR consideration), so they can liaise with the SCR Committee chair and the
    Independent Chair, as the framework gives the Performance Committee that part of its oversight. The chair
    sees the reference, dates and clock, never the case record."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="threshold_notices")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed_to = models.EmailField(blank=True)
    liaised_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["referral", "chair"], name="referral_one_threshold_notice")]

    def __str__(self) -> str:
        return f"Threshold notice for {self.referral.reference}"

    def audit_label(self) -> str:
        return self.referral.reference
