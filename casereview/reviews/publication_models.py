"""What publication keeps: the stored result of each version's check, the public PDF exactly as published,
the checklist for managing the impact of publication, and requests for a report no longer online.

Kept apart from `models.py` so that the report-and-publication sub-area has its own module; `models.py`
imports this one so Django registers the models with the reviews app.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class VersionCheck(models.Model):
    """The publication check's hits on one text, stored so that no page view ever rescans a report.

    `known_digest` fingerprints what the case's people had recorded when the check ran; when a person's
    details change the digest no longer matches and the text is checked once more.
    """

    class Subject(models.TextChoices):
        VERSION = "version", "Report version"
        PUBLIC_PDF = "public_pdf", "Public PDF"
        ORIGINAL = "original", "Original Word document, as published"

    version = models.ForeignKey("reviews.ReportVersion", on_delete=models.CASCADE, related_name="checks")
    subject = models.CharField(max_length=20, choices=Subject.choices, default=Subject.VERSION)
    text_digest = models.CharField(max_length=64)
    known_digest = models.CharField(max_length=64)
    hits = models.JSONField(default=list)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "subject"], name="version_checked_once")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} check of {self.version}"


def public_report_upload_to(instance, filename: str) -> str:
    # Never the uploader's name; the public download name comes from the review's title.
    return f"reviews/{instance.review_id}/published/{filename}"


class PublishedReport(models.Model):
    """The files the public page offers, generated from the checked version and checked again as bytes."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="published_report")
    version = models.ForeignKey("reviews.ReportVersion", on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to=public_report_upload_to)
    pdf_sha256 = models.CharField(max_length=64)
    original = models.FileField(upload_to=public_report_upload_to, blank=True)
    file_stem = models.CharField(max_length=120, help_text="The download name, from the review's title")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Published {self.file_stem}.pdf"


class PublicationImpact(models.Model):
    """Managing the impact of publication: who has been told, what the media will be told, court restrictions,
    how long the report stays online, and whether the original Word document is offered too."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="publication_impact")
    family_told = models.BooleanField(default=False)
    practitioners_told = models.BooleanField(default=False)
    media_lines_agreed = models.BooleanField(default=False)
    court_restrictions_checked = models.BooleanField(default=False)
    keep_online_until = models.DateField(null=True, blank=True,
                                         help_text="Left empty, the report stays online for the rule pack's period")
    offer_original = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return "Managing the impact of publication"

    @property
    def complete(self) -> bool:
        return self.family_told and self.practitioners_told and self.media_lines_agreed and \
            self.court_restrictions_checked


class ReportRequest(models.Model):
    """A request for a report that is no longer online ("available on request"), logged and answered."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="report_requests")
    requested_on = models.DateField()
    requester = models.CharField(max_length=200, help_text="Who asked: a person or an organisation")
    contact = models.CharField(max_length=254, help_text="An email or postal address to answer to")
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Request of {self.requested_on}"
