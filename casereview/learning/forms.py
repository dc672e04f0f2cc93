from django import forms

from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField
from casereview.lib.formats import file_size
from casereview.partnership.models import Agency, Committee
from casereview.reviews.models import Review
from casereview.typology.models import Theme

from . import regional
from .models import LearningSummary, LibraryEntry, SummaryDissemination


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}" + (" (retired)" if obj.retired else "")


def theme_field(themes, label="Learning themes", required=False):
    """Tick boxes for themes, each once and in natural order (A1, A2, ... A10)."""
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


class ThemeRenameForm(VersionedForm):
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


class SummaryForm(VersionedForm, forms.ModelForm):
    commissioned_on = GovukDateField(label="Date commissioned", required=False)
    completed_on = GovukDateField(label="Date completed", required=False)
    published_on = GovukDateField(label="Date published", required=False,
                                  help_text="Leave blank if the report has not been published.")

    class Meta:
        model = LearningSummary
        fields = ["title", "review_type", "methodology", "commissioned_on", "completed_on", "published_on",
                  "case_summary", "why_reviewed", "key_findings", "good_practice", "themes",
                  "recommendations", "reflection_questions", "audiences"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in
                   ["case_summary", "why_reviewed", "key_findings", "good_practice", "recommendations",
                    "reflection_questions", "audiences"]}

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"] = theme_field(themes)

    def _post_clean(self):
        pass  # the service checks and saves; this form only reads what was typed


class EvaluationForm(VersionedForm):
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


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class RegionalImportForm(forms.Form):
    file = forms.FileField(label="Regional learning file (.json)",
                           help_text=f"A file exported by another board, up to {file_size(regional.MAX_BYTES)}.")
