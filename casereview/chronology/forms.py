from __future__ import annotations

from dataclasses import fields as dataclass_fields

from django import forms
from django.core.exceptions import ValidationError

from casereview.core.concurrency import VersionedForm, version_initial
from casereview.core.forms import GovukDateField, GovukDateWidget
from casereview.lib.chrono_dates import (
    ACCEPTED_DATE_FORMATS,
    ACCEPTED_TIME_FORMATS,
    DateParseError,
    FuzzyDate,
    TimeParseError,
    parse_event_date,
    parse_time,
)
from casereview.lib.chronology_fields import FIELDS
from casereview.lib.dates import today

from .models import QUESTION_FIELDS, SIGNIFICANCE_QUESTIONS, SPE_PRINCIPLES, EventType, ImportMode
from .services import EntryDetails
from .values import end_before_start, last_day


class FuzzyDateField(forms.MultiValueField):
    """The GOV.UK date pattern, where the day, or the day and month, may be left blank when not known."""

    widget = GovukDateWidget

    def __init__(self, **kwargs):
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("error_messages", {"required": f"Enter the {kwargs.get('label', 'date').lower()}"})
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(str(part or "").strip() for part in data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "The date"
        if not year:
            raise ValidationError(f"{label} must include a year")
        if day and not month:
            raise ValidationError(f"{label} must include a month when it includes a day")
        if not all(part.isdigit() for part in (day, month, year) if part):
            raise ValidationError(f"{label} must be in numbers, for example 12 3 2014, 3 2014 or 2014")
        if len(year) != 4:
            raise ValidationError(f"{label} must have a year with 4 numbers, for example 2014")
        try:
            return FuzzyDate(int(year), int(month) if month else None, int(day) if day else None)
        except DateParseError as error:
            raise ValidationError(f"{label} must be a real date: {str(error).split(': ', 1)[-1]}") from None


def fuzzy_initial(value: FuzzyDate | None) -> list:
    if value is None:
        return ["", "", ""]
    return [value.day or "", value.month or "", value.year]


class TimeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_time(value)
        except TimeParseError as error:
            raise ValidationError(f"{self.label}: {error}") from None


class RequestForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Agencies to ask",
        error_messages={"required": "Select at least one agency to ask for a chronology"},
        help_text="The agencies involved in the case. Agencies already asked keep their returns; their deadline "
                  "moves to the new date.")
    deadline = GovukDateField(label="Deadline", help_text="For example, 27 3 2027",
                              error_messages={"required": "Enter the deadline"})
    note = forms.CharField(label="Note for agencies (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Added to the generated instructions and the request email.")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < today():
            raise ValidationError("The deadline must be today or in the future")
        return deadline


class ChasingForm(VersionedForm):
    remind_days_before = forms.IntegerField(
        label="Remind agencies this many days before the deadline", min_value=0, max_value=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter how many days before the deadline to remind agencies",
                        "min_value": "Days before the deadline must be 0 or more",
                        "max_value": "Days before the deadline must be 60 or fewer",
                        "invalid": "Days before the deadline must be a whole number"})
    chase_every_days = forms.IntegerField(
        label="Chase overdue agencies every this many days", min_value=1, max_value=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter how often to chase overdue agencies",
                        "min_value": "Chase at most once a day (1 or more)",
                        "max_value": "Chase at least every 60 days",
                        "invalid": "How often to chase must be a whole number of days"})


