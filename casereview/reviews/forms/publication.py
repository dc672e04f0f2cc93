"""Forms of publication and the publication statement."""

from django import forms

from casereview.core.concurrency import VersionedForm

from .fields import _date, _text


class PlanForm(VersionedForm):
    planned_publication_on = _date("Planned publication date")


class PanelCopyForm(forms.Form):
    sent_on = _date("Date the copy was sent to the National Panel")


class StatementForm(VersionedForm):
    statement_actions_taken = _text("Actions already taken", required=False)
    statement_impact = _text("The impact these actions have had", required=False)
    statement_what_more = _text("What more will be done", required=False)


class NotPublishForm(forms.Form):
    # Text the services require is optional here: the service says what to write (forms only parse).
    reason = _text("Why the report will not be published", required=False)
    panel_advice = _text("The National Panel's advice", required=False,
                         help_text="Required for a Serious Case Review.")
    panel_advice_on = _date("Date of the Panel's advice", required=False)


class ConfirmPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm the report should be published today on the board's public page", required=False)


class ImpactForm(VersionedForm):
    family_told = forms.BooleanField(label="The family has been told when and how the report will be published",
                                     required=False)
    practitioners_told = forms.BooleanField(label="Practitioners involved have been told and offered support",
                                            required=False)
    media_lines_agreed = forms.BooleanField(label="Media lines have been agreed with partners' communications teams",
                                            required=False)
    court_restrictions_checked = forms.BooleanField(
        label="Court restrictions and any criminal proceedings have been checked", required=False)
    keep_online_until = _date("Keep the report online until", required=False,
                              help_text="Leave empty to keep it online for 12 months. For example, 27 3 2028")
    offer_original = forms.BooleanField(
        label="Offer the original Word document as well as the accessible PDF", required=False,
        help_text="Its properties are cleared of names before it is offered.")


class ReportRequestForm(forms.Form):
    requested_on = _date("Date of the request")
    requester = _text("Who asked for the report", textarea=False, max_length=200, required=False)
    contact = _text("Email or postal address to answer to", textarea=False, max_length=254, required=False)


class ReportAnswerForm(forms.Form):
    answered_on = _date("Date answered")
    answer = _text("How the request was answered", help_text="For example, the report was emailed as a PDF.",
                   required=False)
