"""The board's learning typology (domain brief: two levels, editable per board).

Themes are never deleted: retired themes stay on what they tagged, and a merged theme points at the theme
that replaced it, so history keeps its meaning.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from casereview.partnership.models import Board


class Theme(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=12, help_text='For example "A" for a group or "A3" for a theme.')
    name = models.CharField(max_length=200)
    retired = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["board", "code"], name="theme_code_unique_in_board")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
