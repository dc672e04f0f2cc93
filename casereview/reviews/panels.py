"""Home page panels: reviews against their six-month target, and findings waiting for a Case Group member."""

from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import Review

OPEN_STATES = [Review.Status.INITIATED, Review.Status.ANALYSIS, Review.Status.REPORT_QA, Review.Status.APPROVED]


def reviews_panel(user) -> dict | None:
    reviews = selectors.reviews_visible_to(user).filter(status__in=OPEN_STATES) \
        .prefetch_related("extensions", "pauses")[:10]
    if not reviews:
        return None
    today = timezone.localdate()
    rows = []
    for review in reviews:
        timescale = selectors.review_timescale(review, today)
        paused = " (paused)" if timescale.open_pause else ""
        rows.append({"url": reverse("reviews:detail", args=[review.pk]),
                     "cells": [review.reference, review.get_status_display(),
                               f"{timescale.target:%-d %b %Y}: {timescale.status.label}{paused}"]})
    return {"title": "Reviews in progress", "headings": ["Review", "Stage", "Target completion"], "rows": rows,
            "link": {"url": reverse("reviews:list"), "text": "All reviews"}}


def consultation_panel(user) -> dict | None:
    members = selectors.consultations_for(user)
    if not members:
        return None
    return {"title": "Draft findings for your comments", "headings": ["Review", "Asked on"],
            "rows": [{"url": reverse("reviews:consultation", args=[m.review_id]),
                      "cells": [m.review.reference, f"{m.review.consultation_opened_on:%-d %b %Y}"]}
                     for m in members]}
