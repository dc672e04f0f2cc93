from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import Meeting


def meetings_panel(user):
    meetings = list(selectors.meetings_visible_to(user).filter(
        state=Meeting.State.SCHEDULED, starts_at__gte=timezone.now()).order_by("starts_at")[:5])
    if not meetings:
        return None
    return {"title": "Next committee meetings", "headings": ["Date", "Committee", "Agenda items"],
            "rows": [{"cells": [f"{timezone.localtime(m.starts_at):%-d %B %Y, %H:%M}", m.committee.name,
                                str(m.agenda_items.count())],
                      "url": reverse("committees:meeting_detail", args=[m.pk])} for m in meetings],
            "link": {"url": reverse("committees:meeting_list"), "text": "All committee meetings"}}
