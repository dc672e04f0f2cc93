from django import forms

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
