"""Forms for audits parse only; the rules live in ``audits.services``."""

from django import forms

from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField

from ..forms import theme_field
from ..grading import SCALE_CHOICES, SCALES
from ..models import Audit


class AuditToolForm(forms.Form):
    name = forms.CharField(label="Name of the tool", max_length=200)
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AuditQuestionForm(forms.Form):
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="For example: Was the child seen alone?")
    scale = forms.ChoiceField(label="Grading scale", choices=SCALE_CHOICES, widget=forms.RadioSelect)


class AuditForm(forms.Form):
    title = forms.CharField(max_length=200)
    tool = forms.ModelChoiceField(queryset=None, label="Audit tool")
    kind = forms.ChoiceField(label="Type of audit", choices=Audit.Kind.choices, widget=forms.RadioSelect)
    agencies = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                              help_text="One agency for a single-agency audit.")
    audited_on = GovukDateField(label="Audit date")
    sample_size = forms.IntegerField(label="Number of cases in the sample", min_value=1, max_value=200,
                                     widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                                     help_text="Cases are known in the audit only as Case 01, Case 02 and so on.")

    audit_theme = forms.ModelChoiceField(queryset=None, required=False, label="Audit theme it plans",
                                         empty_label="None", help_text="A theme waiting to be audited, for "
                                                                       "example one a referral was routed to.")

    def __init__(self, *args, tools, agencies, themes, audit_themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools
        self.fields["audit_theme"].queryset = audit_themes
        self.fields["agencies"].queryset = agencies
        self.fields["themes"] = theme_field(themes)


class SampleForm(forms.Form):
    count = forms.IntegerField(label="How many cases to add", min_value=1, max_value=50,
                               widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))


class AnswersForm(VersionedForm):
    def __init__(self, *args, questions, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            scale = SCALES[q.scale]
            grade, comment = current.get(q.pk, ("", ""))
            self.fields[f"q{q.pk}_grade"] = forms.ChoiceField(
                label=f"{q.number}. {q.text}", choices=[(g.code, g.label) for g in scale.grades],
                widget=forms.RadioSelect, initial=grade or None,
                error_messages={"required": f"Select a grade for question {q.number}"})
            self.fields[f"q{q.pk}_comment"] = forms.CharField(
                label=f"Comment on question {q.number} (optional)", required=False, initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}))

    def answers(self) -> dict:
        return {q: (self.cleaned_data[f"q{q.pk}_grade"], self.cleaned_data.get(f"q{q.pk}_comment") or "")
                for q in self.questions}


class AuditFindingForm(forms.Form):
    improvement = forms.TypedChoiceField(label="Kind of finding", coerce=lambda v: v == "yes",
                                         choices=[("yes", "Area for improvement"), ("no", "Good practice")],
                                         widget=forms.RadioSelect)
    text = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 4}))


class ReauditForm(forms.Form):
    audited_on = GovukDateField(label="Date of the re-audit")
    title = forms.CharField(max_length=200, required=False, help_text="Leave blank to call it “Re-audit: …”.")
