"""A case: the child and family at the centre of a referral and any review that follows.

Referrals, reviews, chronologies and publication checks all hang off one case, so the people recorded
here (names, aliases, dates of birth, addresses, schools) are recorded once and used everywhere:
the anonymised labels in exports and the identifiers the publication check looks for.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casereview.partnership.models import Agency, Board


class Case(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=40)
    # How the case is known everywhere it could be seen by more people than need the names.
    pseudonym = models.CharField(max_length=80, help_text='For example "Child M".')
    summary = models.TextField(blank=True, help_text="A short, anonymised description.")
    opened_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    agencies = models.ManyToManyField(Agency, through="CaseAgency", related_name="cases")
    # Optimistic concurrency: the pseudonym form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["board", "reference"], name="case_ref_unique_in_board"),
            models.UniqueConstraint(fields=["board", "pseudonym"], name="case_pseudonym_unique_in_board"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.pseudonym})"

    def save(self, *args, **kwargs):
        # A new case never takes a pseudonym another case of the board already has: "Child E" becomes
        # "Child E2", so three different children are never all "Child E". Renaming is case_set_pseudonym.
        if self._state.adding and self.board_id:
            self.pseudonym = unique_pseudonym(self.board_id, self.pseudonym)
        super().save(*args, **kwargs)

    def audit_label(self) -> str:
        return self.reference

    @property
    def subject_child(self):
        return self.people.filter(relationship=CasePerson.Relationship.SUBJECT_CHILD).first()


def unique_pseudonym(board_id: int, wanted: str, *, exclude_case_id: int | None = None) -> str:
    """``wanted`` if no other case of the board uses it, else the first free "wanted2", "wanted3", ..."""
    wanted = " ".join(wanted.split()) or "Child"
    taken = Case.objects.filter(board_id=board_id, pseudonym__istartswith=wanted)
    if exclude_case_id:
        taken = taken.exclude(pk=exclude_case_id)
    used = {p.lower() for p in taken.values_list("pseudonym", flat=True)}
    candidate, n = wanted, 2
    while candidate.lower() in used:
        candidate, n = f"{wanted}{n}", n + 1
    return candidate


class CaseAgency(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_links")
    still_involved = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="agency_once_per_case")]

    def __str__(self) -> str:
        return f"{self.agency} in {self.case.reference}"


class CasePerson(models.Model):
    class Relationship(models.TextChoices):
        SUBJECT_CHILD = "subject_child", "Child subject of the case"
        SIBLING = "sibling", "Sibling or other child"
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARTNER = "partner", "Partner of a parent"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        OTHER_ADULT = "other_adult", "Other significant adult"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    full_name = models.CharField(max_length=200)
    aliases = models.TextField(blank=True, help_text="Other names or spellings, one a line.")
    anonymised_label = models.CharField(max_length=60, help_text='Used in anonymised views, e.g. "Mother".')
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "anonymised_label"], name="label_unique_in_case"),
        ]

    def __str__(self) -> str:
        return self.anonymised_label

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class CaseAccess(models.Model):
    """A need-to-know grant of one case to one person, kept after revocation for the record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_grants")
    reason = models.CharField(max_length=200)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_open_grant_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} may see {self.case.reference}"
