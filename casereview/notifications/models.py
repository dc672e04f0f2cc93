from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition


class OutboundEmail(FSMModelMixin, models.Model):
    """Every email the system sends, so failures are visible and can be retried, and sends are provable."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # For someone who chose a daily digest: kept until the morning, then sent inside one digest email.
        HELD = "held", "Waiting for the daily digest"
        IN_DIGEST = "in_digest", "Sent in a daily digest"

    board_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # What the email is about, e.g. ("referrals.referral", "12"): lets a record show its own correspondence.
    about_type = models.CharField(max_length=80, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    # Changes only through the transitions below (protected): queued -> sent / failed, failed -> queued (retry),
    # held -> queued (released) / in_digest (carried by a digest).
    status = FSMField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True, protected=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The digest email that carried this one (HELD, then IN_DIGEST).
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # Links that worked once (set-password) are removed from the stored copy once the email has gone.
    links_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"

    @property
    def tag_class(self) -> str:
        return {self.Status.SENT: "govuk-tag--green", self.Status.IN_DIGEST: "govuk-tag--green",
                self.Status.FAILED: "govuk-tag--red", self.Status.HELD: "govuk-tag--blue"}.get(
                    self.status, "govuk-tag--yellow")

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED

    @transition(field=status, source=Status.QUEUED, target=Status.SENT)
    def mark_sent(self, *, at) -> None:
        self.sent_at = at
        self.last_error = ""

    @transition(field=status, source=Status.QUEUED, target=Status.FAILED)
    def mark_failed(self) -> None:
        """Given up after the last attempt; the email log offers a retry."""

    @transition(field=status, source=Status.FAILED, target=Status.QUEUED)
    def retry(self) -> None:
        self.attempts = 0

    @transition(field=status, source=Status.HELD, target=Status.QUEUED)
    def release(self) -> None:
        """Its reader went back to single emails: it goes now instead of in tomorrow's digest."""

    @transition(field=status, source=Status.HELD, target=Status.IN_DIGEST)
    def fold_into(self, digest: "OutboundEmail") -> None:
        self.digest = digest


class EmailPreference(models.Model):
    """How a person wants CaseReview's notifications: each as it happens, or one digest a day."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Send each email as it happens"
        DAILY = "daily", "Send one digest email each morning"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"

    def audit_label(self) -> str:
        return "email preference"


class EmailAttachment(models.Model):
    """A file sent with an email (a letter). Its content is kept only until the email is sent: the service can
    make the letter again, so the email log does not become a second store of it."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField(blank=True)
    removed_after_sending = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.filename
