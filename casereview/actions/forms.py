from django import forms
from django.conf import settings

from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField
from casereview.lib.formats import file_size
from casereview.partnership.models import Agency, Committee, User

from .evidence_files import ALLOWED_TEXT
from .models import ActionPlan, ActionUpdate, ImpactEvaluation, Rag


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PlanFromReviewForm(forms.Form):
    review = forms.ModelChoiceField(queryset=None, label="Review", empty_label="Choose a review",
                                    help_text="Reviews with recommendations and no action plan yet.")

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews
        self.fields["review"].error_messages["required"] = "Choose the review the plan is for"


class PlanFromOtherForm(forms.Form):
    source_type = forms.ChoiceField(
        label="What is the plan for?", widget=forms.RadioSelect,
        choices=[(ActionPlan.SourceType.AUDIT, "An audit"), (ActionPlan.SourceType.FORUM, "A practitioner forum"),
                 (ActionPlan.SourceType.OTHER, "Other learning")],
        error_messages={"required": "Choose what the plan is for"})
    source_label = forms.CharField(label="Name of the audit, forum or learning", max_length=200,
                                   help_text='For example "Neglect audit 2026". Do not use a child\'s name.',
                                   error_messages={"required": "Enter the name of the audit, forum or learning"})
    recommendations = forms.CharField(
        label="Recommendations or findings to act on", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One on each line. They are numbered in this order.",
        error_messages={"required": "Enter at least one recommendation or finding"})

    def clean_recommendations(self):
        lines = [line.strip() for line in self.cleaned_data["recommendations"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter at least one recommendation or finding")
        return lines


class OutcomeForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label="Agency", empty_label="Choose an agency",
                                    error_messages={"required": "Choose the agency the outcome is for"})
    text = forms.CharField(label="Desired outcome", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What should be different for children and families when this is done.",
                           error_messages={"required": "Enter the desired outcome"})

    def __init__(self, *args, board, suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(board=board, active=True)
        if suggested:
            self.fields["agency"].help_text = "The recommendation names: " + ", ".join(a.name for a in suggested)


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Specific and measurable: who does what, by when.",
        error_messages={"required": "Enter what will be done"})
    lead_agency = forms.ModelChoiceField(queryset=None, label="Lead agency", empty_label="Choose an agency",
                                         error_messages={"required": "Choose the lead agency"})
    owner = forms.ModelChoiceField(queryset=None, label="Named owner", empty_label="Choose a person",
                                   help_text="The person who answers for this action.",
                                   error_messages={"required": "Choose the named owner"})
    start_date = GovukDateField(label="Start date", error_messages={"required": "Enter the start date"})
    target_date = GovukDateField(label="Target date", error_messages={"required": "Enter the target date"})
    impact_measure = forms.CharField(
        label="How will we know it has made a difference?", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The impact measure, for example an audit result or practitioner survey.",
        error_messages={"required": "Enter how you will know the action has made a difference"})

    def __init__(self, *args, board, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agencies if agencies is not None else Agency.objects.filter(
            board=board, active=True)
        self.fields["owner"].queryset = User.objects.filter(board=board, is_active=True).select_related("agency")
        self.fields["owner"].label_from_instance = lambda u: f"{u} ({u.agency.short_code})" if u.agency else str(u)



class ActionEditForm(VersionedForm, ActionForm):
    """Changing an action: the same questions, and the version it was opened at."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason"})

    def __init__(self, *args, label="Reason", required_message="Enter the reason", hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.fields["reason"].error_messages["required"] = required_message

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class HandoverForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label="Committee taking over oversight",
                                       empty_label="Choose a committee",
                                       error_messages={"required": "Choose the committee taking over oversight"})
    handed_over_on = GovukDateField(label="Date of handover",
                                    help_text="Quarterly updates fall due every three months from this date.",
                                    error_messages={"required": "Enter the date of handover"})
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        committees = Committee.objects.filter(board=board)
        self.fields["committee"].queryset = committees
        performance = committees.filter(kind=Committee.Kind.PERFORMANCE).first()
        if performance:
            self.fields["committee"].initial = performance.pk


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionUpdate.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose the status of the action"})
    percent_complete = forms.IntegerField(
        label="Percentage complete", min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the percentage complete",
                        "invalid": "Percentage complete must be a whole number, like 60",
                        "min_value": "Percentage complete must be between 0 and 100",
                        "max_value": "Percentage complete must be between 0 and 100"})
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices, widget=forms.RadioSelect,
                            help_text="Blue only when the action is complete and you upload or have uploaded "
                                      "evidence.",
                            error_messages={"required": "Choose the RAG status"})
    narrative = forms.CharField(label="Narrative", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="Required for red and amber: what is off track, why, and what is being "
                                          "done about it.")
    evidence = MultipleFileField(label="Evidence files (optional)", required=False,
                                 help_text=f"{ALLOWED_TEXT}.")
    evidence_description = forms.CharField(label="What the evidence shows (optional)", required=False,
                                           max_length=200)
    revised_target_date = GovukDateField(label="Revised target date (optional)", required=False,
                                         help_text="Only if the target date has to change.")
    revision_reason = forms.CharField(label="Reason for the revised date", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Settings are read per form, so a deployment's own limit is the one stated.
        self.fields["evidence"].help_text = (f"{ALLOWED_TEXT}; each smaller than "
                                             f"{file_size(settings.UPLOAD_MAX_BYTES)}.")

    def clean_evidence(self):
        """The files' names and bytes; whether they are acceptable is the service's decision."""
        return [(upload.name, upload.read(settings.UPLOAD_MAX_BYTES + 1))
                for upload in self.cleaned_data.get("evidence") or []]


class EvaluationForm(VersionedForm):
    evaluated_on = GovukDateField(label="Date of evaluation",
                                  error_messages={"required": "Enter the date of the evaluation"})
    method = forms.ChoiceField(label="How was impact evaluated?", choices=ImpactEvaluation.Method.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose how impact was evaluated"})
    result = forms.CharField(label="Result", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="What the evaluation found, against the impact measure.",
                             error_messages={"required": "Enter the result of the evaluation"})
    outcome_improved = forms.ChoiceField(label="Did the outcome for children improve?",
                                         choices=ImpactEvaluation.Improved.choices, widget=forms.RadioSelect,
                                         error_messages={"required": "Choose whether the outcome for children "
                                                                     "improved"})


class PlanCloseForm(forms.Form):
    note = forms.CharField(label="Closing summary", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What the plan achieved, for the Executive's summary.",
                           error_messages={"required": "Enter a closing summary"})
