"""Learning: learning summaries, the searchable library, recurring learning,
practitioner forums, case-file audits and regional sharing (seed s.6, 9, 11 and Appendix E and G).

Records are tagged with the board's typology (`casereview.typology`, a lower layer every app tags with).
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from casereview.lib.formats import long_date
from casereview.partnership.models import Agency, Board, Committee
from casereview.typology.models import Theme


class LearningSummary(models.Model):
    """Appendix E: completed for every review, presented to the Performance and L&D Committees."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="learning_summaries")
    review = models.OneToOneField("reviews.Review", on_delete=models.PROTECT, related_name="learning_summary")
    state = FSMField(max_length=20, choices=State.choices, default=State.DRAFT, protected=True)
    title = models.CharField("Review title or pseudonym", max_length=200)
    review_type = models.CharField("Type of review", max_length=120)
    methodology = models.CharField(max_length=120, blank=True)
    commissioned_on = models.DateField("Date commissioned", null=True, blank=True)
    completed_on = models.DateField("Date completed", null=True, blank=True)
    published_on = models.DateField("Date published", null=True, blank=True)
    lead_reviewers = models.CharField(max_length=300, blank=True)
    case_summary = models.TextField("Anonymised case summary", blank=True)
    why_reviewed = models.TextField("Why the case was reviewed", blank=True)
    key_findings = models.TextField(blank=True)
    good_practice = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="summaries")
    recommendations = models.TextField(blank=True, help_text="Linked to the action plan by number.")
    reflection_questions = models.TextField("Questions for reflection", blank=True,
                                            help_text="One question a line.")
    audiences = models.TextField(blank=True, help_text="Who needs to know, one audience a line.")
    evaluation = models.TextField("Evaluation of use", blank=True)
    # Optimistic concurrency (core.concurrency): an edit made from a stale copy of the summary is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "learning summaries"

    def __str__(self) -> str:
        return f"Learning summary: {self.title}"

    def audit_label(self) -> str:
        return f"Learning summary {self.review.reference}"

    @transition(field=state, source=State.DRAFT, target=State.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.DRAFT)
    def reopen(self):
        pass

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.reflection_questions.splitlines() if q.strip()]

    def audience_list(self) -> list[str]:
        return [a.strip() for a in self.audiences.splitlines() if a.strip()]

    def text_fields(self) -> dict[str, str]:
        """Every free-text field, by label: what the publication check reads before any export."""
        names = ["title", "lead_reviewers", "case_summary", "why_reviewed", "key_findings", "good_practice",
                 "recommendations", "reflection_questions", "audiences", "evaluation"]
        return {str(self._meta.get_field(n).verbose_name).capitalize(): getattr(self, n) for n in names}


class SummaryPresentation(models.Model):
    summary = models.ForeignKey(LearningSummary, on_delete=models.CASCADE, related_name="presentations")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    presented_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["presented_on", "id"]
        constraints = [models.UniqueConstraint(fields=["summary", "committee"], name="summary_presented_once")]

    def __str__(self) -> str:
        return f"Presented to {self.committee} on {long_date(self.presented_on)}"


class SummaryDissemination(models.Model):
    class Channel(models.TextChoices):
        BRIEFING = "briefing", "Seven-minute briefing"
        TRAINING = "training", "Training session"
        NEWSLETTER = "newsletter", "Newsletter"
        EMAIL = "email", "Email to agencies"
        WEBSITE = "website", "Board website"
        TEAM_MEETING = "team_meeting", "Team meetings"
        CONFERENCE = "conference", "Conference or learning event"
        REGIONAL = "regional", "Regional group"
        OTHER = "other", "Other"

    summary = models.ForeignKey(LearningSummary, on_delete=models.CASCADE, related_name="disseminations")
    channel = models.CharField(max_length=30, choices=Channel.choices)
    audience = models.CharField(max_length=300)
    date = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.audience} on {long_date(self.date)}"


