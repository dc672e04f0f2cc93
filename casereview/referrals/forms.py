from dataclasses import fields as dataclass_fields

from django import forms

from casereview.cases.models import CasePerson
from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField
from casereview.partnership.models import Agency
from casereview.typology.models import Theme

from .details import ChildDetails, MatrixAnswer, MatrixDetails, ReferralDetails
from .models import ChairDecision, CirConsideration, CriterionAnswer, DecisionMatrix, PanelLogEntry, Referral

RADIO = forms.RadioSelect
CHECKS = forms.CheckboxSelectMultiple


def _text(label, *, required=True, textarea=False, help_text="", max_length=None, required_msg=None):
    field = forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length,
                            widget=forms.Textarea(attrs={"rows": 5}) if textarea else None)
    if required_msg:
        field.error_messages["required"] = required_msg
    return field


def _date(label, *, required=True, help_text="For example 27 3 2026", required_msg=None):
    field = GovukDateField(label=label, required=required, help_text=help_text)
    if required_msg:
        field.error_messages["required"] = required_msg
    return field


class ReferralForm(VersionedForm):
    protective_marking = forms.ChoiceField(label="Protective marking", choices=Referral.Marking.choices,
                                           widget=RADIO, initial=Referral.Marking.OFFICIAL_SENSITIVE)
    purpose = forms.ChoiceField(label="Purpose of the referral", choices=Referral.Purpose.choices, widget=RADIO,
                                initial=Referral.Purpose.SCR)
    referrer_name = _text("Your name", max_length=200, required_msg="Enter your name")
    referrer_role = _text("Your role", max_length=200, required_msg="Enter your role")
    referrer_contact = _text("Your telephone number", max_length=200,
                             required_msg="Enter a telephone number the board can reach you on")
    referrer_email = forms.EmailField(label="Your email address", error_messages={
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.org"})
    referred_on = _date("Date of referral", required_msg="Enter the date of the referral")
    lead_consulted_name = _text("Safeguarding lead consulted: name", required=False, max_length=200,
                                help_text="The lead or senior safeguarding manager you discussed the case with")
    lead_consulted_role = _text("Safeguarding lead consulted: role", required=False, max_length=200)
    lead_consulted_contact = _text("Safeguarding lead consulted: contact details", required=False, max_length=200)
    child_name = _text("Child's full name", max_length=200, required_msg="Enter the child's full name")
    child_dob = _date("Child's date of birth", required=False)
    child_dod = _date("Date of death", required=False, help_text="Leave blank if the child did not die")
    child_gender = _text("Child's gender", required=False, max_length=40)
    child_ethnicity = _text("Child's ethnicity", required=False, max_length=80)
    child_address = _text("Child's address", required=False, textarea=True)
    child_postcode = _text("Child's postcode", required=False, max_length=10)
    incident_date = _date("Date of the incident", required_msg="Enter the date of the incident")
    where_and_with_whom = _text("Where the child was, and with whom, at the time", required=False, textarea=True)
    plan_status = forms.ChoiceField(label="Child protection plan", choices=Referral.PlanStatus.choices,
                                    widget=RADIO, initial=Referral.PlanStatus.UNKNOWN)
    plan_category = _text("Category of the plan", required=False, max_length=120,
                          help_text="For example neglect, or physical, emotional or sexual abuse")
    looked_after = forms.ChoiceField(label="Was the child looked after?", choices=Referral.YesNoUnknown.choices,
                                     widget=RADIO, initial=Referral.YesNoUnknown.UNKNOWN)
    open_to_csc = forms.ChoiceField(label="Was the child open to children's social care?",
                                    choices=Referral.YesNoUnknown.choices, widget=RADIO,
                                    initial=Referral.YesNoUnknown.UNKNOWN)
    agencies = forms.ModelMultipleChoiceField(label="Agencies involved with the child and family",
                                              queryset=Agency.objects.none(), widget=CHECKS,
                                              error_messages={"required": "Select the agencies involved with the "
                                                                          "child and family"})
    no_longer_involved = forms.ModelMultipleChoiceField(label="Agencies no longer involved", required=False,
                                                        queryset=Agency.objects.none(), widget=CHECKS,
                                                        help_text="Of the agencies above, any that are no longer "
                                                                  "working with the family")
    # Required for a referral for SCR consideration (the service says so); optional for learning or good practice.
    criteria = forms.MultipleChoiceField(label="Which criteria do you think are met?", required=False,
                                         choices=Referral.Criterion.choices, widget=CHECKS,
                                         help_text="Needed when you ask the board to consider a Serious Case "
                                                   "Review")
    narrative = _text("What happened, and why the criteria are met", textarea=True,
                      required_msg="Enter what happened and why you think the criteria are met")
    key_dates = _text("Key dates", required=False, textarea=True, help_text="One a line, for example: "
                                                                          "3 2 2026 – admitted to hospital")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(board=board, active=True)
        self.fields["agencies"].queryset = agencies
        self.fields["no_longer_involved"].queryset = agencies

    def clean(self):
        """Show every rule the referral breaks at once; the rules (and their words) are the service's."""
        from .services import referral_problems

        data = super().clean()
        for field, message in referral_problems(details=self.details(), child=self.child(),
                                                agencies=data.get("agencies"),
                                                no_longer_involved=data.get("no_longer_involved")):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def details(self) -> ReferralDetails:
        """The referral's own fields that parsed (a field that did not is left out, as not given)."""
        return ReferralDetails(**{f.name: self.cleaned_data[f.name] for f in dataclass_fields(ReferralDetails)
                                  if f.name in self.cleaned_data})

    def child(self) -> ChildDetails:
        d = self.cleaned_data
        return ChildDetails(full_name=d.get("child_name", ""), date_of_birth=d.get("child_dob"),
                            date_of_death=d.get("child_dod"), gender=d.get("child_gender", ""),
                            ethnicity=d.get("child_ethnicity", ""), address=d.get("child_address", ""),
                            postcode=d.get("child_postcode", ""))

    @staticmethod
    def initial_for(referral: Referral) -> dict:
        child = referral.case.subject_child
        links = referral.case.case_agencies.all()
        initial = {k: getattr(referral, k) for k in (
            "protective_marking", "purpose", "referrer_name", "referrer_role", "referrer_contact", "referrer_email",
            "referred_on", "lead_consulted_name", "lead_consulted_role", "lead_consulted_contact", "incident_date",
            "where_and_with_whom", "plan_status", "plan_category", "looked_after", "open_to_csc", "criteria",
            "narrative", "key_dates")}
        initial.update(version=referral.version, agencies=[link.agency_id for link in links],
                       no_longer_involved=[link.agency_id for link in links if not link.still_involved])
        if child:
            initial.update(child_name=child.full_name, child_dob=child.date_of_birth, child_dod=child.date_of_death,
                           child_gender=child.gender, child_ethnicity=child.ethnicity, child_address=child.address,
                           child_postcode=child.postcode)
        return initial


class PersonForm(forms.Form):
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[c for c in CasePerson.Relationship.choices if c[0] != CasePerson.Relationship.SUBJECT_CHILD],
        error_messages={"required": "Select the person's relationship to the child"})
    full_name = _text("Full name", max_length=200, required_msg="Enter the person's full name")
    date_of_birth = _date("Date of birth", required=False)
    address = _text("Address", required=False, textarea=True)



class ReceiveForm(forms.Form):
    received_on = _date("Date the board received the referral",
                        help_text="This can start the clock for the decision. For example 27 3 2026",
                        required_msg="Enter the date the board received the referral")
    board_notified_on = _date("Date the board was notified of the incident", required=False,
                              help_text="If the board knew of the incident before the referral arrived. The "
                                        "decision clock runs from the earlier date. For example 27 3 2026")


class InformationRequestForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(label="Agencies to ask", queryset=Agency.objects.none(),
                                              widget=CHECKS, error_messages={
                                                  "required": "Select the agencies to ask for information"})
    due_on = _date("Deadline for their summary", required_msg="Enter the deadline for the agencies' summaries")

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        asked = referral.information_requests.values("agency_id")
        self.fields["agencies"].queryset = Agency.objects.filter(board_id=referral.board_id, active=True).exclude(
            pk__in=asked)
        self.fields["agencies"].initial = list(referral.case.case_agencies.exclude(agency_id__in=asked)
                                               .values_list("agency_id", flat=True))


class AnswerForm(VersionedForm):
    summary = _text("Summary of your agency's involvement", textarea=True,
                    help_text="What your agency knew and did, with dates, from your records",
                    required_msg="Enter a summary of your agency's involvement")
    still_involved = forms.TypedChoiceField(label="Is your agency still involved with the family?",
                                            choices=[("yes", "Yes"), ("no", "No")], widget=RADIO,
                                            coerce=lambda v: v == "yes",
                                            error_messages={"required": "Select whether your agency is still "
                                                                        "involved"})


class CriterionForm(forms.Form):
    answer = forms.ChoiceField(label="Answer", choices=CriterionAnswer.Answer.choices, widget=RADIO,
                               error_messages={"required": "Select Met, Not met or Unknown"})
    evidence = _text("Evidence", required=False, textarea=True, help_text="Required when the criterion is met")
    source_agency = forms.ModelChoiceField(label="Source of the evidence", queryset=Agency.objects.none(),
                                           required=False, empty_label="Not from one agency")

    def __init__(self, *args, criterion, board_id, **kwargs):
        super().__init__(*args, prefix=f"c{criterion}", **kwargs)
        self.criterion = criterion
        self.title = f"{criterion}. {Referral.Criterion(criterion).label}"
        self.fields["answer"].label = self.title
        self.fields["source_agency"].queryset = Agency.objects.filter(board_id=board_id)

    def matrix_answer(self) -> MatrixAnswer:
        d = self.cleaned_data
        return MatrixAnswer(answer=d.get("answer") or "", evidence=d.get("evidence") or "",
                            source_agency=d.get("source_agency"))



class MatrixForm(VersionedForm):
    learning_potential = _text("Learning potential", required=False, textarea=True,
                               help_text="New or significant learning, including good practice")
    good_practice = _text("Good practice identified", required=False, textarea=True)
    previous_learning = _text("Relation to previous learning", required=False, textarea=True,
                              help_text="Does the case repeat learning from earlier reviews, forums or audits?")
    parallel_processes = forms.MultipleChoiceField(label="Parallel processes", required=False, widget=CHECKS,
                                                   choices=DecisionMatrix.Parallel.choices)
    parallel_notes = _text("Notes on parallel processes", required=False, textarea=True)
    impact = _text("Impact on the family and practitioners", required=False, textarea=True)
    public_interest = _text("Public interest", required=False, textarea=True)
    themes = forms.ModelMultipleChoiceField(label="Learning themes", required=False, widget=CHECKS,
                                            queryset=Theme.objects.none(),
                                            help_text="Used to find earlier reviews with the same learning")
    targeted_criteria = forms.MultipleChoiceField(label="Criteria for a Targeted review",
                                                  required=False, widget=CHECKS,
                                                  choices=DecisionMatrix.Targeted.choices)
    recommended_outcome = forms.ChoiceField(label="Recommended outcome", required=False, widget=RADIO,
                                            choices=DecisionMatrix.Outcome.choices)
    rationale = _text("Rationale for the recommendation", required=False, textarea=True)

    def __init__(self, *args, board_id, complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        self.fields["themes"].queryset = Theme.objects.filter(board_id=board_id, retired=False,
                                                              parent__isnull=False)

    def clean(self):
        """Show every rule the recommendation breaks at once; the rules are the service's."""
        from .services import matrix_problems

        data = super().clean()
        for field, message in matrix_problems(details=self.details(), answers={}, complete=self.complete):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def details(self) -> MatrixDetails:
        """The matrix's fields that parsed (a field that did not is left out, as not given)."""
        d = self.cleaned_data
        given = {f.name: d[f.name] for f in dataclass_fields(MatrixDetails) if f.name in d}
        given["recommended_outcome"] = given.get("recommended_outcome") or ""
        given["rationale"] = given.get("rationale") or ""
        return MatrixDetails(**given)



class QuestionForm(forms.Form):
    question = _text("Question for the board", textarea=True,
                     help_text="For example: why was the learning from this review not sustained?",
                     required_msg="Enter the question for the board")
    earlier_review = forms.ModelChoiceField(label="Earlier review it relates to", required=False,
                                            queryset=None, empty_label="Not one review")

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, prefix="question", **kwargs)
        self.fields["earlier_review"].queryset = reviews


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", choices=ChairDecision.Decision.choices, widget=RADIO,
                                 error_messages={"required": "Select your decision"})
    decided_on = _date("Date of the decision", required_msg="Enter the date of the decision")
    rationale = _text("Rationale", textarea=True,
                      help_text="The reasons for your decision. The referrer's feedback letter quotes this",
                      required_msg="Enter the rationale for your decision")



