from django import forms

from casereview.core.concurrency import VersionedForm
from casereview.core.forms import GovukDateField
from casereview.lib.clocks import available_packs

from .models import Agency, Committee, CommitteeMembership, User
from .roles import Role


class AgencyForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_code", "type", "active"]
        labels = {"active": "This agency is still a partner of the board"}

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board

    def _clean_unique(self, field: str, value: str, message: str) -> str:
        clash = Agency.objects.filter(board=self.board, **{f"{field}__iexact": value})
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(message)
        return value

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        return self._clean_unique("name", name, f"The board already has an agency called {name}")

    def clean_short_code(self):
        code = self.cleaned_data["short_code"].strip().upper()
        return self._clean_unique("short_code", code, f"Another agency already uses the short code {code}")


class PersonForm(VersionedForm, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Roles decide what this person can see and do.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "email", "job_title", "agency", "is_active"]
        labels = {"username": "Sign-in name", "is_active": "This person can sign in"}
        help_texts = {"username": "Letters, numbers and . - _ only.", "agency": "Leave empty for board staff."}

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(board=board, active=True)
        self.fields["agency"].required = False
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.role_set)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another account already uses this email address")
        return email

    def clean(self):
        cleaned = super().clean()
        from .roles import AGENCY_ROLES

        roles = set(cleaned.get("roles") or [])
        if roles & AGENCY_ROLES and not cleaned.get("agency"):
            self.add_error("agency", "Choose the agency: safeguarding leads and agency authors act for one agency")
        return cleaned


class RulePackForm(VersionedForm):
    pack = forms.ChoiceField(label="Which timescales does the board work to?", widget=forms.RadioSelect,
                             error_messages={"required": "Choose the timescales the board works to"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = [(p.slug, f"{p.title}: {p.description}") for p in available_packs()]


class ClosureDayForm(forms.Form):
    date = GovukDateField(label="Date", help_text="For example, 24 12 2026",
                          error_messages={"required": "Enter the date the board is closed"})
    reason = forms.CharField(max_length=200, label="Why the board is closed",
                             error_messages={"required": "Say why the board is closed that day"})


class JoinForm(forms.Form):
    """Choosing a password when accepting an invitation. The password rules are Django's validators."""

    password1 = forms.CharField(label="Create a password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="At least 12 characters. A few unrelated words make a good password.",
                                error_messages={"required": "Enter a password"})
    password2 = forms.CharField(label="Type the password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                error_messages={"required": "Type the password again"})

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match: type the same password twice")
        elif first:
            try:
                validate_password(first, user=self.person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CommitteeForm(VersionedForm, forms.ModelForm):
    """A committee's terms of reference, meeting frequency and quorum rule. Validation lives in the service."""

    CHAIR_RULES = [("chair", "The chair must be present"),
                   ("chair_or_vice", "The chair or, in their absence, the vice chair must be present"),
                   ("none", "No chair requirement")]
    chair_rule = forms.ChoiceField(label="Who must be present for the meeting to be quorate?",
                                   choices=CHAIR_RULES, widget=forms.RadioSelect, initial="chair")

    class Meta:
        model = Committee
        fields = ["name", "kind", "terms_of_reference", "meeting_frequency_days", "quorum_agency_representatives"]
        labels = {"kind": "Type of committee", "meeting_frequency_days": "Days between meetings",
                  "quorum_agency_representatives": "Agency representatives needed, each from a different agency"}
        help_texts = {"meeting_frequency_days": "For example 42 for every six weeks. Leave empty if it meets as "
                                                "needed.",
                      "quorum_agency_representatives": "Besides the chair. Advisers do not count."}
        widgets = {"terms_of_reference": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_frequency_days"].widget.attrs.update({"class": "govuk-input--width-4",
                                                                  "inputmode": "numeric"})
        self.fields["quorum_agency_representatives"].widget.attrs.update({"class": "govuk-input--width-4",
                                                                         "inputmode": "numeric"})
        committee = self.instance
        if committee.pk:
            self.initial["chair_rule"] = ("none" if not committee.quorum_requires_chair else
                                          "chair_or_vice" if committee.quorum_vice_chair_may_stand_in else "chair")

    def save(self, commit=False):
        committee = super().save(commit=False)
        rule = self.cleaned_data["chair_rule"]
        committee.quorum_requires_chair = rule != "none"
        committee.quorum_vice_chair_may_stand_in = rule == "chair_or_vice"
        return committee


class MembershipForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["user", "position", "represents"]
        labels = {"user": "Person", "represents": "Agency they represent"}
        help_texts = {"represents": "Leave empty for board staff and independent members."}
        widgets = {"position": forms.RadioSelect}

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(board=board, is_active=True)
        self.fields["represents"].queryset = Agency.objects.filter(board=board, active=True)
        self.fields["represents"].required = False
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("position", CommitteeMembership.Position.MEMBER)
