from django.db import models


class OutboundEmail(models.Model):
    """Every email the system sends, so failures are visible and can be retried, and sends are provable."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    board_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # What the email is about, e.g. ("referrals.referral", "12"): lets a record show its own correspondence.
    about_type = models.CharField(max_length=80, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