class LibraryEntry(models.Model):
    """One searchable piece of learning. Maintained by services; the full-text index follows it (FTS5 on
    SQLite by triggers, an expression GIN index on PostgreSQL)."""

    class Kind(models.TextChoices):
        FINDING = "finding", "Review finding"
        SUMMARY = "summary", "Learning summary"
        FORUM_OUTPUT = "forum_output", "Forum output"
        AUDIT_FINDING = "audit_finding", "Audit finding"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField()
    source_label = models.CharField(max_length=200, help_text='Where it came from, e.g. "DEMO-4".')
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    review_type = models.CharField(max_length=30, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    learned_on = models.DateField(null=True, blank=True)
    improvement = models.BooleanField(default=True, help_text="False for good practice.")
    # Findings of a review whose learning summary is not yet approved stay with those who may see the case.
    restricted_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="library_entries")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")

    # The library copies its tags from the records it indexes: a typology merge moves them but does not count them.
    theme_tags_are_made_by_people = False

    class Meta:
        ordering = ["-learned_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="library_entry_once")]
        indexes = [models.Index(fields=["board", "year"], name="library_board_year"),
                   models.Index(fields=["board", "review_type"], name="library_board_type"),
                   models.Index(fields=["board", "-learned_on", "-id"], name="library_board_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SustainQuestion(models.Model):
    """Seed s.6: a finding repeats earlier learning, so the Performance Committee asks why it did not stick."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="sustain_questions")
    finding = models.OneToOneField("reviews.Finding", on_delete=models.PROTECT, related_name="sustain_question")
    question = models.TextField(default="Why was this learning not sustained?")
    state = FSMField(max_length=20, choices=State.choices, default=State.OPEN, protected=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.question} ({self.get_state_display()})"

    def audit_label(self) -> str:
        return f"Recurring learning question {self.pk}"

    @transition(field=state, source=State.OPEN, target=State.ANSWERED)
    def mark_answered(self):
        pass


class RecurringMatch(models.Model):
    """One piece of earlier learning a finding repeats, with the evidence as it stood when found."""

    question = models.ForeignKey(SustainQuestion, on_delete=models.CASCADE, related_name="matches")
    earlier = models.ForeignKey(LibraryEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    earlier_kind = models.CharField(max_length=20, choices=LibraryEntry.Kind.choices)
    earlier_title = models.CharField(max_length=300)
    earlier_source = models.CharField(max_length=200)
    earlier_on = models.DateField(null=True, blank=True)
    score = models.FloatField()
    text_similarity = models.FloatField()
    shared_themes = models.JSONField(default=list)
    shared_phrases = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"Repeats {self.earlier_title} ({self.earlier_source})"


class Forum(models.Model):
    """A multi-agency professional discussion forum (seed s.6, Appendix G item 8)."""

    class Origin(models.TextChoices):
        REVIEW_FINDINGS = "review_findings", "Findings from reviews"
        NATIONAL_GUIDANCE = "national_guidance", "Change in national guidance"
        POLICY_REVIEW = "policy_review", "Review of a policy or procedure"
        AUDIT = "audit", "Audit findings"
        BEST_PRACTICE = "best_practice", "Best practice principles"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="forums")
    title = models.CharField("Forum theme", max_length=200)
    origin = models.CharField("Where the theme came from", max_length=30, choices=Origin.choices)
    origin_detail = models.TextField("About where it came from", blank=True)
    origin_review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="Review it came from")
    themes = models.ManyToManyField(Theme, blank=True, related_name="forums")
    state = FSMField(max_length=20, choices=State.choices, default=State.OPEN, protected=True)
    # Optimistic concurrency (core.concurrency): an edit of the topic made from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"Forum {self.pk}"

    @transition(field=state, source=State.OPEN, target=State.CLOSED)
    def close(self):
        pass


class ForumSession(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("Date")
    format = models.CharField(max_length=200, help_text="For example: in person, online, or a recall session.")
    facilitator = models.CharField(max_length=200, blank=True)
    # Optimistic concurrency (core.concurrency): the session's attendance saved from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.forum} on {long_date(self.held_on)}"

    def total_attendance(self) -> int:
        return sum(a.attendees for a in self.attendance.all())


class ForumAttendance(models.Model):
    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendees = models.PositiveIntegerField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["session", "agency"], name="attendance_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.attendees}"


class ForumOutput(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion output"
        LEARNING = "learning", "Learning"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class AuditTool(models.Model):
    """A reusable audit tool: questions, each graded on a scale that says which grades meet the standard."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="audit_tools")
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="audit_tool_name_unique")]

    def __str__(self) -> str:
        return self.name


class AuditQuestion(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField()
    text = models.TextField("Question")
    scale = models.CharField("Grading scale", max_length=20)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["tool", "number"], name="audit_question_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Audit(models.Model):
    class Kind(models.TextChoices):
        MULTI_AGENCY = "multi_agency", "Multi-agency case-file audit"
        SINGLE_AGENCY = "single_agency", "Single-agency case-file audit"

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="audits")
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="audits")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agencies = models.ManyToManyField(Agency, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="audits")
    audited_on = models.DateField("Audit date")
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reaudits",
                                 help_text="The audit this one repeats.")
    state = FSMField(max_length=20, choices=State.choices, default=State.PLANNED, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-audited_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"Audit {self.pk}"

    @transition(field=state, source=State.PLANNED, target=State.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=state, source=State.IN_PROGRESS, target=State.COMPLETE)
    def complete(self):
        pass


class AuditTheme(models.Model):
    """A theme the board means to audit, waiting for an audit to be planned (for example a referral the SCR
    Committee routed to an audit). Named by reference, never by a child's name."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="audit_themes")
    title = models.CharField(max_length=200)
    kind = models.CharField("Type of audit", max_length=20, choices=Audit.Kind.choices)
    source_label = models.CharField(max_length=200, blank=True, help_text='Where it came from, e.g. "Referral R-12".')
    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_theme",
                                 help_text="The audit planned for this theme.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class AuditCase(models.Model):
    """A case in the sample, known only by a pseudonym: the audit never holds a name."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    pseudonym = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["audit", "pseudonym"], name="audit_case_pseudonym_unique")]

    def __str__(self) -> str:
        return self.pseudonym


class AuditResponse(models.Model):
    """One agency's answers for one case of an audit, as people edit them together: it carries the edit counter
    (core.concurrency), so two people answering for the same agency and case cannot overwrite each other."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="responses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="audit_response_once")]

    def __str__(self) -> str:
        return f"{self.case}: {self.agency}"


class AuditAnswer(models.Model):
    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    grade = models.CharField(max_length=30)
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency", "question"], name="audit_answer_once")]

    def __str__(self) -> str:
        return f"{self.case} {self.agency} question {self.question.number}: {self.grade}"


class AuditFinding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    improvement = models.BooleanField(default=True)
    text = models.TextField("Finding")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class RegionalImport(models.Model):
    """A file of another board's anonymised learning summaries, in the regional format (docs/regional-format.md)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="regional_imports")
    source_board = models.CharField(max_length=200)
    source_region = models.CharField(max_length=120, blank=True)
    format_version = models.CharField(max_length=10)
    exported_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["board", "sha256"], name="regional_file_once")]

    def __str__(self) -> str:
        return f"{self.source_board} ({long_date(self.imported_at)})"


class RegionalSummary(models.Model):
    regional_import = models.ForeignKey(RegionalImport, on_delete=models.CASCADE, related_name="summaries")
    external_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    review_type = models.CharField(max_length=120)
    year_completed = models.PositiveIntegerField(null=True, blank=True)
    key_findings = models.TextField()
    good_practice = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    themes = models.JSONField(default=list)  # [{"code": "A1", "name": "Information sharing", "group": "Practice"}]

    class Meta:
        ordering = ["regional_import", "id"]

    def __str__(self) -> str:
        return self.title
