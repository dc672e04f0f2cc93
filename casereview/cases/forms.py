from django import forms

from casereview.core.concurrency import VersionedForm
from casereview.partnership.models import User


class GrantAccessForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person",
                                  error_messages={"required": "Choose the person to give access to"})
    reason = forms.CharField(max_length=200, label="Why they need access",
                             help_text="For example: lead reviewer for this review",
                             error_messages={"required": "Say why this person needs access to the case"})

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        has_access = case.access_grants.filter(revoked_at__isnull=True).values("user")
        self.fields["user"].queryset = (
            User.objects.filter(board_id=case.board_id, is_active=True).exclude(pk__in=has_access)
        )


class PseudonymForm(VersionedForm):
    pseudonym = forms.CharField(max_length=80, label="Pseudonym",
                                help_text="How the case is known wherever names are not needed, for example Child M.",
                                error_messages={"required": "Enter the pseudonym, for example Child M"})


class CaseFilterForm(forms.Form):
    """Filters on the cases list; every choice is limited to the user's own board."""

    q = forms.CharField(required=False, label="Reference or pseudonym")
    agency = forms.ModelChoiceField(queryset=None, required=False, label="Agency involved",
                                    empty_label="Any agency")
    year = forms.TypedChoiceField(required=False, label="Opened in", coerce=int, empty_value=None)

    def __init__(self, *args, user, years, **kwargs):
        super().__init__(*args, **kwargs)
        from casereview.partnership.models import Agency

        self.fields["agency"].queryset = Agency.objects.filter(board_id=user.board_id)
        self.fields["year"].choices = [("", "Any year")] + [(y, str(y)) for y in years]
