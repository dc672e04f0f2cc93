"""The field builders every reviews form uses."""

from django import forms

from casereview.core.forms import GovukDateField
from casereview.partnership.models import Agency, User

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=help_text or "For example, 27 3 2026",
                          error_messages={"required": f"Enter {label[0].lower() + label[1:]}"})


def _text(label: str, required: bool = True, help_text: str = "", max_length: int | None = None,
          textarea: bool = True, missing: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput,
                           error_messages={"required": missing or f"Enter {label[0].lower() + label[1:]}"})


def _choice(label: str, choices, help_text: str = "", missing: str = "", radio: bool = True,
            required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, help_text=help_text, required=required,
                             widget=forms.RadioSelect if radio else forms.Select,
                             error_messages={"required": missing or f"Choose {label[0].lower() + label[1:]}"})


def _board_agencies(board):
    return Agency.objects.filter(board=board, active=True)


def _board_people(board):
    return User.objects.filter(board=board, is_active=True).select_related("agency")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.agency.name if obj.agency_id else "independent of the board's agencies"
        return f"{obj} ({obj.job_title + ', ' if obj.job_title else ''}{where})"

