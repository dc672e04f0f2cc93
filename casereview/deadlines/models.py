"""Reminders already sent for a clock, so each reminder goes exactly once however often the job runs."""

from django.db import models


class ClockReminder(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", "Before the due date"
        ON = "on", "On the due date"

    board_id = models.BigIntegerField(db_index=True)
    # What the clock belongs to, e.g. ("referrals.referral", "12").
    about_type = models.CharField(max_length=80)
    about_id = models.CharField(max_length=64)
    clock = models.CharField(max_length=60)
    due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["about_type", "about_id", "clock", "due", "kind"],
                                    name="one_reminder_per_clock_due_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.kind} {self.due}"
