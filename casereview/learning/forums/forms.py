"""Forms for forums parse only; the rules live in ``forums.services``."""

from django import forms

from casereview.core.concurrency import VersionedForm, version_initial
from casereview.core.forms import GovukDateField

from ..forms import theme_field
from ..models import Forum, ForumOutput


class ForumForm(VersionedForm):
    title = forms.CharField(label="Forum theme", max_length=200)
    origin = forms.ChoiceField(label="Where the theme came from", choices=Forum.Origin.choices,
                               widget=forms.RadioSelect)
    origin_detail = forms.CharField(label="About where it came from", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    origin_review = forms.ModelChoiceField(queryset=None, required=False, label="Review it came from",
                                           empty_label="Not from a review")

    def __init__(self, *args, themes, reviews, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_review"].queryset = reviews
        self.fields["themes"] = theme_field(themes)
        if forum is not None and forum.pk:
            self.initial.update({"title": forum.title, "origin": forum.origin, "origin_detail": forum.origin_detail,
                                 "origin_review": forum.origin_review_id,
                                 "themes": [t.pk for t in forum.themes.all()], **version_initial(forum)})


class SessionForm(forms.Form):
    held_on = GovukDateField(label="Date of the session")
    format = forms.CharField(max_length=200, help_text="For example: in person, online, or a recall session.")
    facilitator = forms.CharField(required=False, max_length=200, help_text="A role, for example Board trainer.")


class AttendanceForm(VersionedForm):
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
