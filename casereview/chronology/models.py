"""Multi-agency chronologies of Significant Practice Events (seed section 10 and Appendix I).

A review asks agencies for their chronologies (ChronologyRequest). Each agency's chronology is kept as
versions (ChronologyVersion): one draft the agency works on, then submitted, accepted, and superseded when
a newer version replaces it, so every earlier version stays queryable. Entries (ChronologyEntry) belong to a
version; the merged chronology is every agency's current accepted (or, for the command line, latest
returned) version, read through two indexed flags kept in step by the services.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from casereview.cases.models import CasePerson
from casereview.lib.chrono_dates import FuzzyDate
from casereview.lib.dates import today as current_date
from casereview.partnership.models import Agency, Board
from casereview.reviews.models import Review

SIGNIFICANCE_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    # (field, short label for tables and filters, the question as seed Appendix I asks it)
    ("q_assessment", "Changed the assessment",
     "Is this event one that changed or could have changed your assessment of the situation for the child?"),
    ("q_pattern", "Part of a pattern",
     "Is this event symbolic or indicative of a pattern of events that individually would not otherwise be "
     "considered significant?"),
    ("q_statutory", "Statutory event",
     "Is this a 'statutory' event, for example a child protection conference, court hearing or similar?"),
    ("q_child", "Significant to the child",
     "Would this have been an event that the child perceived as significant in their life?"),
    ("q_adult", "Significant to an adult",
     "Would this have been an event that a significant adult would perceive as significant in their life or "
     "the life of the child?"),
    ("q_learning_point", "Learning point",
     "Has this event got significance as a learning point for agencies?"),
)
QUESTION_FIELDS = tuple(q[0] for q in SIGNIFICANCE_QUESTIONS)

SPE_PRINCIPLES: tuple[tuple[str, str, str], ...] = (
    ("risk", "Risk", "Each Significant Practice Event details the presentation of risk."),
    ("response", "Response", "The response given by the agency is clearly presented (action taken, or why none)."),
    ("partnership", "Partnership", "Understanding of multi-agency considerations is apparent."),
    ("learning", "Learning", "Learning opportunities are identified, in particular those which are significant "
                             "or new."),
)


class EventType(models.TextChoices):
    CONTACT = "contact", "Contact"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    MEETING = "meeting", "Meeting or conference"
    HOME_VISIT = "home_visit", "Home visit"
    HEALTH_APPOINTMENT = "health_appointment", "Health appointment"
    MISSED_APPOINTMENT = "missed_appointment", "Missed appointment / was not brought"
    INCIDENT = "incident", "Incident"
    TRANSITION = "transition", "Transition"
    COURT = "court", "Court"
    OTHER = "other", "Other"


class ReviewChronology(models.Model):
    """A review's chronology settings: chasing rhythm, the reviewer's gap threshold, analysis freshness."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="chronology")
    instructions_note = models.TextField(
        blank=True, help_text="Anything agencies should know for this review, added to the generated instructions.")
    # The chasing rhythm is set per review by the Business Manager (the rule packs have no clock for it).
    remind_days_before = models.PositiveIntegerField(default=3)
    chase_every_days = models.PositiveIntegerField(default=7)
    gap_threshold_days = models.PositiveIntegerField(default=90)
    analysis_stale = models.BooleanField(default=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # edits of the settings (core/concurrency.py)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Chronology of {self.review.reference}"

    def audit_label(self) -> str:
        return self.review.reference


class ChronologyRequest(models.Model):
    """One agency asked for its chronology for one review, by a deadline. The SCR Committee may ask while a
    referral is considered, before any review exists (`referral` set, `review` empty); when the referral becomes
    a review the request, its versions and entries carry into it: `review` set, `referral` cleared so they belong
    to the review alone, and `carried_from` keeps the referral's reference. A referral that ends without a
    review keeps them, and they follow its retention (deleted with it)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_requests", null=True,
                               blank=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="chronology_requests")
    carried_from = models.CharField(max_length=40, blank=True, help_text="The referral it was asked for, when "
                                    "it was asked before the review existed")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chronology_requests")
    deadline = models.DateField(null=True, blank=True)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveIntegerField(default=0)
    # Who the request (or a later reminder or chase) was emailed to; empty means nobody at the agency got it.
    delivered_to = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="one_request_per_agency"),
                       models.UniqueConstraint(fields=["referral", "agency"], condition=models.Q(review__isnull=True),
                                               name="one_referral_request_per_agency")]

    def __str__(self) -> str:
        return f"{self.subject_reference}: {self.agency.short_code}"

    def audit_label(self) -> str:
        return f"{self.subject_reference} {self.agency.short_code}"

    @property
    def subject_reference(self) -> str:
        """The review's reference, or the referral's while no review exists yet."""
        return self.review.reference if self.review_id else self.referral.reference

    @property
    def board_id(self) -> int:
        return self.review.board_id if self.review_id else self.referral.board_id

    @property
    def delivered(self) -> bool:
        return bool(self.delivered_to)

    @property
    def not_delivered(self) -> bool:
        """Still waiting to be started and nobody at the agency has received it: never counted as sent."""
        return self.status == self.Status.REQUESTED and not self.delivered

    @property
    def review_finished(self) -> bool:
        """The review was published or closed: nothing of it is overdue any more."""
        return self.review_id is not None and self.review.status in (Review.Status.PUBLISHED,
                                                                     Review.Status.NOT_PUBLISHED)

    def is_overdue(self, today: date | None = None) -> bool:
        """Late with an agency that received the request (one nobody received is "Not delivered" instead);
        never once the review is published or closed."""
        today = today or current_date()
        return (not self.not_delivered and self.deadline is not None and self.deadline < today
                and self.status in (self.Status.REQUESTED, self.Status.IN_PROGRESS) and not self.review_finished)

    def display_status(self, today: date | None = None) -> tuple[str, str]:
        """(label, GOV.UK tag modifier): overdue is shown instead of requested or in progress, and a request
        nobody received is "Not delivered", never "Requested"."""
        if self.review_finished and self.status in (self.Status.REQUESTED, self.Status.IN_PROGRESS):
            return "Not returned", "govuk-tag--grey"
        if self.not_delivered:
            return "Not delivered", "govuk-tag--red"
        if self.is_overdue(today):
            return "Overdue", "govuk-tag--red"
        return {
            self.Status.REQUESTED: ("Requested", "govuk-tag--grey"),
            self.Status.IN_PROGRESS: ("In progress", "govuk-tag--light-blue"),
            self.Status.SUBMITTED: ("Submitted", "govuk-tag--yellow"),
            self.Status.ACCEPTED: ("Accepted", "govuk-tag--green"),
        }[self.status]

    @transition(field=status, source=[Status.REQUESTED], target=Status.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[Status.REQUESTED, Status.IN_PROGRESS, Status.SUBMITTED, Status.ACCEPTED],
                target=Status.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=[Status.SUBMITTED], target=Status.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=[Status.SUBMITTED], target=Status.IN_PROGRESS)
    def send_back(self):
        pass


class ChronologyVersion(models.Model):
    """One version of one agency's chronology for one review."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        SUPERSEDED = "superseded", "Superseded"

    class Origin(models.TextChoices):
        BROWSER = "browser", "Entered in the browser"
        UPLOAD = "upload", "Uploaded spreadsheet"
        COMMAND = "command", "Imported by an administrator"
        COPY = "copy", "Copied from an earlier version"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_versions", null=True,
                               blank=True)
    # Written at referral stage (see ChronologyRequest); cleared when the version carries into the review.
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="chronology_versions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chronology_versions")
    number = models.PositiveIntegerField()
    state = FSMField(max_length=20, choices=State.choices, default=State.DRAFT, protected=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.BROWSER)
    source_filename = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    entry_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "agency__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["review", "agency"], condition=models.Q(state="draft"),
                                    name="one_draft_per_agency"),
            models.UniqueConstraint(fields=["referral", "agency", "number"], condition=models.Q(review__isnull=True),
                                    name="referral_version_number_unique"),
            models.UniqueConstraint(fields=["referral", "agency"],
                                    condition=models.Q(state="draft", review__isnull=True),
                                    name="one_referral_draft_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_reference} {self.agency.short_code} version {self.number}"

    def audit_label(self) -> str:
        return f"{self.subject_reference} {self.agency.short_code} v{self.number}"

    @property
    def subject_reference(self) -> str:
        return self.review.reference if self.review_id else self.referral.reference

    @property
    def board_id(self) -> int:
        return self.review.board_id if self.review_id else self.referral.board_id

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.DRAFT)
    def send_back(self):
        pass

    @transition(field=state, source=[State.DRAFT, State.SUBMITTED, State.ACCEPTED], target=State.SUPERSEDED)
    def supersede(self):
        pass


