from django import forms

from casereview.cases.selectors import cases_visible_to
from casereview.core.forms import GovukDateField
from casereview.partnership.models import Agency, User
from casereview.typology.models import Theme

from .models import (
    CaseGroupComment,
    CaseGroupMember,
    Finding,
    InterimPoint,
    ParallelProcess,
    Recommendation,
    Review,
    ReviewMember,
)

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


class ReviewCreateForm(forms.Form):
    case = forms.ModelChoiceField(queryset=None, label="Case", error_messages={"required": "Choose the case"})
    type = _choice("Type of review", Review.Type.choices)
    methodology = _choice("Methodology", Review.Methodology.choices,
                          help_text="Its stages become the review's milestones; you can change them later.")
    initiated_on = _date("Date the review was initiated")
    reference = forms.CharField(label="Reference (optional)", required=False, max_length=40,
                                help_text="Leave blank for the next reference, such as REV-2026-004.")
    title = forms.CharField(label="Title (optional)", required=False, max_length=200,
                            help_text="Anonymised. Leave blank to use the case's pseudonym.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_visible_to(user)

    def clean_initiated_on(self):
        from django.utils import timezone

        value = self.cleaned_data["initiated_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date the review was initiated must be today or in the past")
        return value


class SetupForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, help_text="Anonymised, such as the case's pseudonym.",
                            error_messages={"required": "Enter the review's title"})
    type = _choice("Type of review", Review.Type.choices)
    methodology = _choice("Methodology", Review.Methodology.choices)
    period_start = _date("Start of the period under review", required=False)
    period_end = _date("End of the period under review", required=False)
    questions = _text("Questions the review will answer", required=False,
                      help_text="The key lines of enquiry, one a line.")
    agencies_in_scope = forms.ModelMultipleChoiceField(queryset=None, required=False, label="Agencies in scope",
                                                       widget=forms.CheckboxSelectMultiple)
    proportionality_rationale = _text("Why this approach is proportionate", required=False,
                                      help_text="For example, why a Targeted rather than an Intensive review.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies_in_scope"].queryset = _board_agencies(review.board_id)


class MilestoneForm(forms.Form):
    name = forms.CharField(label="Stage", max_length=200, error_messages={"required": "Enter the stage's name"})
    due_on = _date("Due date", required=False)
    completed_on = _date("Date completed", required=False, help_text="Leave blank until the stage is done.")
    owner = PersonChoiceField(queryset=None, required=False, label="Owner")
    notes = _text("Notes", required=False)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _board_people(review.board_id)


class ParallelProcessForm(forms.Form):
    kind = _choice("Process", ParallelProcess.Kind.choices, radio=False)
    detail = forms.CharField(label="Details (optional)", required=False, max_length=300,
                             help_text="Anonymised: no names.")
    status = _choice("Status", ParallelProcess.Status.choices, radio=False)
    status_on = _date("Date of this status")


class MemberForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Person", error_messages={"required": "Choose the person"})
    role = _choice("Role in the Review Group", ReviewMember.Role.choices)
    involved_in_case = _choice("Have they been involved in the case?", YES_NO,
                               help_text="For example, worked with the child or family, or managed those who did.",
                               missing="Say whether they have been involved in the case")
    has_conflict = _choice("Have they declared a conflict of interest?", YES_NO,
                           missing="Say whether they have declared a conflict of interest")
    conflict_details = _text("Conflict of interest", required=False, help_text="Only if they declared one.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        taken = review.members.filter(removed_at__isnull=True).values("user")
        self.fields["user"].queryset = _board_people(review.board_id).exclude(pk__in=taken)


class CaseGroupAddForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Practitioner",
                             error_messages={"required": "Choose the practitioner"})
    involvement = forms.CharField(label="Their part in the significant events", max_length=300,
                                  error_messages={"required": "Describe their part in the significant events"})

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone of the board is listed so a wrong choice is refused with the reason, not silently hidden.
        taken = review.case_group.values("user")
        self.fields["user"].queryset = _board_people(review.board_id).exclude(pk__in=taken)


class CaseGroupStatusForm(forms.Form):
    status = _choice("Status", [c for c in CaseGroupMember.Status.choices if c[0] != "to_invite"], radio=False)
    on = _date("Date")


class FamilyForm(forms.Form):
    family_status = _choice("Family involvement", Review.FamilyStatus.choices)
    family_invited_on = _date("Date the family was invited", required=False)
    family_how = _text("How the family is involved", required=False,
                       help_text="For example, a home visit by the lead reviewer. If the family is not being "
                                 "invited, say why.")
    family_expectations = _text("Expectations agreed with the family", required=False)
    family_contributions = _text("The family's contributions", required=False,
                                 help_text="Summarise without names.")


class ExtensionForm(forms.Form):
    new_target_on = _date("New target date")
    reason = _text("Why the review needs more time")


class ExtensionDecisionForm(forms.Form):
    decision = _choice("Decision", [("approve", "Approve the extension"), ("refuse", "Refuse the extension")])
    note = _text("Reason for the decision", required=False, help_text="Required when refusing.")


