"""Reviews (SCR, CIR, learning and single-agency reviews), their findings and recommendations.

A review moves through explicit states (django-fsm-2): set-up, information gathering and analysis, report in
quality assurance, approved by the board, then published or (with the Panel's advice) not published. Around it:
terms of reference, the methodology's stages as milestones, the Review Group and lead reviewers, the Case Group,
family involvement, the six-month clock with extensions and court-proceedings pauses, agency information
requests, findings and recommendations, the Case Group consultation, report versions and the publication check.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casereview.cases.models import Case
from casereview.partnership.models import Agency, Board
from casereview.typology.models import Theme


class Review(FSMModelMixin, models.Model):
    class Type(models.TextChoices):
        SCR_INTENSIVE = "scr_intensive", "Serious Case Review (Intensive)"
        SCR_TARGETED = "scr_targeted", "Serious Case Review (Targeted)"
        CIR = "cir", "Critical Incident Review"
        LEARNING_REVIEW = "learning_review", "Learning Review"
        INDIVIDUAL_AGENCY = "individual_agency", "Individual Agency Review"

    class Methodology(models.TextChoices):
        NORTH_WEST = "north_west", "North West systems approach"
        SCIE = "scie", "SCIE Learning Together"
        RCA = "rca", "Root Cause Analysis"
        CPR = "cpr", "Child Practice Review"
        SILP = "silp", "Significant Incident Learning Process (SILP)"
        APPRECIATIVE = "appreciative", "Appreciative Inquiry"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reviews")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=40, help_text='For example "DEMO-1".')
    title = models.CharField(max_length=200, help_text="An anonymised title, such as the case pseudonym.")
    type = models.CharField(max_length=30, choices=Type.choices)
    methodology = models.CharField(max_length=30, choices=Methodology.choices, blank=True)
    class Status(models.TextChoices):
        INITIATED = "initiated", "Setting up"
        ANALYSIS = "analysis", "Information gathering and analysis"
        REPORT_QA = "report_qa", "Report in quality assurance"
        APPROVED = "approved", "Approved by the board"
        PUBLISHED = "published", "Published"
        NOT_PUBLISHED = "not_published", "Not published"

    class FamilyStatus(models.TextChoices):
        NOT_YET = "not_yet", "Not yet invited"
        INVITED = "invited", "Invited, no reply yet"
        CONTRIBUTING = "contributing", "Contributing"
        DECLINED = "declined", "Declined to take part"
        NOT_APPROPRIATE = "not_appropriate", "Not invited: not appropriate"

    status = FSMField(max_length=30, default=Status.INITIATED, choices=Status.choices, protected=True)
    initiated_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # Terms of reference and scope.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    questions = models.TextField(blank=True)
    agencies_in_scope = models.ManyToManyField(Agency, blank=True, related_name="reviews_in_scope")
    proportionality_rationale = models.TextField(blank=True)
    # Where the rule pack fixes no timescale for this type of review, the SCR Committee sets one.
    target_on = models.DateField("Target completion date", null=True, blank=True)
    # Family involvement (seed s.3: invited, clarity about how, expectations managed).
    family_status = models.CharField(max_length=20, choices=FamilyStatus.choices, default=FamilyStatus.NOT_YET)
    family_invited_on = models.DateField(null=True, blank=True)
    family_how = models.TextField(blank=True)
    family_expectations = models.TextField(blank=True)
    family_contributions = models.TextField(blank=True)
    # Case Group consultation on the draft findings.
    consultation_opened_on = models.DateField(null=True, blank=True)
    consultation_closed_on = models.DateField(null=True, blank=True)
    # Completion and publication.
    approved_on = models.DateField(null=True, blank=True)
    planned_publication_on = models.DateField(null=True, blank=True)
    panel_copy_sent_on = models.DateField(null=True, blank=True)
    panel_copy_version = models.ForeignKey("ReportVersion", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    published_on = models.DateField(null=True, blank=True)
    published_version = models.ForeignKey("ReportVersion", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    not_published_reason = models.TextField(blank=True)
    panel_advice = models.TextField(blank=True)
    panel_advice_on = models.DateField(null=True, blank=True)
    # Published with the report (seed s.5): actions taken, their impact and what more will be done.
    statement_actions_taken = models.TextField(blank=True)
    statement_impact = models.TextField(blank=True)
    statement_what_more = models.TextField(blank=True)
    # Optimistic concurrency: every edit says which version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    # Separate counters for the publication page's parts people edit separately: the planned date and the
    # checklist for managing the impact of publication (kept here, as the checklist's row may not exist yet).
    plan_version = models.PositiveIntegerField(default=1)
    impact_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-initiated_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["board", "reference"], name="review_ref_unique_in_board")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def audit_label(self) -> str:
        return self.reference

    @property
    def is_scr(self) -> bool:
        return self.type in (self.Type.SCR_INTENSIVE, self.Type.SCR_TARGETED)

    # --- State transitions: only services call these, inside their transaction. ---------------------------
    @transition(field=status, source=Status.INITIATED, target=Status.ANALYSIS)
    def start_analysis(self):
        pass

    @transition(field=status, source=Status.ANALYSIS, target=Status.REPORT_QA)
    def submit_for_qa(self):
        pass

    @transition(field=status, source=Status.REPORT_QA, target=Status.ANALYSIS)
    def return_to_analysis(self):
        pass

    @transition(field=status, source=Status.REPORT_QA, target=Status.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=Status.APPROVED, target=Status.NOT_PUBLISHED)
    def decide_not_to_publish(self):
        pass

    # A review completed and published before the board used CaseReview: its report went through the board
    # outside the service, so it is recorded as published with the days it was approved and published.
    @transition(field=status, source=[Status.INITIATED, Status.ANALYSIS], target=Status.PUBLISHED)
    def record_completed(self):
        pass


class Finding(models.Model):
    class Kind(models.TextChoices):
        GOOD_PRACTICE = "good_practice", "Good practice"
        IMPROVEMENT = "improvement", "Area for improvement"

    class SystemPattern(models.TextChoices):
        # The SCIE Learning Together typology of underlying patterns (domain brief, typology group D).
        HUMAN_TOOL = "human_tool", "Human-tool operation"
        HUMAN_MANAGEMENT = "human_management", "Human-management system"
        INCIDENTS = "incidents", "Multi-agency response to incidents"
        LONG_TERM = "long_term", "Multi-agency assessment and long-term work"
        FAMILY_PROFESSIONAL = "family_professional", "Family-professional interaction"
        REASONING = "reasoning", "Human reasoning"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=250)
    narrative = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    evidence = models.TextField(blank=True)
    # Significant practice events that evidence the finding (the chronology app's entries for this review).
    chronology_entries = models.ManyToManyField("chronology.ChronologyEntry", blank=True,
                                                related_name="review_findings")
    system_pattern = models.CharField(max_length=30, choices=SystemPattern.choices, blank=True)
    contributory_factors = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="finding_number_unique")]

    def __str__(self) -> str:
        return f"Finding {self.number}: {self.title}"


class Recommendation(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "National"
        PARTNERSHIP = "partnership", "Partnership"
        SINGLE_AGENCY = "single_agency", "Single agency"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    level = models.CharField(max_length=20, choices=Level.choices)
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")
    target_agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Milestone(models.Model):
    """One stage of the review's methodology, with a date and an owner (seeded from the stage template)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ParallelProcess(FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police investigation"
        CORONER = "coroner", "Coroner's inquest"
        DHR = "dhr", "Domestic homicide review"
        CDR = "cdr", "Child death review"
        CRIMINAL = "criminal", "Criminal proceedings"
        FAMILY_COURT = "family_court", "Family court proceedings"
        COURT_RESTRICTION = "court_restriction", "Court reporting restriction"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ONGOING = "ongoing", "In progress"
        PAUSED = "paused", "Paused"
        CONCLUDED = "concluded", "Concluded"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="parallel_processes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED, protected=True)
    status_on = models.DateField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    # A process may move between any of its states (an inquest resumes, a trial is adjourned) but a
    # concluded one stays concluded.
    @transition(field=status, source=[Status.NOT_STARTED, Status.PAUSED, Status.ONGOING], target=Status.ONGOING)
    def mark_ongoing(self):
        pass

    @transition(field=status, source=[Status.NOT_STARTED, Status.ONGOING, Status.PAUSED], target=Status.PAUSED)
    def mark_paused(self):
        pass

    @transition(field=status, source=[Status.NOT_STARTED, Status.ONGOING, Status.PAUSED], target=Status.CONCLUDED)
    def mark_concluded(self):
        pass