class EntryForm(VersionedForm):
    event_ref = forms.CharField(label="Event reference (optional)", required=False, max_length=40,
                                help_text="Your own reference for the event. Leave blank to number it automatically.",
                                error_messages={"max_length": "Event reference must be 40 characters or fewer"})
    start = FuzzyDateField(label="Start date", help_text="For example, 12 3 2014. If you only know the month, leave "
                                                         "the day blank; if you only know the year, leave the day and "
                                                         "month blank.")
    start_uncertain = forms.BooleanField(label="The start date is uncertain (a best estimate)", required=False)
    start_time = TimeField(label="Start time (optional)", required=False, help_text=f"For example {ACCEPTED_TIME_FORMATS}",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    end = FuzzyDateField(label="End date (optional)", required=False,
                         help_text="Only for events that lasted more than one day, such as a hospital stay.")
    end_uncertain = forms.BooleanField(label="The end date is uncertain", required=False)
    end_time = TimeField(label="End time (optional)", required=False,
                         widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    source = forms.CharField(label="Source of information", max_length=500,
                             help_text="The record, system or person this comes from, for example 'Case record "
                                       "(LCS)' or 'GP notes'.",
                             error_messages={"required": "Enter the source of information: the record, system or "
                                                         "person it comes from",
                                             "max_length": "Source of information must be 500 characters or fewer"})
    practitioner_role = forms.CharField(label="Practitioner role (optional)", required=False, max_length=200,
                                        help_text="The role, not the name, for example 'Social worker'.",
                                        error_messages={"max_length": "Practitioner role must be 200 characters or "
                                                                      "fewer"})
    people = forms.ModelMultipleChoiceField(label="People involved", queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    event_type = forms.ChoiceField(label="Event type", choices=[("", "Choose an event type"), *EventType.choices],
                                   error_messages={"required": "Select the event type"})
    event_type_other = forms.CharField(label="If other, what kind of event (optional)", required=False, max_length=100)
    description = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="Facts, not opinion.",
                                  error_messages={"required": "Enter a description of what happened"})
    risk = forms.CharField(label="Risk presented", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=SPE_PRINCIPLES[0][2])
    response = forms.CharField(label="Agency response", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=SPE_PRINCIPLES[1][2])
    partnership = forms.CharField(label="Partnership considerations", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=SPE_PRINCIPLES[2][2])
    learning = forms.CharField(label="Learning", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=SPE_PRINCIPLES[3][2])
    significance = forms.MultipleChoiceField(
        label="Significance (select all that apply)", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, question) for name, _, question in SIGNIFICANCE_QUESTIONS])
    good_practice = forms.BooleanField(label="This is an example of good practice", required=False)
    key_practice_episode = forms.BooleanField(label="This is a key practice episode", required=False)

    def __init__(self, *args, people=None, taken_refs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: f"{p.anonymised_label}: {p.full_name}"
        self.taken_refs = {ref.casefold() for ref in taken_refs}

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            "event_ref": entry.event_ref, "start": fuzzy_initial(entry.start), "start_uncertain": entry.start_uncertain,
            "start_time": entry.start_time.strftime("%H:%M") if entry.start_time else "",
            "end": fuzzy_initial(entry.end), "end_uncertain": entry.end_uncertain,
            "end_time": entry.end_time.strftime("%H:%M") if entry.end_time else "",
            "source": entry.source, "practitioner_role": entry.practitioner_role, "people": list(entry.people.all()),
            "event_type": entry.event_type, "event_type_other": entry.event_type_other,
            "description": entry.description, "risk": entry.risk, "response": entry.response,
            "partnership": entry.partnership, "learning": entry.learning,
            "significance": [name for name in QUESTION_FIELDS if getattr(entry, name)],
            "good_practice": entry.good_practice, "key_practice_episode": entry.key_practice_episode,
            **version_initial(entry, field="edit_version"),
        }

    def clean_event_ref(self):
        ref = self.cleaned_data["event_ref"].strip()
        if ref and ref.casefold() in self.taken_refs:
            raise ValidationError(f"Another entry already has the reference {ref}: give each event its own reference")
        return ref

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and data.get("start_uncertain"):
            start = FuzzyDate(start.year, start.month, start.day, True)
        if end is not None and data.get("end_uncertain"):
            end = FuzzyDate(end.year, end.month, end.day, True)
        if end is None and data.get("end_time"):
            self.add_error("end", "Enter the end date as well as the end time")
        if start is not None and end_before_start(start, data.get("start_time"), end, data.get("end_time")):
            self.add_error("end", "End date must be the same as or after the start date")
        if data.get("event_type") != EventType.OTHER:
            data["event_type_other"] = ""
        data["start"], data["end"] = start, end
        return data

    def entry_details(self) -> EntryDetails:
        data = dict(self.cleaned_data)
        chosen = set(data.pop("significance", []))
        for name in QUESTION_FIELDS:
            data[name] = name in chosen
        known = {f.name for f in dataclass_fields(EntryDetails)}
        values = {name: value for name, value in data.items() if name in known}
        values["people"] = list(values.get("people") or [])
        return EntryDetails(**values)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods), a CSV file (.csv) or a "
                  "Word document with the chronology in a table (.docx), up to 20 MB.",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"})


IGNORE = ""


class MappingForm(forms.Form):
    """One choice per column of the uploaded file: which chronology field it holds; and, when the draft already
    has entries, what the import does with them. The rules are checked by the service."""

    def __init__(self, *args, headings=(), samples=(), suggested=None, draft_entries: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, "Do not import this column"), *[(f.name, f.heading + (" (required)" if f.mandatory else ""))
                                                             for f in FIELDS]]
        self.columns = []
        for index, heading in enumerate(headings):
            example = "; ".join(s[index] for s in samples if index < len(s) and s[index])[:120]
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"Column {index + 1}: {heading or '(no heading)'}", choices=choices, required=False,
                initial=(suggested or {}).get(index) or IGNORE,
                help_text=f"For example: {example}" if example else "This column is empty in the first rows.")
            self.columns.append((index, name))
        if draft_entries:
            plural = "entry" if draft_entries == 1 else "entries"
            self.fields["mode"] = forms.ChoiceField(
                label=f"Your draft already has {draft_entries} {plural}. What should this import do?",
                widget=forms.RadioSelect, required=False,
                choices=[
                    (ImportMode.ADD, f"Add these entries to your draft (the {draft_entries} {plural} stay)"),
                    (ImportMode.UPDATE, "Update entries that share an event reference with a row, and add the "
                                        "rest"),
                    (ImportMode.REPLACE, f"Replace your draft: its {draft_entries} {plural} go, and the current "
                                         "draft is kept as an earlier version you can restore"),
                ])

    def mapping(self) -> dict[int, str | None]:
        return {index: (self.cleaned_data.get(name) or None) for index, name in self.columns}


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked these entries and the quality checklist, and this chronology is ready for the review",
        error_messages={"required": "Confirm that you have checked the entries before you submit"})


