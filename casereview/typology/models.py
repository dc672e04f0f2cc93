"""The board's learning typology: two levels of themes that findings, referrals' decision matrices, learning
summaries, forums, audits and the learning library are tagged with.

It sits low in the layers because every part of the process tags with it. Themes are never deleted: retired
themes stay on what they tagged, and a merged theme points at the theme that replaced it, so history keeps
its meaning. The tables keep the names they had when the typology lived in the learning app.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casereview.partnership.models import Board

from .ordering import NATURAL_ORDER


class Theme(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=12, help_text='For example "A" for a group or "A3" for a theme.')
    name = models.CharField(max_length=200)
    retired = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")
    # Optimistic concurrency: the edit form says which version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(table_name="learning_historicaltheme")

    class Meta:
        db_table = "learning_theme"
        ordering = NATURAL_ORDER
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="theme_code_unique_in_board")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_group(self) -> bool:
        return self.parent_id is None

    @property
    def status_label(self) -> str:
        if self.merged_into_id:
            return f"Merged into {self.merged_into.code}"
        return "Retired" if self.retired else "In use"


class ThemeChange(models.Model):
    """A readable log of what was done to the typology and by whom (the row history keeps every version)."""

    class Kind(models.TextChoices):
        SEEDED = "seeded", "Default typology added"
        ADDED = "added", "Added"
        RENAMED = "renamed", "Renamed"
        RETIRED = "retired", "Retired"
        RESTORED = "restored", "Brought back into use"
        MERGED = "merged", "Merged"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="theme_changes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    retagged = models.PositiveIntegerField(default=0, help_text="Tags moved to the surviving theme.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "learning_themechange"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.description
