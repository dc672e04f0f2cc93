"""What the apps above cases add to case visibility, registered from their `AppConfig.ready()`.

Cases sit below referrals in the import contract, so cases never imports them; referrals register here instead:

- referrals: `register_restriction(hidden_case_ids)`: `hidden_case_ids(user) -> queryset of case ids` that the
  user may not see although their role would let them (a draft referral's case is seen only by its author and
  their agency's safeguarding lead until it is submitted).

`casereview.cases.selectors.cases_visible_to` leaves those cases out; a hook nobody registered hides nothing.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_restrictions: list[Callable[[object], QuerySet]] = []


def register_restriction(hidden_case_ids: Callable[[object], QuerySet]) -> None:
    if hidden_case_ids not in _restrictions:
        _restrictions.append(hidden_case_ids)


def hidden_case_ids(user) -> list[QuerySet]:
    """The registered restrictions' case ids for this user, each a queryset to exclude."""
    return [restriction(user) for restriction in _restrictions]
