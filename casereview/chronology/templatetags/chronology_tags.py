from django import template

register = template.Library()

SUBNAV = [
    ("chronology:review", "Returns"),
    ("chronology:merged", "Merged chronology"),
    ("chronology:analysis", "Analysis"),
    ("chronology:timeline", "Timeline"),
    ("chronology:export", "Export"),
    ("chronology:instructions", "Instructions"),
]


@register.inclusion_tag("chronology/_subnav.html")
def chronology_subnav(review, current):
    return {"review": review, "current": current, "subnav_items": SUBNAV}


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"
