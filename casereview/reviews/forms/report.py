"""Forms of the report: versions, the publication check, quality assurance."""

from django import forms

from casereview.core.concurrency import VersionedForm

from .fields import _text


class UploadForm(forms.Form):
    file = forms.FileField(label="Report file", help_text="A Word (.docx) or PDF file.",
                           error_messages={"required": "Choose the report file to upload",
                                           "empty": "The file is empty"})
    note = forms.CharField(label="What changed (optional)", required=False, max_length=300)


class WriteForm(forms.Form):
    text = _text("Report", help_text="Write in plain English, so it can be published without redaction.",
                 missing="Write the report")
    note = forms.CharField(label="What changed (optional)", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 20


class ChecklistForm(VersionedForm):
    check_analysis = forms.BooleanField(required=False, label="It gives a sound analysis of what happened, why, "
                                                              "and what must happen to reduce the risk of recurrence")
    check_plain_english = forms.BooleanField(required=False, label="It is written in plain English, easily "
                                                                   "understood by professionals and the public")
    check_publishable = forms.BooleanField(required=False, label="It is suitable for publication without being "
                                                                 "amended or redacted")
    check_good_practice = forms.BooleanField(required=False, label="It analyses good practice as well as practice "
                                                                   "that needs to improve")


class AcceptHitForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Required by the service, which says what to write (forms only parse).
    reason = _text("Why this can be published as it is", required=False)


class ReasonForm(forms.Form):
    reason = _text("What needs to change", required=False)


class QaForm(forms.Form):
    comments = _text("Quality assurance comments (optional)", required=False)