class FeedbackForm(forms.Form):
    sent_on = _date("Date the feedback was sent", required_msg="Enter the date the feedback was sent")
    email = forms.BooleanField(label="Email the letter to the referrer now", required=False,
                               help_text="CaseReview sends it and keeps a record. Leave unticked if you sent it "
                                         "another way")
    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        if referral.referrer_email:
            self.fields["email"].label = f"Email the letter to the referrer now ({referral.referrer_email})"


class PanelNoticeForm(forms.Form):
    sent_on = _date("Date the notice was sent to the National Panel", required_msg="Enter the date the notice was sent")
    justification = _text("Why the case does not meet the criteria for a Serious Case Review", required=False,
                          textarea=True)
    sin_upload = forms.FileField(label="Serious Incident Notification", required=False,
                                 help_text="The local authority's notification, as a PDF or Word (.docx) file")
    anonymised_details = _text("Or: anonymised details of the case", required=False, textarea=True,
                               help_text="If there is no notification: the nature of the incident, without names")
    ofsted_told_on = _date("Date Ofsted was told", required=False)

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        initiating = referral.decision.initiates_scr
        drop = ("justification", "sin_upload", "anonymised_details") if initiating else ("ofsted_told_on",)
        for name in drop:
            del self.fields[name]
        if not initiating:
            self.fields["justification"].initial = referral.decision.rationale


class CirForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome of the Critical Incident Review consideration",
                                choices=CirConsideration.Outcome.choices, widget=RADIO,
                                error_messages={"required": "Select the outcome"})
    reason = _text("Reason", textarea=True, required_msg="Enter the reason for this outcome")
    decided_on = _date("Date decided", required_msg="Enter the date the outcome was decided")


class RouteForm(forms.Form):
    outcome = forms.ChoiceField(label="Where does the referral go?", choices=CirConsideration.Outcome.choices,
                                widget=RADIO, error_messages={"required": "Select where the referral goes"})
    reason = _text("Rationale of the committee's discussion", textarea=True,
                   help_text="The referrer's feedback letter quotes this",
                   required_msg="Enter the reason for this outcome")
    decided_on = _date("Date decided", required_msg="Enter the date the committee decided")


class ExternalReferralForm(ReferralForm):
    """A referral that reached the board by secure email or from the child death overview panel, entered by the
    Business Manager on the referrer's behalf."""

    received_via = forms.ChoiceField(label="How did the referral reach the board?", widget=RADIO,
                                     choices=[c for c in Referral.ReceivedVia.choices
                                              if c[0] != Referral.ReceivedVia.CASEREVIEW],
                                     error_messages={"required": "Select how the referral reached the board"})
    referrer_organisation = _text("Referrer's organisation", max_length=200,
                                  required_msg="Enter the referrer's organisation")
    received_on = _date("Date the board received the referral", required_msg="Enter the date the board received "
                                                                              "the referral")
    board_notified_on = _date("Date the board was notified of the incident", required=False,
                              help_text="If the board knew of the incident earlier. The decision clock runs from "
                                        "the earlier date. For example 27 3 2026")
    upload = forms.FileField(label="The referral form as received", required=False,
                             help_text="A PDF or Word (.docx) file, up to the upload limit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("referrer_name", "Referrer's name"), ("referrer_role", "Referrer's role"),
                            ("referrer_contact", "Referrer's telephone number"),
                            ("referrer_email", "Referrer's email address")):
            self.fields[name].label = label
        self.fields["referrer_name"].error_messages["required"] = "Enter the referrer's name"
        self.fields["referrer_role"].error_messages["required"] = "Enter the referrer's role"
        self.fields["referrer_contact"].error_messages["required"] = "Enter the referrer's telephone number"
        self.fields["referrer_email"].error_messages["required"] = "Enter the referrer's email address"


class PanelLogForm(forms.Form):
    kind = forms.ChoiceField(label="What happened", choices=PanelLogEntry.Kind.choices, widget=RADIO,
                             error_messages={"required": "Select what happened"})
    on = _date("Date", required_msg="Enter the date")
    due_on = _date("For a Panel request: answer due by", required=False)
    notes = _text("Notes", required=False, textarea=True, help_text="The advice given, or what was asked for")


class PanelAnswerForm(forms.Form):
    answered_on = _date("Date answered", required_msg="Enter the date the request was answered")


class ThresholdLiaisonForm(forms.Form):
    liaised_on = _date("Date you liaised with the SCR Committee chair and the Independent Chair",
                       required_msg="Enter the date you liaised")
    note = _text("Note (optional)", textarea=True, required=False,
                 help_text="What you agreed, for example whether the Performance Committee needs to act now. "
                           "Do not write the child's or family's names.")
