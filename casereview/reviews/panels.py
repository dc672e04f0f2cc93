"""Home page panels: reviews against their target, and draft findings waiting for a Case Group member."""

from datetime import timedelta

from django.urls import reverse

from casereview.lib.dates import today
from casereview.lib.formats import short_date

from . import selectors
from .models import Review
from .services.consultation import CONSULTATION_LINK_DAYS

OPEN_STATES = [Review.Status.INITIATED, Review.Status.ANALYSIS, Review.Status.REPORT_QA, Review.Status.APPROVED]


def reviews_panel(user) -> dict | None:
    reviews = selectors.reviews_visible_to(user).filter(status__in=OPEN_STATES) \
        .prefetch_related("extensions", "pauses")[:10]
    if not reviews:
        return None
    now = today()
    rows = []
    for review in reviews:
        timescale = selectors.review_timescale(review, now)
        paused = " (paused)" if timescale.open_pause else ""
        target = (f"{short_date(timescale.target)}: {timescale.status.label}" if timescale.target
                  else "No target set yet")
        rows.append({"url": reverse("reviews:detail", args=[review.pk]),
                     "cells": [review.reference, review.get_status_display(), target + paused]})
    return {"title": "Reviews in progress", "headings": ["Review", "Stage", "Target completion"], "rows": rows,
            "link": {"url": reverse("reviews:list"), "text": "All reviews"}}


def consultation_panel(user) -> dict | None:
    """Waiting for a Case Group member: the Review Group's draft findings, with the date to reply by."""
    members = selectors.consultations_for(user)
    if not members:
        return None
    return {"title": "Draft findings for your comments", "headings": ["Review", "Asked on",
                                                                                       "Reply by"],
            "rows": [{"url": reverse("reviews:consultation", args=[m.review_id]),
                      "cells": [m.review.reference, short_date(m.review.consultation_opened_on),
                                short_date(m.review.consultation_opened_on + timedelta(days=CONSULTATION_LINK_DAYS))]}
                     for m in members]}
