import datetime

from django import forms
from django.utils import timezone

from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField
from casereview.partnership.models import User

from .models import Attendance
from .services import MAX_MEETINGS_AT_ONCE


class ScheduleForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label="Committee", empty_label="Choose a committee",
                                       error_messages={"required": "Choose the committee"})
    first_date = GovukDateField(label="Date of the first meeting",
                                error_messages={"required": "Enter the date of the first meeting"})
    start_time = forms.CharField(label="Start time", max_length=5, help_text="24-hour clock, for example 10:00",
                                 widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                                 error_messages={"required": "Enter the start time"})
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=480, initial=120,
                                          widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
                                          error_messages={"required": "Enter the length of the meeting",
                                                          "invalid": "Length must be a whole number of minutes",
                                                          "min_value": "A meeting must last at least 15 minutes",
                                                          "max_value": "A meeting can last at most 480 minutes"})
    count = forms.IntegerField(label="How many meetings?", min_value=1, max_value=MAX_MEETINGS_AT_ONCE, initial=1,
                               help_text="Later meetings follow the committee's own frequency.",
                               widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
                               error_messages={"required": "Enter how many meetings to schedule",
                                               "invalid": "Enter a whole number of meetings",
                                               "min_value": "Schedule at least 1 meeting",
                                               "max_value": f"Schedule at most {MAX_MEETINGS_AT_ONCE} meetings "
                                                            "at a time"})
    location = forms.CharField(label="Where", max_length=200,
                               help_text="A room, or say it is online.",
                               error_messages={"required": "Enter where the meeting takes place"})

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees

    def clean_start_time(self):
        value = self.cleaned_data["start_time"].strip()
        try:
            hours, minutes = (int(part) for part in value.replace(".", ":").split(":"))
            return datetime.time(hours, minutes)
        except ValueError:
            raise forms.ValidationError("Enter the start time as hours and minutes, for example 10:00") from None

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("first_date"), cleaned.get("start_time")
        if day and time:
            cleaned["first_starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return cleaned


class AttendanceForm(VersionedForm):
    def __init__(self, *args, members, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for membership in self.members:
            label = f"{membership.user} ({membership.get_position_display()}"
            label += f", {membership.represents})" if membership.represents else ")"
            self.fields[f"member_{membership.user_id}"] = forms.ChoiceField(
                label=label, choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=current.get(membership.user_id),
                error_messages={"required": f"Choose whether {membership.user} attended"})

    def statuses(self) -> dict[int, str]:
        return {m.user_id: self.cleaned_data[f"member_{m.user_id}"] for m in self.members}


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Item", max_length=250, error_messages={"required": "Enter the agenda item"})
    presenter = forms.CharField(label="Presented by (optional)", max_length=200, required=False)
    paper = forms.CharField(label="Paper (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="Text included in the agenda pack. Do not use a child's name.")


class DecisionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=None, label="Agenda item (optional)", required=False,
                                         empty_label="Not linked to an item")
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter the decision"})
    approves_plan = forms.ModelChoiceField(
        queryset=None, label="Does this decision approve an action plan? (optional)", required=False,
        empty_label="No", help_text="Only a quorate meeting approves a plan. Oversight then passes to the "
                                    "Performance Committee.")
    recommends_on_referral = forms.ModelChoiceField(
        queryset=None, label="Is this decision the committee's recommendation on a referral? (optional)",
        required=False, empty_label="No", help_text="Only a quorate meeting recommends to the Independent Chair.")
    acknowledge_inquorate = forms.BooleanField(
        label="The meeting is not quorate: record this decision as made while inquorate", required=False)

    def __init__(self, *args, meeting, quorate: bool, plans_to_approve, referrals_to_recommend, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        if referrals_to_recommend is None:
            del self.fields["recommends_on_referral"]
        else:
            self.fields["recommends_on_referral"].queryset = referrals_to_recommend
        if plans_to_approve is None:
            del self.fields["approves_plan"]
        else:
            self.fields["approves_plan"].queryset = plans_to_approve
        if quorate:
            del self.fields["acknowledge_inquorate"]


class MeetingActionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=None, label="Agenda item (optional)", required=False,
                                         empty_label="Not linked to an item")
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter the action"})
    owner = forms.ModelChoiceField(queryset=None, label="Owner", empty_label="Choose a person",
                                   error_messages={"required": "Choose who owns the action"})
    due_date = GovukDateField(label="Due by", error_messages={"required": "Enter the date the action is due"})

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["owner"].queryset = User.objects.filter(board_id=meeting.board_id, is_active=True)


class MinutesForm(VersionedForm):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 14}),
                              help_text="Decisions and actions are recorded separately and added to the pack.",
                              error_messages={"required": "Enter the minutes"})


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is the meeting cancelled?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why the meeting is cancelled"})
