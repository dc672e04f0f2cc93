from django.urls import reverse
from django.utils import timezone

from casereview.lib.formats import long_date, long_datetime

from . import selectors
from .models import Meeting
from .permissions import can_run_meetings


def meetings_panel(user):
    meetings = list(selectors.meetings_visible_to(user).filter(
        state=Meeting.State.SCHEDULED, starts_at__gte=timezone.now()).order_by("starts_at")[:5])
    if not meetings:
        return None
    return {"title": "Next committee meetings", "headings": ["Date", "Committee", "Agenda items"],
            "rows": [{"cells": [long_datetime(m.starts_at), m.committee.name,
                                str(m.agenda_items.count())],
                      "url": reverse("committees:meeting_detail", args=[m.pk])} for m in meetings],
            "link": {"url": reverse("committees:meeting_list"), "text": "All committee meetings"}}


def minutes_to_approve_waiting(user) -> list[dict]:
    """Draft minutes waiting for the committee's next meeting, for whoever runs that committee's meetings; due on
    the date of the next scheduled meeting (None until one is scheduled)."""
    items = []
    drafts = (selectors.meetings_visible_to(user).filter(state=Meeting.State.HELD,
                                                         minutes_state=Meeting.MinutesState.DRAFT)
              .order_by("starts_at")[:20])
    for meeting in drafts:
        if not can_run_meetings(user, meeting.committee):
            continue
        following = (Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__gt=meeting.starts_at)
                     .exclude(state=Meeting.State.CANCELLED).order_by("starts_at").first())
        items.append({
            "label": f"Approve the minutes of the {meeting.committee.name} meeting of {long_date(meeting.starts_at)}"
                     " at its next meeting",
            "url": reverse("committees:meeting_detail", args=[(following or meeting).pk]),
            "due": timezone.localtime(following.starts_at).date() if following else None})
    return items