class ReviewMember(models.Model):
    """A member of the Review Group: a lead reviewer or a senior manager of a relevant agency."""

    class Role(models.TextChoices):
        LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
        SENIOR_MANAGER = "senior_manager", "Senior manager of an agency"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    represents = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    has_conflict = models.BooleanField(default=False)
    conflict_details = models.TextField(blank=True)
    involved_in_case = models.BooleanField(default=False)
    # An SCR's lead reviewer: their qualifications and the independence declaration they signed.
    qualifications = models.TextField(blank=True)
    independence_declared_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], condition=models.Q(removed_at__isnull=True),
                                    name="review_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CaseGroupMember(FSMModelMixin, models.Model):
    """A practitioner of an involved agency, invited to contribute and consulted on the findings. A practitioner
    without an account is recorded by name, role and email and consulted through a link of their own."""

    class Status(models.TextChoices):
        TO_INVITE = "to_invite", "Not yet invited"
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Taking part"
        DECLINED = "declined", "Declined"
        CONTRIBUTED = "contributed", "Contributed"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="case_group")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="case_groups")
    # A practitioner without an account (user is empty): who they are and where to write to them.
    name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    involvement = models.CharField(max_length=300, help_text="Their part in the significant events.")
    status = FSMField(max_length=20, choices=Status.choices, default=Status.TO_INVITE, protected=True)
    invited_on = models.DateField(null=True, blank=True)
    status_on = models.DateField(null=True, blank=True)
    # The consultation link of a practitioner without an account: only a hash of its secret is kept.
    link_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_expires_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["link_hash"])

    class Meta:
        ordering = ["review", "agency__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="case_group_member_once"),
            models.CheckConstraint(condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                                   name="case_group_member_named"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.agency})"

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    @transition(field=status, source=[Status.TO_INVITE, Status.INVITED, Status.DECLINED], target=Status.INVITED)
    def invite(self):
        pass

    @transition(field=status, source=[Status.INVITED, Status.ACCEPTED], target=Status.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=[Status.TO_INVITE, Status.INVITED, Status.ACCEPTED], target=Status.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=[Status.INVITED, Status.ACCEPTED, Status.CONTRIBUTED],
                target=Status.CONTRIBUTED)
    def contribute(self):
        pass


