"""The home page panel: chronologies waiting for the signed-in person."""

from django.urls import reverse

from casereview.lib.formats import long_date

from .models import ChronologyRequest
from .permissions import can_manage_requests, can_write_entries, is_review_group
from .selectors import chronology_reviews_for


def chronology_panel(user):
    if can_write_entries(user) and not is_review_group(user):
        requests = (ChronologyRequest.objects.filter(
            agency_id=user.agency_id, review__in=chronology_reviews_for(user),
            status__in=[ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS])
            .select_related("review").order_by("deadline"))
        rows = [{"cells": [r.review.reference, long_date(r.deadline) if r.deadline else "No deadline",
                           r.display_status()[0]],
                 "url": reverse("chronology:agency", args=[r.review_id])} for r in requests[:10]]
        return {"title": "Chronologies your agency owes", "headings": ["Review", "Deadline", "Status"],
                "rows": rows, "empty": "Your agency has no chronologies to return."}
    if can_manage_requests(user):
        waiting = (ChronologyRequest.objects.filter(review__in=chronology_reviews_for(user))
                   .exclude(status=ChronologyRequest.Status.ACCEPTED).select_related("review", "agency")
                   .order_by("deadline"))
        rows = []
        for r in waiting[:10]:
            rows.append({"cells": [r.review.reference, r.agency.name, r.display_status()[0]],
                         "url": reverse("chronology:review", args=[r.review_id])})
        return {"title": "Chronologies not yet accepted", "headings": ["Review", "Agency", "Status"], "rows": rows,
                "empty": "Every requested chronology has been accepted.",
                "link": {"url": reverse("chronology:index"), "text": "All chronologies"}}
    return None
