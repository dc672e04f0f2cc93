"""GOV.UK Design System rendering for every Django form.

The renderer points Django at our field and form templates; the bound field adds the GOV.UK classes and
links hints and errors to inputs with aria-describedby, so no form has to remember to.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
CHOICE_LISTS = {"radioselect", "checkboxselectmultiple"}
CHOOSE_WIDGETS = CHOICE_LISTS | {"select", "nullbooleanselect", "checkbox", "clearablefile", "file"}
REQUIRED = str(forms.Field.default_error_messages["required"])


class GovukBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = self.widget_type
        if kind in CHOICE_LISTS or kind == "govukdate":
            return attrs
        css = INPUT_CLASSES.get(kind, "govuk-input")
        if self.errors and css != "govuk-checkboxes__input":
            css += f" {css}--error"
        attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), css]))
        return attrs

    @property
    def error_id(self) -> str:
        # Django already points aria-describedby at "<id>_error" when a field has errors.
        return f"{self.auto_id}_error"

    @property
    def errors(self):
        """Django's bare "This field is required." becomes a GOV.UK message naming what to do."""
        errors = super().errors
        if REQUIRED not in errors:
            return errors
        verb = "Select" if self.widget_type in CHOOSE_WIDGETS else "Enter"
        wanted = f"{verb} {str(self.label).lower()}" if self.label else "Answer this question"
        return forms.utils.ErrorList([wanted if e == REQUIRED else e for e in errors],
                                     error_class=errors.error_class, renderer=errors.renderer)

    @property
    def summary_anchor(self) -> str:
        """Where the error summary links to: the first input of the field, as the GOV.UK pattern asks."""
        if self.widget_type in CHOICE_LISTS:
            return f"{self.auto_id}_0"
        if self.widget_type == "govukdate":
            return f"{self.auto_id}_0"
        return self.auto_id


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    # Every form, ours and django-allauth's alike, gets GOV.UK classes and error links.
    bound_field_class = GovukBoundField


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes: the GOV.UK date input pattern."""

    template_name = "forms/widgets/govuk_date.html"

    def __init__(self, attrs=None):
        part = {"inputmode": "numeric"}
        super().__init__(
            [forms.TextInput(attrs={**part, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
             forms.TextInput(attrs={**part, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
             forms.TextInput(attrs={**part, "class": "govuk-input govuk-date-input__input govuk-input--width-4"})],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, label in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            sub["label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with messages that say which part to fix."""

    widget = GovukDateWidget

    def __init__(self, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "The date"
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date, in numbers, for example 27 3 2026")
        if len(year) != 4:
            raise ValidationError(f"{label} must have a year with 4 numbers, for example 2026")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None


def apply_service(form, service, /, **kwargs):
    """Call one service for a valid form. A refusal (ServiceError) lands on the form: on its field when the
    form has that field, above the form otherwise, so the GOV.UK error summary shows it.

    Returns (True, result) when the service ran, (False, None) when the form was invalid or refused.
    """
    from casereview.core.errors import ServiceError

    if not form.is_valid():
        return False, None
    try:
        return True, service(**kwargs)
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False, None


def refuse(request, error) -> None:
    """Show a refused action with no form behind it (a button) as an error message on the next page."""
    from django.contrib import messages

    messages.error(request, str(error))