class SendBackForm(forms.Form):
    reason = forms.CharField(label="What should the agency change?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter what the agency should change"})


class FilterForm(forms.Form):
    """The merged chronology's filters; every one is kept in the URL so a view can be shared and saved."""

    agency = forms.MultipleChoiceField(label="Agency", required=False, widget=forms.CheckboxSelectMultiple)
    date_from = forms.CharField(label="From", required=False, help_text="For example 1/3/2014, March 2014 or 2014",
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    date_to = forms.CharField(label="To", required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    person = forms.MultipleChoiceField(label="Person involved", required=False, widget=forms.CheckboxSelectMultiple)
    event_type = forms.MultipleChoiceField(label="Event type", required=False, widget=forms.CheckboxSelectMultiple,
                                           choices=EventType.choices)
    question = forms.MultipleChoiceField(label="Significance", required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[(name, label) for name, label, _ in SIGNIFICANCE_QUESTIONS])
    marked = forms.MultipleChoiceField(label="Marked as", required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[("flagged", "Flagged by the review group"),
                                                ("good_practice", "Good practice"),
                                                ("kpe", "Key practice episode")])
    q = forms.CharField(label="Words in the entry", required=False, max_length=200)
    dup = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    include_submitted = forms.BooleanField(label="Include chronologies submitted but not yet accepted", required=False)
    names = forms.ChoiceField(label="Names", required=False, widget=forms.RadioSelect,
                              choices=[("named", "Named"), ("anonymised", "Anonymised (glossary labels)")])

    def __init__(self, *args, agencies=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), f"{a.short_code}: {a.name}") for a in agencies]
        self.fields["person"].choices = [(str(p.pk), p.anonymised_label) for p in people]

    def _fuzzy(self, name: str):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return parse_event_date(text)
        except DateParseError:
            raise ValidationError(f"'{text}' is not a date: use {ACCEPTED_DATE_FORMATS.split(', with')[0]}") from None

    def clean_date_from(self):
        return self._fuzzy("date_from")

    def clean_date_to(self):
        return self._fuzzy("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and last_day(end) < start.first_day():
            self.add_error("date_to", "'To' must be the same as or after 'From'")
        return data


class TagForm(forms.Form):
    tag = forms.CharField(label="Add a tag", max_length=60, help_text="For example 'neglect' or 'missed referral'.",
                          error_messages={"required": "Enter a tag",
                                          "max_length": "A tag must be 60 characters or fewer"})


class CommentForm(forms.Form):
    text = forms.CharField(label="Add a comment", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Enter a comment"})


class SavedViewForm(forms.Form):
    name = forms.CharField(label="Save this view as", max_length=100,
                           error_messages={"required": "Enter a name for the view",
                                           "max_length": "The name must be 100 characters or fewer"})
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class GapForm(VersionedForm):
    gap_threshold_days = forms.IntegerField(
        label="Show gaps longer than this many days", min_value=1, max_value=3650,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"required": "Enter the number of days", "invalid": "Enter a whole number of days",
                        "min_value": "The gap must be at least 1 day", "max_value": "The gap must be 3650 days or fewer"})


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="Format", widget=forms.RadioSelect, choices=[
        ("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)"), ("docx", "Word (.docx)"), ("pdf", "PDF, with the timeline")],
        error_messages={"required": "Select a format"})
    names = forms.ChoiceField(label="Names", widget=forms.RadioSelect, choices=[
        ("anonymised", "Anonymised: people shown by their glossary labels"),
        ("named", "Named: includes the names of the child and family")],
        error_messages={"required": "Select named or anonymised"})


class ReferralRequestForm(forms.Form):
    """Ask agencies for chronologies while a referral is considered (the deadline defaults to the board's clock)."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Agencies to ask",
        error_messages={"required": "Select the agencies to ask for a chronology"},
        help_text="The agencies involved in the case are ticked. An agency already asked is not listed.")
    deadline = GovukDateField(label="Deadline", error_messages={"required": "Enter the deadline"},
                              help_text="Set from the board's timescale for the decision; you can choose an "
                                        "earlier date. For example, 27 3 2027")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
