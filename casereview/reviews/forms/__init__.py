from django import forms

from casereview.cases.selectors import cases_visible_to
from casereview.core.concurrency import VersionedForm

from ..models import (
    CaseGroupComment,
    CaseGroupMember,
    Finding,
    InterimPoint,
    ParallelProcess,
    Recommendation,
    Review,
    ReviewMember,
)
from ..services.setup import SCR_FROM_CHAIR_ONLY, SCR_SWITCH_REFUSED
from .fields import YES_NO, PersonChoiceField, _board_agencies, _board_people, _choice, _date, _text

SCR_TYPES = (Review.Type.SCR_INTENSIVE, Review.Type.SCR_TARGETED)
NOT_SCR = [c for c in Review.Type.choices if c[0] not in SCR_TYPES]
SCR_HINT = ("A Serious Case Review starts only from the Independent Chair's decision on the case's referral, so it "
            "is not offered here.")


def _yes_no(label: str, missing: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda value: value == "yes",
                                  widget=forms.RadioSelect, help_text=help_text,
                                  error_messages={"required": missing})


class ReviewCreateForm(forms.Form):
    case = forms.ModelChoiceField(queryset=None, label="Case", error_messages={"required": "Choose the case"})
    type = _choice("Type of review", NOT_SCR, help_text=SCR_HINT)
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
        # Someone who sends a Serious Case Review anyway is told the route, not "not a valid choice".
        self.fields["type"].error_messages["invalid_choice"] = SCR_FROM_CHAIR_ONLY


class SetupForm(VersionedForm):
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
    target_on = _date("Target completion date", required=False,
                      help_text="Set by the SCR Committee where the rule pack fixes no timescale for this type "
                                "of review.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies_in_scope"].queryset = _board_agencies(review.board_id)
        if not review.is_scr:
            self.fields["type"].choices = NOT_SCR
            self.fields["type"].help_text = ("Changing this review into a Serious Case Review is the Independent "
                                             "Chair's decision on the case's referral.")
            self.fields["type"].error_messages["invalid_choice"] = SCR_SWITCH_REFUSED


class MilestoneForm(VersionedForm):
    name = forms.CharField(label="Stage", max_length=200, error_messages={"required": "Enter the stage's name"})
    due_on = _date("Due date", required=False)
    completed_on = _date("Date completed", required=False, help_text="Leave blank until the stage is done.")
    owner = PersonChoiceField(queryset=None, required=False, label="Owner")
    notes = _text("Notes", required=False)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _board_people(review.board_id)


class ParallelProcessForm(VersionedForm):
    kind = _choice("Process", ParallelProcess.Kind.choices, radio=False)
    detail = forms.CharField(label="Details (optional)", required=False, max_length=300,
                             help_text="Anonymised: no names.")
    status = _choice("Status", ParallelProcess.Status.choices, radio=False)
    status_on = _date("Date of this status")


class MemberForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Person", error_messages={"required": "Choose the person"})
    role = _choice("Role in the Review Group", ReviewMember.Role.choices)
    involved_in_case = _yes_no("Have they been involved in the case?",
                               help_text="For example, worked with the child or family, or managed those who did.",
                               missing="Say whether they have been involved in the case")
    has_conflict = _yes_no("Have they declared a conflict of interest?",
                           missing="Say whether they have declared a conflict of interest")
    conflict_details = _text("Conflict of interest", required=False, help_text="Only if they declared one.")
    qualifications = _text("Qualifications and experience", required=False,
                           help_text="Required for the lead reviewer of a Serious Case Review.")
    independence_declared_on = _date("Date they signed the declaration of independence", required=False,
                                     help_text="Required for the lead reviewer of a Serious Case Review: they "
                                               "declare they are independent of the board and of every agency.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        taken = review.members.filter(removed_at__isnull=True).values("user")
        self.fields["user"].queryset = _board_people(review.board_id).exclude(pk__in=taken)


class CaseGroupAddForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Practitioner with an account", required=False,
                             help_text="Or, for a practitioner without an account, leave this empty and enter "
                                       "their name, role, agency and email below.")
    name = forms.CharField(label="Name (no account)", required=False, max_length=150)
    job_title = forms.CharField(label="Role (no account)", required=False, max_length=150)
    agency = forms.ModelChoiceField(queryset=None, required=False, label="Agency (no account)",
                                    error_messages={"invalid_choice": "Choose an agency involved in this case: the "
                                                                      "Case Group is made up of their practitioners"})
    email = forms.EmailField(label="Email address (no account)", required=False,
                             error_messages={"invalid": "Enter an email address like name@example.org"})
    involvement = forms.CharField(label="Their part in the significant events", max_length=300,
                                  error_messages={"required": "Describe their part in the significant events"})

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone of the board is listed so a wrong choice is refused with the reason, not silently hidden.
        taken = review.case_group.filter(user__isnull=False).values("user")
        self.fields["user"].queryset = _board_people(review.board_id).exclude(pk__in=taken)
        self.fields["agency"].queryset = _board_agencies(review.board_id).filter(
            pk__in=review.case.case_agencies.values("agency_id"))


class CaseGroupStatusForm(forms.Form):
    status = _choice("Status", [c for c in CaseGroupMember.Status.choices if c[0] != "to_invite"], radio=False)
    on = _date("Date")


class FamilyForm(VersionedForm):
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
    approve = forms.TypedChoiceField(label="Decision", choices=[("approve", "Approve the extension"),
                                                                ("refuse", "Refuse the extension")],
                                     coerce=lambda value: value == "approve", widget=forms.RadioSelect,
                                     error_messages={"required": "Choose the decision"})
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


class FindingForm(VersionedForm):
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
        # The typology's Theme, reached through the finding (the typology lives above or beside reviews).
        theme = Finding._meta.get_field("themes").related_model
        self.fields["themes"].queryset = theme.objects.filter(board_id=review.board_id, retired=False,
                                                              parent__isnull=False)
        self.fields["interim_points"].queryset = review.interim_points.all()
        if not self.fields["interim_points"].queryset.exists():
            del self.fields["interim_points"]
        if not self.fields["themes"].queryset.exists():
            self.fields["themes"].help_text = "The board's learning typology has no themes yet."


class RecommendationForm(VersionedForm):
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


class ResponseForm(VersionedForm):
    outcome = _choice("Outcome", CaseGroupComment.Outcome.choices, radio=False)
    response = _text("Review Group's response")


# Report and publication forms live in their own modules; re-exported so `forms.X` keeps working.
from .publication import NotPublishForm, PanelCopyForm, PlanForm, StatementForm  # noqa: E402, F401
from .report import AcceptHitForm, ChecklistForm, QaForm, ReasonForm, UploadForm, WriteForm  # noqa: E402, F401
