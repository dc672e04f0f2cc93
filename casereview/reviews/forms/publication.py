"""Forms of publication and the publication statement."""

from django import forms

from .fields import _date, _text


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
