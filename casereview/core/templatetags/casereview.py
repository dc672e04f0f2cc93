from django import template

from casereview.core import navigation
from casereview.lib import formats

register = template.Library()


def _forms_with_errors(context) -> list:
    candidates = [context.get("form"), *(context.get("forms") or [])]
    return [f for f in candidates if f is not None and getattr(f, "errors", None)]


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    """The GOV.UK error summary for every form on the page that has errors (`form` and `forms`)."""
    return {"forms_with_errors": _forms_with_errors(context)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """GOV.UK: a page with errors starts its title with "Error: " so screen readers announce it first."""
    return "Error: " if _forms_with_errors(context) else ""


@register.simple_tag(takes_context=True)
def nav_items(context):
    request = context.get("request")
    return navigation.items_for(request) if request else []


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def long_date(value, empty=""):
    """3 March 2026: the one way pages write a date (casereview.lib.formats)."""
    return formats.long_date(value, empty)


@register.filter
def short_date(value, empty=""):
    return formats.short_date(value, empty)


@register.filter
def long_datetime(value, empty=""):
    return formats.long_datetime(value, empty)


@register.filter
def file_size(value):
    return formats.file_size(int(value or 0))


@register.filter
def counted(number, nouns: str):
    """{{ n|counted:"plan" }} or {{ n|counted:"summary,summaries" }}: "1 plan", "3 plans"."""
    singular, _, plural = nouns.partition(",")
    return formats.count(int(number or 0), singular, plural or None)


@register.filter
def month_year(value, empty=""):
    return formats.month_year(value, empty)


@register.filter
def weekday_date(value, empty=""):
    return formats.weekday_date(value, empty)


@register.filter
def time_of_day(value, empty=""):
    return formats.time_of_day(value, empty)
