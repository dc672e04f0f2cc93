from django import forms
from django.core.exceptions import ValidationError

from casereview.core.forms import GovukDateField
from casereview.partnership.models import Agency, Committee
from casereview.reviews.models import Review

from . import regional
from .grading import SCALE_CHOICES, SCALES
from .models import Audit, Forum, ForumOutput, LearningSummary, LibraryEntry, SummaryDissemination, Theme


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


def _theme_field(themes, label="Learning themes", required=False):
    return ThemeChoiceField(queryset=themes, required=required, label=label, widget=forms.CheckboxSelectMultiple,
                            help_text="Choose every theme from the board's typology that applies.")


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search the learning", required=False, max_length=200,
                        help_text='Words to find. Put a phrase in quotes, for example "return home interview".')
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="Any theme")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False, empty_label="Any agency")
    review_type = forms.ChoiceField(label="Type of review", required=False,
                                    choices=[("", "Any type"), *Review.Type.choices])
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Source", required=False, choices=[("", "All learning"),
                                                                         *LibraryEntry.Kind.choices])

    def __init__(self, *args, themes, agencies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.fields["theme"].label_from_instance = lambda t: f"{t.code} {t.name}" + (" (retired)" if t.retired else "")
        self.fields["agency"].queryset = agencies
        self.fields["year"].choices = [("", "Any year"), *[(y, str(y)) for y in years]]


class ThemeAddForm(forms.Form):
    name = forms.CharField(label="Name of the theme", max_length=200)
    parent = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, label="Group",
                                    empty_label="None: this is a new group",
                                    help_text="The theme's code follows from its group, for example A15.")

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = groups
        self.fields["parent"].label_from_instance = lambda t: f"{t.code} {t.name}"


class ThemeRenameForm(forms.Form):
    name = forms.CharField(label="New name", max_length=200)


class ThemeMergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Merge into",
                                    help_text="Everything tagged with this theme will be tagged with the one you "
                                              "choose; this theme is then retired and points to it.")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda t: f"{t.code} {t.name}"
        self.fields["target"].error_messages["invalid_choice"] = "Choose a theme in use to merge into"


class SummaryForm(forms.ModelForm):
    commissioned_on = GovukDateField(label="Date commissioned", required=False)
    completed_on = GovukDateField(label="Date completed", required=False)
    published_on = GovukDateField(label="Date published", required=False,
                                  help_text="Leave blank if the report has not been published.")

    class Meta:
        model = LearningSummary
        fields = ["title", "review_type", "methodology", "commissioned_on", "completed_on", "published_on",
                  "lead_reviewers", "case_summary", "why_reviewed", "key_findings", "good_practice", "themes",
                  "recommendations", "reflection_questions", "audiences"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in
                   ["case_summary", "why_reviewed", "key_findings", "good_practice", "recommendations",
                    "reflection_questions", "audiences"]}

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_field(themes | self.instance.themes.all() if self.instance.pk else themes)

    def clean(self):
        data = super().clean()
        done, commissioned = data.get("completed_on"), data.get("commissioned_on")
        if done and commissioned and done < commissioned:
            self.add_error("completed_on", "Date completed must be on or after the date commissioned")
        published = data.get("published_on")
        if published and done and published < done:
            self.add_error("published_on", "Date published must be on or after the date completed")
        return data


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(label="Evaluation of use", widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="How the learning has been used and what difference it made.")


class DisseminationForm(forms.Form):
    channel = forms.ChoiceField(choices=SummaryDissemination.Channel.choices, widget=forms.RadioSelect)
    audience = forms.CharField(max_length=300, help_text="For example: health visitors and school nurses.")
    date = GovukDateField(label="Date shared")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PresentationForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=Committee.objects.none())
    presented_on = GovukDateField(label="Date presented")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class AnswerForm(forms.Form):
    answer = forms.CharField(label="The committee's answer", widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="Why the learning was not sustained, and what will be done so it is.")


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["title", "origin", "origin_detail", "origin_review", "themes"]
        widgets = {"origin": forms.RadioSelect, "origin_detail": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, themes, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_field(themes)
        self.fields["origin_review"].queryset = reviews
        self.fields["origin_review"].required = False
        self.fields["origin_review"].empty_label = "Not from a review"

    def clean(self):
        data = super().clean()
        if data.get("origin") == Forum.Origin.REVIEW_FINDINGS and not data.get("origin_review"):
            self.add_error("origin_review", "Choose the review the theme came from")
        return data


class SessionForm(forms.Form):
    held_on = GovukDateField(label="Date of the session")
    format = forms.CharField(max_length=200, help_text="For example: in person, online, or a recall session.")
    facilitator = forms.CharField(required=False, max_length=200, help_text="A role, for example Board trainer.")


class AttendanceForm(forms.Form):
    def __init__(self, *args, agencies, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.IntegerField(
                label=agency.name, min_value=0, max_value=500, required=False, initial=current.get(agency.pk, 0),
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={"min_value": f"Attendance from {agency.name} must be 0 or more",
                                "max_value": f"Attendance from {agency.name} must be 500 or fewer",
                                "invalid": f"Attendance from {agency.name} must be a whole number"})

    def counts(self) -> dict:
        return {a: self.cleaned_data.get(f"agency_{a.pk}") or 0 for a in self.agencies}


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label="Type of output", choices=ForumOutput.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="What was said or learned", widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="Anonymised: no names of children, families or practitioners.")


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
    themes = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                            label="Learning themes")
    audited_on = GovukDateField(label="Audit date")
    sample_size = forms.IntegerField(label="Number of cases in the sample", min_value=1, max_value=200,
                                     widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                                     help_text="Cases are known in the audit only as Case 01, Case 02 and so on.")

    def __init__(self, *args, tools, agencies, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools
        self.fields["agencies"].queryset = agencies
        self.fields["themes"] = _theme_field(themes)


class SampleForm(forms.Form):
    count = forms.IntegerField(label="How many cases to add", min_value=1, max_value=50,
                               widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))


class AnswersForm(forms.Form):
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


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class RegionalImportForm(forms.Form):
    file = forms.FileField(label="Regional learning file (.json)",
                           help_text=f"A file exported by another board, up to {regional.MAX_BYTES // 1048576} MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > regional.MAX_BYTES:
            raise ValidationError(f"The file must be smaller than {regional.MAX_BYTES // 1048576} MB")
        if not upload.name.lower().endswith(".json"):
            raise ValidationError("The file must be a .json file exported from CaseReview")
        return upload