class Extension(FSMModelMixin, models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField()
    new_target_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = FSMField(max_length=20, choices=Decision.choices, default=Decision.PENDING, protected=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "requested_at", "id"]

    def __str__(self) -> str:
        return f"Extension to {self.new_target_on}"

    @transition(field=decision, source=Decision.PENDING, target=Decision.APPROVED)
    def approve(self):
        pass

    @transition(field=decision, source=Decision.PENDING, target=Decision.REFUSED)
    def refuse(self):
        pass


class Pause(models.Model):
    """A court-proceedings pause: the clock stays visible and interim learning is captured meanwhile."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pauses")
    reason = models.TextField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["review"], condition=models.Q(ended_on__isnull=True),
                                               name="one_open_pause_per_review")]

    def __str__(self) -> str:
        return f"Paused from {self.started_on}"


class InterimPoint(models.Model):
    """An improvement point or corrective action captured while the review is delayed (seed s.5)."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", "Improvement point"
        CORRECTIVE = "corrective", "Corrective action"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="interim_points")
    pause = models.ForeignKey(Pause, on_delete=models.PROTECT, null=True, blank=True, related_name="points")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="interim_points")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "recorded_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class AgencyRequest(models.Model):
    """A request to an agency for written information (its agency report), with a deadline and its return."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="review_requests")
    what = models.TextField()
    requested_on = models.DateField()
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "agency__name"]

    def __str__(self) -> str:
        return f"Request to {self.agency}"


class CaseGroupComment(models.Model):
    """A Case Group member's comment or proposed correction on a draft finding, and the Review Group's reply."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        CORRECTION = "correction", "Proposed correction"

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted: the finding will change"
        PARTLY = "partly", "Partly accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"
        NOTED = "noted", "Noted"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(CaseGroupMember, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on finding {self.finding.number}"


def report_upload_to(instance, filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold a child's name).
    return f"reviews/{instance.review_id}/report-v{instance.number}.{instance.kind}"


class ReportVersion(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        WRITTEN = "written", "Written on screen"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="report_versions")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    kind = models.CharField(max_length=10, help_text="docx, pdf or txt")
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="All the text a reader of the published file could reach.")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Quality checklist (seed s.5, "The final Serious Case Review report should").
    check_analysis = models.BooleanField(default=False)
    check_plain_english = models.BooleanField(default=False)
    check_publishable = models.BooleanField(default=False)
    check_good_practice = models.BooleanField(default=False)
    checklist_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    checklist_at = models.DateTimeField(null=True, blank=True)
    qa_signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    qa_signed_off_at = models.DateTimeField(null=True, blank=True)
    qa_comments = models.TextField(blank=True)
    board_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")
    board_approved_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency for the quality checklist: a stale save of it is refused.
    checklist_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["review", "-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="report_version_once")]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def checklist_complete(self) -> bool:
        return self.check_analysis and self.check_plain_english and self.check_publishable and \
            self.check_good_practice

    @property
    def download_name(self) -> str:
        return f"report-version-{self.number}.{self.kind}"

    @property
    def kind_label(self) -> str:
        return {"docx": "Word", "pdf": "PDF", "txt": "Text"}.get(self.kind, self.kind.upper())


class HitAcceptance(models.Model):
    """A publication check hit accepted with a reason; kept by fingerprint so new versions honour it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="hit_acceptances")
    fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=30)
    reason = models.TextField()
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "accepted_at"]
        constraints = [models.UniqueConstraint(fields=["review", "fingerprint"], name="hit_accepted_once")]

    def __str__(self) -> str:
        return f"Accepted {self.kind}"


class ReviewReferenceCounter(models.Model):
    """The last review reference number given on a board in a year; locked while the next one is taken."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "year"], name="review_counter_once")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# The report-and-publication sub-area keeps its models in their own module (registered here).
from .publication_models import PublicationImpact, PublishedReport, ReportRequest, VersionCheck  # noqa: E402, F401
