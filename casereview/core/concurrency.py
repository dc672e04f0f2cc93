"""Optimistic concurrency: the one way an edited record refuses a save made from a stale copy.

Two people open the same record's edit form; the first saves; the second's save must not silently overwrite the
first. Every edit-safe record carries a counter (`version`, or another name where `version` is taken), the edit
form carries the counter's value from when the page was opened (`VersionedForm`), and the service claims the next
value inside its transaction with `claim_version` before writing anything: a conditional
`UPDATE ... SET version = version + 1 WHERE version = <expected>`. When no row matches, someone else saved first,
and the service raises `ConflictError`, which `core.forms.apply_service` shows in the form's error summary.

Raise nothing before `claim_version` that you would have to undo, and claim before the audit event, so a refused
save writes neither the record nor an event.
"""

from django import forms
from django.db.models import F, Model

from .errors import ServiceError


def conflict_message(what: str) -> str:
    return (f"Someone else changed this {what} while you were editing it. Your changes have not been saved: "
            f"reopen the {what} to see the latest version, then make your changes again")


class ConflictError(ServiceError):
    """Someone else saved the record after this person opened it: nothing of theirs was written."""

    def __init__(self, what: str):
        super().__init__(conflict_message(what))
        self.what = what


def claim_version(record: Model, expected: int | None, what: str, field: str = "version") -> None:
    """Claim the next version of `record`, or refuse (ConflictError) because another save got there first.

    `expected` is the version the person started editing from. None means a change with no form behind it (a
    service called from code or the API with no version): it claims whatever version is current, so the counter
    still moves and any form opened before it is refused. Call inside the service's `transaction.atomic()`.
    """
    rows = type(record)._base_manager.filter(pk=record.pk)
    if expected is None:
        expected = rows.values_list(field, flat=True).get()
    if not rows.filter(**{field: expected}).update(**{field: F(field) + 1}):
        raise ConflictError(what)
    setattr(record, field, expected + 1)


class VersionedForm(forms.Form):
    """A form that carries, hidden, the version of the record the person started editing from.

    Use it as a base (or mixin) of the edit form, give the view's initial data `version_initial(record)`, and pass
    `cleaned_data["version"]` to the service as `version=`. `{{ form }}` renders the hidden field; a template that
    lays out fields one by one must render `{{ form.version }}` inside the `<form>`.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


def version_initial(record: Model | None, field: str = "version") -> dict:
    """The edit form's initial `version` for `record` (nothing for a record not yet created)."""
    return {"version": getattr(record, field)} if record is not None and record.pk else {}
