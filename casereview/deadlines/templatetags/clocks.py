from django import template

register = template.Library()


@register.inclusion_tag("deadlines/_clock.html")
def clock(view, show_name=True):
    """A clock with its status tag, due date and days left (or met date): `{% clock view %}`."""
    return {"view": view, "show_name": show_name}
