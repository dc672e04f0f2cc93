"""Reviews (SCR, CIR, learning and single-agency reviews), their findings and recommendations."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casereview.cases.models import Case
from casereview.learning.models import Theme
from casereview.partnership.models import Agency, Board


class Review(models.Model):
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
    status = models.CharField(max_length=30, default="initiated")
    initiated_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
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


class Finding(models.Model):
    class Kind(models.TextChoices):
        GOOD_PRACTICE = "good_practice", "Good practice"
        IMPROVEMENT = "improvement", "Area for improvement"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=250)
    narrative = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"