class ChronologyEntry(models.Model):
    """A Significant Practice Event, as the domain brief lists its fields (Chronolator-compatible)."""

    version = models.ForeignKey(ChronologyVersion, on_delete=models.CASCADE, related_name="entries")
    # Copied from the version so the merged chronology is read from one indexed table.
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agency_code = models.CharField(max_length=12)
    current_accepted = models.BooleanField(default=False)  # in the agency's accepted version
    current_returned = models.BooleanField(default=False)  # in the agency's latest submitted or accepted version

    event_ref = models.CharField(max_length=40)
    ref_key = models.CharField(max_length=80)  # natural sort: POL-9 before POL-10

    start_year = models.PositiveSmallIntegerField()
    start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    start_day = models.PositiveSmallIntegerField(null=True, blank=True)
    start_uncertain = models.BooleanField(default=False)
    start_sort = models.PositiveIntegerField()  # FuzzyDate.sort_key() as one number
    start_first_day = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    start_minutes = models.SmallIntegerField(default=-1)  # -1 when there is no time: sorts first in the day

    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(null=True, blank=True)
    end_uncertain = models.BooleanField(default=False)
    end_time = models.TimeField(null=True, blank=True)

    source = models.CharField(max_length=500)
    practitioner_role = models.CharField(max_length=200, blank=True)
    people = models.ManyToManyField(CasePerson, blank=True, related_name="chronology_entries")
    people_text = models.CharField(max_length=500, blank=True, help_text="People named in an import that did "
                                                                          "not match the case's people.")
    event_type = models.CharField(max_length=30, choices=EventType.choices, blank=True)
    event_type_other = models.CharField(max_length=100, blank=True)
    description = models.TextField()
    risk = models.TextField(blank=True)
    response = models.TextField(blank=True)
    partnership = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    q_assessment = models.BooleanField(default=False)
    q_pattern = models.BooleanField(default=False)
    q_statutory = models.BooleanField(default=False)
    q_child = models.BooleanField(default=False)
    q_adult = models.BooleanField(default=False)
    q_learning_point = models.BooleanField(default=False)
    good_practice = models.BooleanField(default=False)
    key_practice_episode = models.BooleanField(default=False)

    search_text = models.TextField(blank=True)  # casefolded text of the entry, for the free-text filter
    duplicate_group = models.PositiveIntegerField(null=True, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (core.concurrency) for edits of an entry in a draft: `version` is the chronology
    # version the entry belongs to, so the edit counter has its own name.
    edit_version = models.PositiveIntegerField(default=1)

    ORDERING = ("start_sort", "start_minutes", "agency_code", "ref_key", "id")

    class Meta:
        ordering = ["start_sort", "start_minutes", "agency_code", "ref_key", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [
            # The merged chronology reads one of two sets in merged order; partial indexes serve both
            # straight from the index (first page, keyset pages and counts alike).
            models.Index(fields=["review", "start_sort", "start_minutes", "agency_code", "ref_key", "id"],
                         condition=models.Q(current_accepted=True), name="chron_accepted_order"),
            models.Index(fields=["review", "start_sort", "start_minutes", "agency_code", "ref_key", "id"],
                         condition=models.Q(current_returned=True), name="chron_returned_order"),
            models.Index(fields=["review", "agency", "start_sort"], condition=models.Q(current_accepted=True),
                         name="chron_accepted_agency"),
            models.Index(fields=["review", "agency", "start_sort"], condition=models.Q(current_returned=True),
                         name="chron_returned_agency"),
            models.Index(fields=["review", "duplicate_group"], condition=models.Q(duplicate_group__isnull=False),
                         name="chron_duplicates"),
            models.Index(fields=["version", "start_sort"], name="chron_entry_version"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.event_ref}"

    def audit_label(self) -> str:
        return f"{self.agency_code} {self.event_ref}"

    @property
    def board_id(self) -> int:
        return self.agency.board_id

    @property
    def start(self) -> FuzzyDate:
        return FuzzyDate(self.start_year, self.start_month, self.start_day, self.start_uncertain)

    @property
    def end(self) -> FuzzyDate | None:
        if self.end_year is None:
            return None
        return FuzzyDate(self.end_year, self.end_month, self.end_day, self.end_uncertain)

    @property
    def event_type_label(self) -> str:
        if self.event_type == EventType.OTHER and self.event_type_other:
            return self.event_type_other
        return self.get_event_type_display() if self.event_type else ""

    def answered_questions(self) -> list[str]:
        return [label for field, label, _ in SIGNIFICANCE_QUESTIONS if getattr(self, field)]

    def quality(self) -> list[tuple[str, bool]]:
        """The SPE quality checklist: does the entry state risk, response, partnership and learning?"""
        return [(label, bool(getattr(self, field).strip())) for field, label, _ in SPE_PRINCIPLES]

    def quality_ok(self) -> bool:
        return all(ok for _, ok in self.quality())

    @property
    def is_significant(self) -> bool:
        return self.key_practice_episode or any(getattr(self, f) for f in QUESTION_FIELDS)


class EntryStar(models.Model):
    """A review group member flags an entry for attention."""

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="stars")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="one_star_per_user")]

    def __str__(self) -> str:
        return f"Flag on {self.entry}"


