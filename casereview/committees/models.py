"""Committee meetings (seed s.7, Appendix G and H): scheduled from each committee's frequency, attendance by
agency, quorum from the committee's rule, an agenda that fills itself, minutes, decisions and actions.

The committees themselves (name, kind, frequency, quorum rule, members) belong to the partnership app.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from casereview.lib.formats import long_date
from casereview.partnership.models import Agency, Board, Committee


class Meeting(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=120)
    location = models.CharField(max_length=200)
    state = FSMField(max_length=20, choices=State.choices, default=State.SCHEDULED, protected=True)
    cancelled_reason = models.TextField(blank=True)
    class MinutesState(models.TextChoices):
        NONE = "none", "No minutes yet"
        DRAFT = "draft", "Draft, to be approved at the next meeting"
        APPROVED = "approved", "Approved and circulated"

    minutes = models.TextField(blank=True)
    minutes_state = FSMField(max_length=20, choices=MinutesState.choices, default=MinutesState.NONE,
                             protected=True)
    # The later meeting that approved these minutes, and when they went to the members.
    minutes_approved_at_meeting = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                                    related_name="minutes_approved")
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    # Bumped whenever the time or place changes, so calendars replace the invitation instead of adding one.
    ics_sequence = models.PositiveIntegerField(default=0)
    # Optimistic concurrency (core.concurrency): an edit of the minutes or of the attendance made from a stale copy
    # is refused. Two counters, so writing the minutes and correcting the attendance do not refuse each other.
    minutes_version = models.PositiveIntegerField(default=1)
    attendance_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.committee.name}, {long_date(self.starts_at)}"

    def audit_label(self) -> str:
        return str(self)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @transition(field=state, source=[State.SCHEDULED, State.HELD], target=State.HELD)
    def mark_held(self) -> None:
        pass

    @transition(field=minutes_state, source=[MinutesState.NONE, MinutesState.DRAFT], target=MinutesState.DRAFT)
    def draft_minutes(self, *, text: str, by, at) -> None:
        self.minutes = text
        self.minutes_recorded_by = by
        self.minutes_recorded_at = at

    @transition(field=minutes_state, source=MinutesState.DRAFT, target=MinutesState.APPROVED)
    def approve_minutes(self, *, at_meeting: "Meeting", circulated_at) -> None:
        self.minutes_approved_at_meeting = at_meeting
        self.minutes_circulated_at = circulated_at

    @transition(field=state, source=State.SCHEDULED, target=State.CANCELLED)
    def cancel(self, reason: str) -> None:
        self.cancelled_reason = reason
        self.ics_sequence += 1


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Copied from the membership at the meeting, so later changes of membership do not rewrite history.
    position = models.CharField(max_length=20)
    represents = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "represents__name", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"

    @property
    def position_label(self) -> str:
        return {"chair": "Chair", "vice_chair": "Vice chair", "member": "Member",
                "adviser": "Adviser (not counted)"}.get(self.position, self.position)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REVIEW = "review", "Completed review"
        LEARNING_SUMMARY = "learning_summary", "Learning summary"
        EXCEPTION_REPORT = "exception_report", "Action plan exception report"
        REFERRAL = "referral", "Referral awaiting recommendation"
        PLAN_APPROVAL = "plan_approval", "Action plan awaiting approval"
        PLAN_IMPACT = "plan_impact", "Completed actions: impact to evaluate"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=250)
    paper = models.TextField(blank=True, help_text="The paper for this item, included in the agenda pack.")
    presenter = models.CharField(max_length=200, blank=True)
    # Where a proposed item came from ("reviews.review", "12"), so it is proposed only once.
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    link = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "source_type", "source_id"],
                                               condition=~Q(source_id=""), name="agenda_source_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="decisions")
    text = models.TextField()
    # An SCR Committee decision may approve an action plan (the plan records this decision in turn).
    approves_plan = models.ForeignKey("actions.ActionPlan", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="approving_decisions")
    # An SCR Committee decision may be its recommendation to the Independent Chair on a referral.
    recommends_on_referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="committee_decisions")
    # The quorum when the decision was recorded: an inquorate decision stays flagged for ever.
    quorate = models.BooleanField()
    quorum_note = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk} of {self.meeting}"


class MeetingAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="meeting_actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]