class PauseStartForm(forms.Form):
    started_on = _date("Date the pause started")
    reason = _text("Court proceedings delaying the review",
                   help_text="For example, a criminal trial listed for March. No names.")


class PauseEndForm(forms.Form):
    ended_on = _date("Date the review resumed")


class InterimPointForm(forms.Form):
    kind = _choice("What is it?", InterimPoint.Kind.choices)
    text = _text("Improvement point or corrective action")
    agency = forms.ModelChoiceField(queryset=None, required=False, label="Agency (optional)")
    recorded_on = _date("Date recorded")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _board_agencies(review.board_id)


class AgencyRequestForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label="Agency", error_messages={"required": "Choose the agency"})
    what = _text("Information requested", help_text="For example, an agency report with its SPE chronology and "
                                                    "analysis of its involvement.")
    requested_on = _date("Date requested")
    due_on = _date("Deadline")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _board_agencies(review.board_id)


class AgencyReturnForm(forms.Form):
    returned_on = _date("Date returned")
    note = _text("Notes (optional)", required=False)


class FindingForm(forms.Form):
    kind = _choice("Kind of finding", Finding.Kind.choices)
    title = forms.CharField(label="Finding", max_length=250, error_messages={"required": "Enter the finding"})
    narrative = _text("Narrative", help_text="What happened, why, and what must change. Plain English, no names.")
    evidence = _text("Other evidence", required=False,
                     help_text="For example, agency reports, conversations with practitioners, the family's account.")
    chronology_refs = forms.CharField(
        label="Chronology entries", required=False, max_length=1000,
        help_text="The event references of the significant practice events that evidence this finding, separated "
                  "by commas, for example POL-004, CSC-012.")
    themes = forms.ModelMultipleChoiceField(queryset=None, required=False, label="Learning themes",
                                            widget=forms.CheckboxSelectMultiple)
    system_pattern = _choice("System pattern (optional)", [("", "None"), *Finding.SystemPattern.choices],
                             radio=False, required=False)
    contributory_factors = _text("Contributory factors", required=False)
    interim_points = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Interim improvement points carried forward into this finding")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(board_id=review.board_id, retired=False,
                                                              parent__isnull=False)
        self.fields["interim_points"].queryset = review.interim_points.all()
        if not self.fields["interim_points"].queryset.exists():
            del self.fields["interim_points"]
        if not self.fields["themes"].queryset.exists():
            self.fields["themes"].help_text = "The board's learning typology has no themes yet."


class RecommendationForm(forms.Form):
    text = _text("Recommendation")
    level = _choice("Level", Recommendation.Level.choices)
    findings = forms.ModelMultipleChoiceField(queryset=None, label="Findings it answers",
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages={"required": "Choose the finding or findings this "
                                                                          "recommendation answers"})
    target_agencies = forms.ModelMultipleChoiceField(queryset=None, required=False, label="Target agencies",
                                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = review.findings.all()
        self.fields["target_agencies"].queryset = _board_agencies(review.board_id)


class CommentForm(forms.Form):
    finding = forms.ModelChoiceField(queryset=None, label="Finding",
                                     error_messages={"required": "Choose the finding"})
    kind = _choice("Is this a comment or a proposed correction?", CaseGroupComment.Kind.choices)
    text = _text("Your comment or correction")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = review.findings.all()


class ResponseForm(forms.Form):
    outcome = _choice("Outcome", CaseGroupComment.Outcome.choices, radio=False)
    response = _text("Review Group's response")


class UploadForm(forms.Form):
    file = forms.FileField(label="Report file", help_text="A Word (.docx) or PDF file.",
                           error_messages={"required": "Choose the report file to upload",
                                           "empty": "The file is empty"})
    note = forms.CharField(label="What changed (optional)", required=False, max_length=300)


class WriteForm(forms.Form):
    text = _text("Report", help_text="Write in plain English, so it can be published without redaction.")
    note = forms.CharField(label="What changed (optional)", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 20


class ChecklistForm(forms.Form):
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
    reason = _text("Why this can be published as it is", missing="Explain why this can be published as it is")


class ReasonForm(forms.Form):
    reason = _text("What needs to change", missing="Say what needs to change in the report")


class QaForm(forms.Form):
    comments = _text("Quality assurance comments (optional)", required=False)


class PlanForm(forms.Form):
    planned_publication_on = _date("Planned publication date")


class PanelCopyForm(forms.Form):
    sent_on = _date("Date the copy was sent to the National Panel")


class StatementForm(forms.Form):
    statement_actions_taken = _text("Actions already taken", required=False)
    statement_impact = _text("The impact these actions have had", required=False)
    statement_what_more = _text("What more will be done", required=False)


class NotPublishForm(forms.Form):
    reason = _text("Why the report will not be published")
    panel_advice = _text("The National Panel's advice", required=False,
                         help_text="Required for a Serious Case Review.")
    panel_advice_on = _date("Date of the Panel's advice", required=False)
