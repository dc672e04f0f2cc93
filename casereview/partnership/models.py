"""A board, its partner agencies, its committees and its people."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from casereview.lib.formats import long_date

from .roles import Role


class Board(models.Model):
    """A safeguarding children board (or partnership). Several can share one deployment, fully separated."""

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    rule_pack = models.CharField(
        max_length=40, default="lscb-2015",
        help_text="The statutory timescales this board works to.",
    )
    region = models.CharField(max_length=120, blank=True)
    protective_marking = models.CharField(
        max_length=60, default="OFFICIAL-SENSITIVE",
        help_text="Printed at the top and bottom of every page of documents and exports that name anyone.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the board counts as non-working on top of weekends and bank holidays."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "date"], name="one_closure_per_day")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{long_date(self.date)}: {self.reason}"


class Agency(models.Model):
    class Type(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
        POLICE = "police", "Police"
        HEALTH_TRUST = "health_trust", "Health trust"
        GP = "gp", "GP"
        HEALTH_VISITING = "health_visiting", "Health visiting"
        MIDWIFERY = "midwifery", "Midwifery"
        EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
        AMBULANCE = "ambulance", "Ambulance service"
        SCHOOL = "school", "School or education"
        HOUSING = "housing", "Housing"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    short_code = models.CharField(max_length=12, help_text="A short label such as CSC or POL.")
    type = models.CharField(max_length=30, choices=Type.choices)
    active = models.BooleanField(default=True)
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="agency_name_unique_in_board"),
            models.UniqueConstraint(fields=["board", "short_code"], name="agency_code_unique_in_board"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person with an account. Platform operators have no board; everyone else belongs to one."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Only fictional demo accounts may skip two-factor, and only while the deployment runs in demo mode.
    is_demo_account = models.BooleanField(default=False)
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        # Cached per instance: permission checks ask this many times in one request.
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.role_grants.values_list("role", flat=True))
        return self._role_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.role_set)]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Committee(models.Model):
    """A board committee; its meeting rhythm and quorum are data (seed Appendix G and H)."""

    class Kind(models.TextChoices):
        SCR = "scr", "Serious Case Review Committee"
        PERFORMANCE = "performance", "Performance Committee"
        LEARNING_DEVELOPMENT = "learning_development", "Learning and Development Committee"
        POLICY = "policy", "Policy, Procedures and Practice Committee"
        EXECUTIVE = "executive", "Executive"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="committees")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField(blank=True)
    meeting_frequency_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days between meetings, for example 42 for every six weeks."
    )
    quorum_requires_chair = models.BooleanField(default=True)
    quorum_vice_chair_may_stand_in = models.BooleanField(
        default=False, help_text="The vice chair counts for the chair when the chair is absent."
    )
    quorum_agency_representatives = models.PositiveIntegerField(
        default=0, help_text="How many agency representatives, besides the chair, make the meeting quorate."
    )
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="committee_name_unique_in_board")]

    def __str__(self) -> str:
        return self.name

    def quorum_rule_text(self) -> str:
        parts = []
        if self.quorum_requires_chair:
            parts.append("the chair (or the vice chair)" if self.quorum_vice_chair_may_stand_in else "the chair")
        if self.quorum_agency_representatives:
            n = self.quorum_agency_representatives
            parts.append(f"{n} agency representative{'s' if n != 1 else ''} from different agencies")
        return "Quorate with " + " and ".join(parts) if parts else "No quorum rule set"

    def frequency_text(self) -> str:
        days = self.meeting_frequency_days
        if not days:
            return "As needed"
        if days % 7 == 0:
            weeks = days // 7
            return "Every week" if weeks == 1 else f"Every {weeks} weeks"
        return f"Every {days} days"


class CommitteeMembership(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser (not counted for quorum)"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="committee_memberships")
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    represents = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="committee_seats",
        help_text="The agency this member represents, which counts towards quorum.",
    )
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "position", "user"]
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="one_membership_per_committee")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_position_display()}, {self.committee})"