class EntryTag(models.Model):
    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=60)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tag"]
        constraints = [models.UniqueConstraint(fields=["entry", "tag"], name="tag_once_per_entry")]

    def __str__(self) -> str:
        return self.tag


class EntryComment(models.Model):
    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.entry}"


class SavedView(models.Model):
    """A named set of filters on a review's merged chronology, shared with the review group."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_views")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["review", "name"], name="saved_view_name_unique")]

    def __str__(self) -> str:
        return self.name


class ImportMode(models.TextChoices):
    """What an import does to a draft that already has entries: nothing typed in is ever lost silently."""

    ADD = "add", "Add these entries to your draft"
    REPLACE = "replace", "Replace your draft"
    UPDATE = "update", "Update entries that share an event reference, and add the rest"


class ImportJob(models.Model):
    """An uploaded file on its way into an agency's draft: headings read, columns confirmed, rows checked and
    saved, in the background. A worker that dies leaves a job whose heartbeat stops; the sweeper fails it
    (with a retry) and removes files nobody came back for."""

    class Status(models.TextChoices):
        READING = "reading", "Reading the headings"
        MAPPING = "mapping", "Waiting for the columns to be confirmed"
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        FAILED = "failed", "Problems found"
        DONE = "done", "Imported"
        EXPIRED = "expired", "Not finished: the file was removed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_imports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=255)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField(default=0)
    headings = models.JSONField(default=list)
    samples = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.REPLACE)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.READING, protected=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    # The import stopped without finishing (its worker died): the file is kept so that it can be retried.
    stalled = models.BooleanField(default=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    version = models.ForeignKey(ChronologyVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_job_sweep")]

    def __str__(self) -> str:
        return f"Import {self.pk}"

    def audit_label(self) -> str:
        return f"{self.review.reference} {self.agency.short_code} import {self.pk}"

    @transition(field=status, source=Status.READING, target=Status.MAPPING)
    def headings_read(self):
        pass

    @transition(field=status, source=Status.MAPPING, target=Status.QUEUED)
    def queue(self):
        pass

    @transition(field=status, source=Status.FAILED, target=Status.QUEUED, conditions=[lambda job: job.stalled])
    def retry(self):
        pass

    @transition(field=status, source=Status.QUEUED, target=Status.CHECKING)
    def start(self):
        pass

    # From FAILED too: a worker the sweeper gave up on may still have finished, and then the import stands.
    @transition(field=status, source=[Status.CHECKING, Status.FAILED], target=Status.DONE)
    def finish(self):
        pass

    @transition(field=status, source=[Status.READING, Status.QUEUED, Status.CHECKING], target=Status.FAILED)
    def fail(self):
        pass

    @transition(field=status, source=[Status.MAPPING, Status.FAILED], target=Status.EXPIRED)
    def expire(self):
        pass

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)


class DuplicateDecision(models.Model):
    """The review group's decision on a suggested pair: the same event recorded by two agencies, or not.

    Events are named by agency and event reference, so a decision holds across new versions of the agencies'
    chronologies. Confirmed pairs form the duplicate groups; a dismissed pair is never suggested again."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "The same event"
        DISMISSED = "dismissed", "Different events"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="duplicate_decisions")
    agency_a = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    ref_a = models.CharField(max_length=40)
    agency_b = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    ref_b = models.CharField(max_length=40)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "agency_a", "ref_a", "agency_b", "ref_b"],
                                               name="one_decision_per_pair")]

    def __str__(self) -> str:
        return f"{self.ref_a} / {self.ref_b}: {self.get_decision_display()}"

    @property
    def board_id(self) -> int:
        return self.review.board_id

    def audit_label(self) -> str:
        return f"{self.review.reference} duplicate {self.ref_a} / {self.ref_b}"

    @staticmethod
    def key(agency_id: int, ref: str) -> tuple[int, str]:
        return agency_id, ref.casefold()


class ExportJob(models.Model):
    """An export larger than a page, written in the background: progress, then a download link (and an email).
    The file is removed a day after it was made."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Writing the export"
        DONE = "done", "Ready to download"
        FAILED = "failed", "The export stopped"
        EXPIRED = "expired", "Removed: export again to download it"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fmt = models.CharField(max_length=8)
    anonymised = models.BooleanField(default=False)
    filters = models.JSONField(default=dict)
    filters_used = models.JSONField(default=list)
    description = models.CharField(max_length=200)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.QUEUED, protected=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=255, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.pk}"

    @property
    def board_id(self) -> int:
        return self.review.board_id

    def audit_label(self) -> str:
        return f"{self.review.reference} export {self.pk}"

    @transition(field=status, source=Status.QUEUED, target=Status.RUNNING)
    def start(self):
        pass

    @transition(field=status, source=Status.RUNNING, target=Status.DONE)
    def finish(self):
        pass

    @transition(field=status, source=[Status.QUEUED, Status.RUNNING], target=Status.FAILED)
    def fail(self):
        pass

    @transition(field=status, source=[Status.DONE, Status.FAILED], target=Status.EXPIRED)
    def expire(self):
        pass

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0
